package io.github.reactivemilvus.test.server;

import java.util.List;

/** The Milvus Lite releases this fixture can start. */
public enum LiteVersion {
  /** Milvus Lite 3.2.2, a Python re-implementation of Milvus (the default): GetVersion, databases, aliases. */
  V3_2_2("3.2.2", List.of("milvus-lite==3.2.2", "pymilvus==3.0.2")),
  /**
   * Milvus Lite 2.5.1, the C++ Milvus engine (segcore/knowhere) behind a reduced gRPC surface: answers
   * UNIMPLEMENTED to GetVersion, databases, aliases and partitions; binary and half-float vectors work.
   */
  V2_5_1("2.5.1", List.of("milvus-lite==2.5.1"));

  private final String version;
  private final List<String> packages;

  LiteVersion(String version, List<String> packages) {
    this.version = version;
    this.packages = packages;
  }

  /** The release, for example {@code 3.2.2}. */
  public String version() {
    return version;
  }

  /** The pip requirements installed into this release's venv. */
  public List<String> packages() {
    return packages;
  }

  /** This release's name as the system property {@code reactivemilvus.test.lite} takes it. */
  public static LiteVersion of(String version) {
    for (LiteVersion v : values()) {
      if (v.version.equals(version.trim())) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown Milvus Lite version '" + version + "'; known: 3.2.2, 2.5.1");
  }
}
