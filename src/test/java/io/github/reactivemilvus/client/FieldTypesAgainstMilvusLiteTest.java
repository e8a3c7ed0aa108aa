package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

/**
 * The Milvus 2.6 field types through the typed client on the server that has them, Milvus Lite
 * 3.2.2: Timestamptz, Geometry (WKT), nullable fields left out or null, default values, JSON with
 * path filters. (Lite 3.2.2 has no Text or Int8Vector: those are covered by the codec tests. Lite
 * 2.5.1 rejects nullable fields, Geometry and Timestamptz; Milvus 2.3.5 has none of them.)
 */
@ExtendWith(MilvusLiteExtension.class)
class FieldTypesAgainstMilvusLiteTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void newerFieldTypesAreWrittenAndReadBack(MilvusLiteServer server) {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("lite", Map.of("uri", server.uri())).block(WAIT);
      MilvusClient client = MilvusClient.of(registry, "lite");
      String name = "types_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      Schema schema = Schema.builder()
          .field(Field.int64("id").primaryKey())
          .field(Field.floatVector("v", 2))
          .field(Field.builder("at", DataType.Timestamptz).nullable(true))
          .field(Field.builder("place", DataType.Geometry).nullable(true))
          .field(Field.varChar("note", 32).nullable(true))
          .field(Field.builder("rank", DataType.Int64).defaultValue(7L))
          .field(Field.builder("meta", DataType.JSON).nullable(true))
          .build();
      try {
        client.createCollection(name, schema, List.of(IndexParam.builder("v").indexType("FLAT").metricType("L2").build()))
            .block(WAIT);
        client.loadCollection(name).block(WAIT);
        Map<String, Object> full = new HashMap<>(Map.of("id", 1L, "v", new float[] {1, 0},
            "at", OffsetDateTime.parse("2025-01-02T03:04:05Z"), "place", "POINT (1 2)", "note", "n", "rank", 3L,
            "meta", Map.of("k", 1, "tags", List.of("x"))));
        Map<String, Object> sparse = new HashMap<>(Map.of("id", 2L, "v", new float[] {0, 1}));
        sparse.put("note", null);
        client.insert(name, Flux.just(full, sparse)).blockLast(WAIT);

        List<Map<String, Object>> rows = client.query(Query.builder(name).filter("id >= 0")
            .outputFields("at", "place", "note", "rank", "meta").build()).block(WAIT);
        Map<String, Object> one = rows.stream().filter(r -> r.get("id").equals(1L)).findFirst().orElseThrow();
        Map<String, Object> two = rows.stream().filter(r -> r.get("id").equals(2L)).findFirst().orElseThrow();
        assertThat(one).containsEntry("place", "POINT (1 2)")
            .containsEntry("note", "n").containsEntry("rank", 3L);
        assertThat(((OffsetDateTime) one.get("at")).toInstant()).isEqualTo(OffsetDateTime.parse("2025-01-02T03:04:05Z").toInstant());
        assertThat(two).containsEntry("at", null).containsEntry("place", null)
            .containsEntry("note", null).containsEntry("rank", 7L);

        assertThat(client.query(Query.builder(name).filter("meta[\"k\"] == 1").build()).block(WAIT))
            .extracting(r -> r.get("id")).containsExactly(1L);
        assertThat(client.query(Query.builder(name).filter("json_contains(meta[\"tags\"], \"x\")").build()).block(WAIT))
            .extracting(r -> r.get("id")).containsExactly(1L);
        assertThat(client.query(Query.builder(name).filter("note is null").build()).block(WAIT))
            .extracting(r -> r.get("id")).containsExactly(2L);
      } finally {
        client.dropCollection(name).onErrorComplete().block(WAIT);
      }
    }
  }
}
