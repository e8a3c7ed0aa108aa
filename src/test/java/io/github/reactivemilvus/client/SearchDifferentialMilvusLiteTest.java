package io.github.reactivemilvus.client;

import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import io.github.reactivemilvus.testing.TestVenv;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** This client against pymilvus 3.0.2 on Milvus Lite 3.2.2. */
@ExtendWith(MilvusLiteExtension.class)
class SearchDifferentialMilvusLiteTest extends SearchDifferentialContract {
  private final MilvusLiteServer server;

  SearchDifferentialMilvusLiteTest(MilvusLiteServer server) {
    this.server = server;
  }

  @Override
  String uri() {
    return server.uri();
  }

  @Override
  Path python() {
    return TestVenv.ensureInstalled().resolve("bin").resolve("python");
  }

  @Override
  boolean supportsTextMatch() {
    return true;
  }
}
