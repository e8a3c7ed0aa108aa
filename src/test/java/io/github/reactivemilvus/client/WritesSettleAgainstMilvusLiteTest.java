package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * A write stream that fails or is cancelled midway leaves no write unreported: the rows Milvus
 * holds are exactly the rows the stream reported (results before the error, the summary, or the
 * late results after a cancel). Milvus Lite 3.2.2.
 */
@ExtendWith(MilvusLiteExtension.class)
class WritesSettleAgainstMilvusLiteTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final WriteOptions OPTIONS = WriteOptions.DEFAULTS.withBatchRows(500).withMaxInFlight(2);
  private ReactiveConnections registry;
  private MilvusClient client;
  private String name;

  @BeforeEach
  void setUp(MilvusLiteServer server) {
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("lite", Map.of("uri", server.uri())).block(WAIT);
    client = MilvusClient.of(registry, "lite");
    name = "settle_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    client.createCollection(name, 4, "L2").block(WAIT);
  }

  @AfterEach
  void tearDown() {
    client.dropCollection(name).onErrorComplete().block(WAIT);
    registry.close();
  }

  private static Map<String, Object> row(long id) {
    return Map.of("id", id, "vector", new float[] {id, 1, 2, 3});
  }

  private long rowsInMilvus() {
    return client.query(Query.builder(name).filter("id >= 0").outputFields("id").limit(16_000).build()).block(WAIT).size();
  }

  @Test
  void aBadRowMidStreamReportsEveryBatchSentBeforeTheError() {
    Flux<Map<String, Object>> rows = Flux.range(0, 2_500)
        .map(i -> i == 2_400 ? Map.<String, Object>of("id", 2_400L, "vector", new float[] {1, 2, 3}) : row(i));
    List<WriteResult> reported = new CopyOnWriteArrayList<>();
    Throwable error = catchThrowable(() -> client.insert(name, rows, OPTIONS).doOnNext(reported::add).blockLast(WAIT));
    assertThat(error).isInstanceOf(RowConversionException.class).hasMessageContaining("2400");
    assertThat(reported).extracting(WriteResult::batch).containsExactly(0L, 1L, 2L, 3L);
    assertThat(reported.stream().mapToLong(WriteResult::insertCount).sum()).isEqualTo(2_000).isEqualTo(rowsInMilvus());
  }

  @Test
  void anUploadCutOffMidStreamIsSummarisedAsExactlyTheRowsMilvusHolds() {
    IOException reset = new IOException("connection reset by peer");
    Flux<Map<String, Object>> rows = Flux.concat(Flux.range(0, 1_750).map(WritesSettleAgainstMilvusLiteTest::row), Flux.error(reset));
    WriteSummary summary = client.insertAll(name, rows, OPTIONS).block(WAIT);
    assertThat(summary.failure()).isSameAs(reset);
    assertThat(summary.complete()).isFalse();
    assertThat(summary.batches()).isEqualTo(3);
    assertThat(summary.rows()).isEqualTo(1_500).isEqualTo(rowsInMilvus());
    WriteSummary whole = client.insertAll(name, Flux.range(5_000, 700).map(WritesSettleAgainstMilvusLiteTest::row), OPTIONS)
        .block(WAIT);
    assertThat(whole).isEqualTo(new WriteSummary(700, 2, null));
  }

  @Test
  void aCancelledUploadLetsTheSentBatchesFinishAndReportsThemLate() throws InterruptedException {
    List<WriteResult> received = new CopyOnWriteArrayList<>();
    List<WriteResult> late = new CopyOnWriteArrayList<>();
    Disposable upload = client.insert(name, Flux.range(0, 100_000).map(WritesSettleAgainstMilvusLiteTest::row),
        OPTIONS.withLateResults(late::add)).subscribe(received::add);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (received.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    upload.dispose();
    // liveness bound only: the batches in flight at the cancel (at most 2) finish within their call deadline
    long reported = 0;
    long held = -1;
    while (System.nanoTime() < deadline) {
      reported = received.stream().mapToLong(WriteResult::insertCount).sum() + late.stream().mapToLong(WriteResult::insertCount).sum();
      held = rowsInMilvus();
      if (reported == held) {
        Thread.sleep(300);
        if (rowsInMilvus() == held) {
          break;
        }
      }
      Thread.sleep(50);
    }
    assertThat(held).isEqualTo(reported).isLessThan(100_000);
    assertThat(received).isNotEmpty();
  }
}
