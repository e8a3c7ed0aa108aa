package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusStandaloneExtension;
import io.github.reactivemilvus.testing.MilvusStandaloneServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

/**
 * Consistency levels on the server that stores them, Milvus 2.3.5 (both Milvus Lite versions read
 * back Strong whatever was asked): collections are Bounded unless asked otherwise, and a Session
 * read right after a write sees it.
 */
@ExtendWith(MilvusStandaloneExtension.class)
class ConsistencyAgainstMilvusStandaloneTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Test
  void collectionsAreBoundedByDefaultAndSessionReadsSeeTheClientsWrites(MilvusStandaloneServer milvus) {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("go", Map.of("uri", milvus.uri(), "user", milvus.user(), "password", milvus.password(),
          "timeout", 60)).block(WAIT);
      MilvusClient client = MilvusClient.of(registry, "go");
      String bounded = "cons_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      String session = bounded + "_s";
      Schema schema = Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", 2)).build();
      List<IndexParam> flat = List.of(IndexParam.builder("v").indexType("FLAT").metricType("L2").build());
      try {
        client.createCollection(bounded, schema, flat).block(WAIT);
        client.createCollection(session, schema, flat, ConsistencyLevel.SESSION).block(WAIT);
        assertThat(client.describeCollection(bounded).block(WAIT).consistencyLevel()).isEqualTo(ConsistencyLevel.BOUNDED);
        assertThat(client.describeCollection(session).block(WAIT).consistencyLevel()).isEqualTo(ConsistencyLevel.SESSION);
        client.loadCollection(session).block(WAIT);
        for (int round = 0; round < 3; round++) {
          long first = round * 100L;
          client.insert(session, Flux.range(0, 100).map(i -> Map.<String, Object>of("id", first + i, "v", new float[] {i, 1})))
              .blockLast(WAIT);
          // the collection's default level is Session: the read waits for the write just acknowledged
          assertThat(client.query(Query.builder(session).filter("id >= 0").outputFields("id").limit(1000).build()).block(WAIT))
              .hasSize((round + 1) * 100);
        }
      } finally {
        client.dropCollection(bounded).onErrorComplete().block(WAIT);
        client.dropCollection(session).onErrorComplete().block(WAIT);
      }
    }
  }
}
