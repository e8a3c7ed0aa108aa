package io.github.reactivemilvus.client;

import io.github.reactivemilvus.ReactiveConnections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Flux;

/**
 * A small retrieval collection as a RAG service has it: chunks of four documents ({@code doc}, three
 * chunks each), their text (analyzer on, match on) with a BM25 function into {@code sparse}, a dense
 * vector (COSINE) and a dynamic key {@code lang}. Made through this client; dropped by {@link #close()}.
 */
final class RagSearchFixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final int DIM = 4;
  static final List<String> TEXTS = List.of(
      "apple pie recipe with cinnamon",
      "banana bread and apple muffins",
      "quick brown fox jumps",
      "apple apple apple orchard",
      "lazy dog sleeps all day",
      "fox and dog are friends",
      "cherry pie with whipped cream",
      "milvus vector database search",
      "hybrid search with bm25 and dense vectors",
      "grouping hits by document",
      "range search keeps a band of scores",
      "filter templates keep user input out of expressions");

  final ReactiveConnections registry;
  final MilvusClient client;
  final String collection;

  private RagSearchFixture(ReactiveConnections registry, MilvusClient client, String collection) {
    this.registry = registry;
    this.client = client;
    this.collection = collection;
  }

  /** Connects to {@code uri} and makes the collection; {@code bm25} false leaves out the text function. */
  static RagSearchFixture create(String uri, boolean bm25) {
    ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("rag", Map.of("uri", uri)).block(WAIT);
    MilvusClient client = MilvusClient.of(registry, "rag");
    String collection = "rag_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    RagSearchFixture fixture = new RagSearchFixture(registry, client, collection);
    try {
      fixture.make(bm25);
    } catch (RuntimeException | Error e) {
      fixture.close();
      throw e;
    }
    return fixture;
  }

  static float[] dense(int i) {
    float[] v = {(float) Math.cos(i * 0.7), (float) Math.sin(i * 0.7), (i % 3) / 3f, 0.5f};
    return v;
  }

  static String doc(int i) {
    return "d" + (i / 3);
  }

  private void make(boolean bm25) {
    Schema.Builder schema = Schema.builder().enableDynamicField(true)
        .field(Field.int64("id").primaryKey())
        .field(Field.floatVector("dense", DIM))
        .field(Field.varChar("doc", 16));
    List<IndexParam> indexes = new ArrayList<>();
    indexes.add(IndexParam.builder("dense").indexType("FLAT").metricType("COSINE").build());
    if (bm25) {
      schema.field(Field.varChar("text", 256).typeParam("enable_analyzer", "true").typeParam("enable_match", "true")
              .typeParam("analyzer_params", "{\"type\": \"standard\"}"))
          .field(Field.builder("sparse", DataType.SparseFloatVector))
          .bm25("text_bm25", "text", "sparse");
      indexes.add(IndexParam.builder("sparse").indexType("SPARSE_INVERTED_INDEX").metricType("BM25")
          .param("bm25_k1", 1.5).param("bm25_b", 0.75).build());
    } else {
      schema.field(Field.varChar("text", 256));
    }
    client.createCollection(collection, schema.build(), indexes).block(WAIT);
    client.loadCollection(collection).block(WAIT);
    client.insert(collection, Flux.range(0, TEXTS.size()).map(i -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", (long) i);
      row.put("dense", dense(i));
      row.put("doc", doc(i));
      row.put("text", TEXTS.get(i));
      row.put("lang", i % 2 == 0 ? "en" : "fr");
      return row;
    })).blockLast(WAIT);
    client.flush(collection).block(WAIT);
  }

  @Override
  public void close() {
    try {
      client.dropCollection(collection).onErrorComplete().block(WAIT);
    } finally {
      registry.close();
    }
  }
}
