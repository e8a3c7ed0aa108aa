package io.github.reactivemilvus.client;

import io.github.reactivemilvus.testing.MilvusLite25Extension;
import io.github.reactivemilvus.testing.MilvusLite25Server;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** This client against pymilvus 2.5.18 on Milvus Lite 2.5.1 (text_match left out: the server rejects it). */
@ExtendWith(MilvusLite25Extension.class)
class SearchDifferentialLite25Test extends SearchDifferentialContract {
  private final MilvusLite25Server server;

  SearchDifferentialLite25Test(MilvusLite25Server server) {
    this.server = server;
  }

  @Override
  String uri() {
    return server.uri();
  }

  @Override
  Path python() {
    return MilvusLite25Server.python();
  }

  @Override
  boolean supportsTextMatch() {
    return false;
  }
}
