package io.github.reactivemilvus.client;

import io.github.reactivemilvus.testing.MilvusStandaloneExtension;
import io.github.reactivemilvus.testing.MilvusStandaloneServer;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RAG searches on Milvus 2.3.5: range search, dynamic fields and the streamed single-vector search.
 * The rest came after 2.3 (BM25 functions and text_match in 2.5, hybrid search and group-by in 2.4).
 */
@ExtendWith(MilvusStandaloneExtension.class)
class RagSearchAgainstMilvusStandaloneTest extends RagSearchContract {
  private final MilvusStandaloneServer server;

  RagSearchAgainstMilvusStandaloneTest(MilvusStandaloneServer server) {
    this.server = server;
  }

  @Override
  String uri() {
    return "http://" + server.user() + ":" + server.password() + "@127.0.0.1:" + server.port();
  }

  @Override
  boolean supports(Feature feature) {
    return feature == Feature.RANGE || feature == Feature.DYNAMIC;
  }
}
