package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.proto.QueryRequest;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

/**
 * The query iterator pins every page after the first to the first page's snapshot: the requests
 * it sends carry one guarantee timestamp. Neither Milvus Lite keeps snapshots (rows inserted while
 * iterating still show there), so what is checked is the request, recorded by a proxy in front of
 * Milvus Lite 3.2.2; a Milvus 2.4+ server that returns {@code session_ts} hides later rows.
 */
@ExtendWith(MilvusLiteExtension.class)
class QueryIteratorSnapshotTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void laterPagesCarryTheFirstPagesSnapshot(MilvusLiteServer lite) throws Exception {
    try (RecordingProxy proxy = RecordingProxy.start(lite.target());
        ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("lite", Map.of("uri", proxy.uri())).block(WAIT);
      MilvusClient client = MilvusClient.of(registry, "lite");
      String name = "snap_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      try {
        client.createCollection(name, 2, "L2").block(WAIT);
        client.insert(name, Flux.range(0, 40).map(i -> Map.<String, Object>of("id", (long) i, "vector", new float[] {i, 1})))
            .blockLast(WAIT);
        List<Map<String, Object>> rows = client.queryIterator(Query.builder(name).filter("id >= 0").build(), 10)
            .collectList().block(WAIT);
        assertThat(rows).hasSize(40);
        List<Long> guarantees = proxy.requests("Query").stream().map(QueryIteratorSnapshotTest::parse)
            .filter(q -> q.getCollectionName().equals(name)).map(QueryRequest::getGuaranteeTimestamp).toList();
        assertThat(guarantees).hasSizeGreaterThanOrEqualTo(4);
        assertThat(guarantees.get(0)).isZero();
        assertThat(guarantees.subList(1, guarantees.size())).allSatisfy(ts -> assertThat(ts).isPositive())
            .containsOnly(guarantees.get(1));
      } finally {
        client.dropCollection(name).onErrorComplete().block(WAIT);
      }
    }
  }

  private static QueryRequest parse(byte[] bytes) {
    try {
      return QueryRequest.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
