package io.github.reactivemilvus.test.server;

/**
 * Where a test's Milvus comes from: the external server configured by {@code REACTIVE_MILVUS_TEST_URI}
 * (or {@code -Dreactivemilvus.test.uri}) when there is one, else a Milvus Lite server started for it.
 */
public final class MilvusServers {

  private MilvusServers() {
  }

  /** The configured external server, or a Milvus Lite started with {@code options}. Blocks while starting. */
  public static MilvusServer start(MilvusLite.Options options) {
    return ExternalMilvus.configured().<MilvusServer>map(e -> e).orElseGet(() -> MilvusLite.start(options));
  }

  /** {@link #start(MilvusLite.Options)} with the default options (Milvus Lite 3.2.2). */
  public static MilvusServer start() {
    return start(MilvusLite.options());
  }
}
