package io.github.reactivemilvus.client;

import io.github.reactivemilvus.testing.MilvusLite25Extension;
import io.github.reactivemilvus.testing.MilvusLite25Server;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * RAG searches on Milvus Lite 2.5.1 (the C++ engine). Supported there: BM25 by text, hybrid RRF,
 * weighted dense + dense, group-by (group_size is ignored: one hit per group), range search, dynamic
 * fields. Not: text_match ("Invalid expr"), a weighted ranker over BM25 (normalises BM25 as a
 * distance, silently), filter templates (see FilterTemplateRequestTest).
 */
@ExtendWith(MilvusLite25Extension.class)
class RagSearchAgainstLite25Test extends RagSearchContract {
  private final MilvusLite25Server server;

  RagSearchAgainstLite25Test(MilvusLite25Server server) {
    this.server = server;
  }

  @Override
  String uri() {
    return server.uri();
  }

  @Override
  boolean supports(Feature feature) {
    return switch (feature) {
      case BM25, HYBRID, GROUP_BY, RANGE, DYNAMIC -> true;
      case TEXT_MATCH, WEIGHTED_BM25, GROUP_SIZE -> false;
    };
  }
}
