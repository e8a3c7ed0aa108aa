package io.github.reactivemilvus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Properties;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * Checks that the protobuf-java runtime on the classpath can run the library's generated code
 * (protobuf-java 4.x, at least the version it was generated with, or 5.x). A build that resolved an older
 * protobuf-java (for example 3.25, which milvus-sdk-java brings) would otherwise fail deep inside
 * the first call with {@code NoClassDefFoundError: com/google/protobuf/RuntimeVersion$RuntimeDomain}.
 * Reads class and jar metadata: call it where blocking is allowed. Stateless.
 */
final class ProtobufRuntime {
  private static final String RUNTIME_VERSION = "com.google.protobuf.RuntimeVersion";

  private ProtobufRuntime() {}

  /** The versions this library was built and tested with, by family (protobuf, grpc, netty, reactor). */
  static Properties builtWith() {
    Properties p = new Properties();
    try (InputStream in = ProtobufRuntime.class.getResourceAsStream("runtime-versions.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** Throws {@link FailureKind#CLIENT} when the protobuf runtime does not fit the generated code. */
  static void check() {
    String required = builtWith().getProperty("protobuf", "4.33.2");
    String found = foundVersion();
    String problem = problem(found, required);
    if (problem != null) {
      throw new MilvusConnectionException(FailureKind.CLIENT, null, null, problem, null, 0, null);
    }
  }

  /**
   * The mismatch between the {@code found} runtime ({@code null} when unknown) and the
   * {@code required} one, as a message naming both and the fix; {@code null} when they fit: same
   * major version, and not older.
   */
  static @Nullable String problem(@Nullable String found, String required) {
    int[] need = numbers(required);
    int[] have = found == null ? null : numbers(found);
    // protobuf supports generated code on a runtime of the same major version, not older, and on
    // the next major version (with a warning of its own)
    if (have != null && ((have[0] == need[0] && compare(have, need) >= 0) || have[0] == need[0] + 1)) {
      return null;
    }
    return "protobuf-java " + (found == null ? "of an unknown version (older than 4.26)" : found)
        + " is on the classpath, but reactive-milvus-connections needs protobuf-java "
        + required + " or a later " + need[0] + ".x release: declare com.google.protobuf:protobuf-java:" + required
        + " (and protobuf-java-util, if used) in your build's dependency management, or import the"
        + " reactive-milvus-connections-bom before other BOMs (see the README, \"Dependency versions\")";
  }

  /** The runtime's version: RuntimeVersion's fields (4.26 and later) or the jar's manifest. */
  static @Nullable String foundVersion() {
    try {
      Class<?> v = Class.forName(RUNTIME_VERSION, true, ProtobufRuntime.class.getClassLoader());
      String suffix = String.valueOf(v.getField("SUFFIX").get(null));
      return v.getField("MAJOR").get(null) + "." + v.getField("MINOR").get(null) + "." + v.getField("PATCH").get(null)
          + (suffix.isEmpty() || suffix.equals("null") ? "" : suffix);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // no RuntimeVersion: a runtime older than 4.26
      return manifestVersion();
    }
  }

  private static @Nullable String manifestVersion() {
    try {
      URL location = com.google.protobuf.Message.class.getProtectionDomain().getCodeSource().getLocation();
      try (JarFile jar = new JarFile(new java.io.File(location.toURI()))) {
        String v = jar.getManifest().getMainAttributes().getValue("Bundle-Version");
        return v != null ? v : jar.getManifest().getMainAttributes().getValue("Implementation-Version");
      }
    } catch (Exception | LinkageError e) {
      return null;
    }
  }

  private static int[] numbers(String version) {
    String[] parts = version.split("[.-]");
    int[] n = new int[3];
    for (int i = 0; i < 3 && i < parts.length; i++) {
      try {
        n[i] = Integer.parseInt(parts[i].replaceAll("\\D.*", ""));
      } catch (NumberFormatException e) {
        n[i] = 0;
      }
    }
    return n;
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return 0;
  }
}
