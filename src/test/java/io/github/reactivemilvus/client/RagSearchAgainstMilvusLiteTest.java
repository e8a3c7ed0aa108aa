package io.github.reactivemilvus.client;

import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RAG searches on Milvus Lite 3.2.2 (the Python re-implementation). Supported there: BM25 by text
 * (scores come back negated), hybrid RRF and weighted (BM25 included), text_match, group-by with
 * group_size (groups are formed in a window of the top hits), range search, dynamic fields. Not:
 * filter templates (see FilterTemplateRequestTest).
 */
@ExtendWith(MilvusLiteExtension.class)
class RagSearchAgainstMilvusLiteTest extends RagSearchContract {
  private final MilvusLiteServer server;

  RagSearchAgainstMilvusLiteTest(MilvusLiteServer server) {
    this.server = server;
  }

  @Override
  String uri() {
    return server.uri();
  }

  @Override
  float bm25Sign() {
    return -1f;
  }

  @Override
  boolean supports(Feature feature) {
    return true;
  }
}
