package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the run's Milvus Lite server (the library's harness: its own process group on a free
 * port, stopped when the run ends) before the Spring context of the test class is created, for
 * {@code @DynamicPropertySource} methods. Declare it before {@code @SpringBootTest}.
 */
public final class MilvusLiteUri implements BeforeAllCallback {
  private static volatile MilvusLiteServer server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = MilvusLiteExtension.server(context);
  }

  /** The running server; fails when the extension is not declared. */
  static MilvusLiteServer server() {
    MilvusLiteServer s = server;
    if (s == null) {
      throw new IllegalStateException("declare @ExtendWith(MilvusLiteUri.class) before @SpringBootTest");
    }
    return s;
  }
}
