package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.test.server.LiteVersion;
import io.github.reactivemilvus.test.server.MilvusLite;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the test class's Milvus Lite server (the published test artifact's {@link MilvusLite}: its own process
 * group on a free port, stopped with the class, also when the JVM is killed) before the Spring context of the
 * test class is created, for {@code @DynamicPropertySource} methods. Declare it before {@code @SpringBootTest}.
 * Every test class of the starter runs in a JVM of its own, so one server per class is one per JVM.
 */
public final class MilvusLiteUri implements BeforeAllCallback {
  /** What the server answers to GetVersion. */
  static final String EXPECTED_VERSION = "milvus_lite-" + LiteVersion.V3_2_2.version();

  private static volatile MilvusLite server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = context.getRoot().getStore(ExtensionContext.Namespace.create(MilvusLiteUri.class))
        .getOrComputeIfAbsent("server", k -> new Running(MilvusLite.start()), Running.class).server;
  }

  /** The running server; fails when the extension is not declared. */
  static MilvusLite server() {
    MilvusLite s = server;
    if (s == null) {
      throw new IllegalStateException("declare @ExtendWith(MilvusLiteUri.class) before @SpringBootTest");
    }
    return s;
  }

  /** Stops the server when the test run ends. */
  private record Running(MilvusLite server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      server.close();
    }
  }
}
