package io.github.reactivemilvus.client;

import static io.github.reactivemilvus.client.CollectionsAndSearchAgainstMilvusLiteTest.bruteForce;
import static io.github.reactivemilvus.client.CollectionsAndSearchAgainstMilvusLiteTest.name;
import static io.github.reactivemilvus.client.CollectionsAndSearchAgainstMilvusLiteTest.randomVector;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusStandaloneExtension;
import io.github.reactivemilvus.testing.MilvusStandaloneServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

/**
 * The typed client against the real Go server, Milvus 2.3.5 standalone with authorization on:
 * schema, FLAT index, load, batched insert from a Flux, search equal to brute force, query, delete
 * and drop, authenticated as root.
 */
@ExtendWith(MilvusStandaloneExtension.class)
class ClientAgainstMilvusStandaloneTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Test
  void writesSearchesQueriesAndDeletesThroughAnAuthenticatedAlias(MilvusStandaloneServer milvus) {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("go", Map.of("uri", milvus.uri(), "user", milvus.user(),
          "password", milvus.password(), "timeout", 60)).block(WAIT);
      MilvusClient client = MilvusClient.of(registry, "go");
      String name = name("go");
      int dim = 16;
      Schema schema = Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", dim))
          .field(Field.varChar("tag", 16)).build();
      try {
        client.createCollection(name, schema,
            List.of(IndexParam.builder("v").indexType("FLAT").metricType("L2").build())).block(WAIT);
        client.loadCollection(name).block(WAIT);
        Random random = new Random(7);
        List<float[]> vectors = IntStream.range(0, 300).mapToObj(i -> randomVector(random, dim)).toList();
        List<WriteResult> batches = client.insert(name, Flux.range(0, 300).map(i -> Map.<String, Object>of(
                "id", (long) i, "v", vectors.get(i), "tag", i % 2 == 0 ? "even" : "odd")),
            WriteOptions.DEFAULTS.withBatchRows(100)).collectList().block(WAIT);
        assertThat(batches).hasSize(3);
        assertThat(batches.stream().mapToLong(WriteResult::insertCount).sum()).isEqualTo(300);

        float[] q = randomVector(random, dim);
        List<List<Hit>> hits = client.search(Search.builder(name).vector(q).limit(10).metricType("L2")
            .consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
        assertThat(hits.get(0)).extracting(Hit::id).containsExactlyElementsOf(bruteForce(vectors, q, 10, i -> true));

        List<Map<String, Object>> odd = client.query(Query.builder(name).filter("tag == \"odd\" and id < 20")
            .outputFields("tag").consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
        assertThat(odd).hasSize(10).allSatisfy(row -> assertThat(row).containsEntry("tag", "odd"));

        client.delete(name, List.of(1L, 3L)).block(WAIT);
        List<Map<String, Object>> left = client.query(Query.builder(name).filter("id in [1, 3, 5]")
            .consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
        assertThat(left).extracting(row -> row.get("id")).containsExactly(5L);
      } finally {
        client.dropCollection(name).onErrorComplete().block(WAIT);
      }
      assertThat(client.hasCollection(name).block(WAIT)).isFalse();
    }
  }
}
