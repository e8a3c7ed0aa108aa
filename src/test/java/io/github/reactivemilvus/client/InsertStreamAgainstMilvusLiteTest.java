package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

/** Streamed writes: batches by count and bytes, bounded in flight, a source pulled as batches complete. */
@ExtendWith(MilvusLiteExtension.class)
class InsertStreamAgainstMilvusLiteTest {
  static final Duration WAIT = Duration.ofMinutes(3);
  private RecordingProxy proxy;
  private ReactiveConnections registry;
  private MilvusClient client;
  private String name;

  @BeforeEach
  void setUp(MilvusLiteServer server) {
    proxy = RecordingProxy.start(server.target());
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("lite", Map.of("uri", proxy.uri())).block(WAIT);
    client = MilvusClient.of(registry, "lite");
    name = CollectionsAndSearchAgainstMilvusLiteTest.name("stream");
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    client.dropCollection(name).onErrorComplete().block(WAIT);
    registry.close();
    proxy.close();
  }

  @Test
  void hundredThousandRowsGoInBoundedBatchesWithAtMostNInFlight() {
    client.createCollection(name, 8, "L2").block(WAIT);
    int batchRows = 1_000;
    int maxInFlight = 3;
    AtomicLong pulled = new AtomicLong();
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong mostAhead = new AtomicLong();
    Flux<Map<String, Object>> rows = Flux.range(0, 100_000)
        .map(i -> Map.<String, Object>of("id", (long) i, "vector", new float[] {i, 1, 2, 3, 4, 5, 6, 7}, "note", "n" + i))
        .doOnNext(r -> mostAhead.accumulateAndGet(pulled.incrementAndGet() - acknowledged.get(), Math::max));
    List<WriteResult> results = client.insert(name, rows,
            WriteOptions.DEFAULTS.withBatchRows(batchRows).withMaxInFlight(maxInFlight))
        .doOnNext(r -> acknowledged.addAndGet(r.rows()))
        .collectList().block(WAIT);

    assertThat(results).hasSize(100);
    assertThat(results).extracting(WriteResult::batch).containsExactlyElementsOf(
        java.util.stream.LongStream.range(0, 100).boxed().toList());
    assertThat(results).allSatisfy(r -> {
      assertThat(r.rows()).isEqualTo(batchRows);
      assertThat(r.insertCount()).isEqualTo(batchRows);
      assertThat(r.ids()).hasSize(batchRows).first().isEqualTo(r.firstRow());
    });
    assertThat(proxy.calls("Insert")).isEqualTo(100);
    assertThat(proxy.maxInFlight("Insert")).isBetween(1, maxInFlight);
    // at most the batches in flight, the one being filled and the one waiting its turn in order
    assertThat(mostAhead.get()).isLessThanOrEqualTo((long) (maxInFlight + 2) * batchRows);
    assertThat(client.query(Query.builder(name).filter("id >= 99990").consistency(ConsistencyLevel.STRONG).build()).block(WAIT))
        .hasSize(10);
  }

  @Test
  void batchesAlsoEndAtTheByteBudget() {
    client.createCollection(name, 8, "L2").block(WAIT);
    // each row is about 8 + 32 + 10 bytes of payload, plus keys: 400 bytes hold a handful of rows
    List<WriteResult> results = client.insert(name, Flux.range(0, 100)
            .map(i -> Map.<String, Object>of("id", (long) i, "vector", new float[8], "note", "0123456789")),
        WriteOptions.DEFAULTS.withBatchBytes(400)).collectList().block(WAIT);
    int perBatch = results.get(0).rows();
    assertThat(perBatch).isGreaterThan(1).isLessThan(100);
    assertThat(results.stream().mapToInt(WriteResult::rows).sum()).isEqualTo(100);
    assertThat(proxy.calls("Insert")).isEqualTo(results.size());
  }

  @Test
  void aBadRowFailsTheStreamBeforeItsBatchIsSent() {
    client.createCollection(name, 8, "L2").block(WAIT);
    Flux<Map<String, Object>> rows = Flux.range(0, 250).map(i -> i == 160
        ? Map.<String, Object>of("id", (long) i, "vector", "not a vector")
        : Map.<String, Object>of("id", (long) i, "vector", new float[8]));
    AtomicLong written = new AtomicLong();
    Throwable error = client.insert(name, rows, WriteOptions.DEFAULTS.withBatchRows(100).withMaxInFlight(1))
        .doOnNext(r -> written.addAndGet(r.rows()))
        .then().materialize().block(WAIT).getThrowable();
    assertThat(error).isInstanceOf(RowConversionException.class).hasMessageContaining("row 160, field 'vector'");
    assertThat(written.get()).isEqualTo(100);
    assertThat(proxy.calls("Insert")).isEqualTo(1);
  }

  @Test
  void upsertReplacesRowsWithTheSameKey() {
    client.createCollection(name, 8, "L2").block(WAIT);
    client.insert(name, Flux.range(0, 10).map(i -> Map.<String, Object>of("id", (long) i, "vector", new float[8], "v", 1)))
        .blockLast(WAIT);
    List<WriteResult> results = client.upsert(name, Flux.range(5, 10)
        .map(i -> Map.<String, Object>of("id", (long) i, "vector", new float[8], "v", 2))).collectList().block(WAIT);
    assertThat(results.get(0).upsertCount()).isEqualTo(10);
    List<Map<String, Object>> all = client.query(Query.builder(name).filter("id >= 0").outputFields("v")
        .consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
    assertThat(all).hasSize(15);
    assertThat(all.stream().filter(r -> r.get("v").equals(2L)).count()).isEqualTo(10);
  }
}
