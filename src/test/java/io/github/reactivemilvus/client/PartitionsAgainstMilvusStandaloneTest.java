package io.github.reactivemilvus.client;

import static io.github.reactivemilvus.client.CollectionsAndSearchAgainstMilvusLiteTest.name;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusStandaloneExtension;
import io.github.reactivemilvus.testing.MilvusStandaloneServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

/**
 * The typed partition operations against Milvus 2.3.5 standalone with authorization on, as root: create,
 * has, list, insert into the partition, statistics after flush, load with its load state, a search and a
 * query restricted to the partition, release and drop.
 */
@ExtendWith(MilvusStandaloneExtension.class)
class PartitionsAgainstMilvusStandaloneTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final int DIM = 4;
  private ReactiveConnections registry;
  private MilvusClient client;
  private Partitions partitions;
  private String collection;

  @BeforeEach
  void setUp(MilvusStandaloneServer milvus) {
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("root", Map.of("uri", milvus.uri(), "user", milvus.user(), "password", milvus.password(),
        "timeout", 60)).block(WAIT);
    client = MilvusClient.of(registry, "root");
    partitions = client.partitions();
    collection = name("parts");
  }

  @AfterEach
  void tearDown() {
    try {
      client.dropCollection(collection).onErrorComplete().block(WAIT);
      assertThat(client.hasCollection(collection).block(WAIT)).isFalse();
    } finally {
      registry.close();
    }
  }

  @Test
  void aPartitionIsFilledCountedLoadedSearchedAndReleased() {
    Schema schema = Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", DIM)).build();
    client.createCollection(collection, schema,
        List.of(IndexParam.builder("v").indexType("FLAT").metricType("L2").build())).block(WAIT);
    String partition = "p1";
    partitions.create(collection, partition).block(WAIT);
    assertThat(partitions.has(collection, partition).block(WAIT)).isTrue();
    assertThat(partitions.has(collection, "absent").block(WAIT)).isFalse();
    assertThat(partitions.list(collection).block(WAIT)).containsExactlyInAnyOrder("_default", partition);

    List<WriteResult> inPartition = client.insert(collection, Flux.range(0, 5).map(i -> row(i)),
        WriteOptions.DEFAULTS.withPartition(partition)).collectList().block(WAIT);
    assertThat(inPartition.stream().mapToLong(WriteResult::insertCount).sum()).isEqualTo(5);
    client.insert(collection, Flux.range(100, 3).map(i -> row(i))).blockLast(WAIT);
    client.flush(collection).block(WAIT);
    assertThat(partitions.rowCount(collection, partition).block(WAIT)).isEqualTo(5L);
    assertThat(partitions.rowCount(collection, "_default").block(WAIT)).isEqualTo(3L);

    assertThat(partitions.loadState(collection, List.of(partition)).block(WAIT)).isEqualTo(LoadState.NOT_LOAD);
    partitions.load(collection, List.of(partition)).block(WAIT);
    assertThat(awaitLoadState(partition, LoadState.LOADED)).isEqualTo(LoadState.LOADED);
    assertThat(partitions.loadState(collection, List.of("_default")).block(WAIT)).isEqualTo(LoadState.NOT_LOAD);

    List<Map<String, Object>> rows = client.query(Query.builder(collection).filter("id >= 0").partitions(partition)
        .consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
    assertThat(rows).extracting(r -> r.get("id")).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
    List<List<Hit>> hits = client.search(Search.builder(collection).vector(vector(100)).limit(10).metricType("L2")
        .partitions(partition).consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
    assertThat(hits.get(0)).extracting(Hit::id).containsExactly(4L, 3L, 2L, 1L, 0L);
    // 2.3.5 predates the server-side search iterator: after its probe, range searches page through
    assertThat(client.searchIterator(Search.builder(collection).vector(vector(100)).limit(10).metricType("L2")
        .partitions(partition).consistency(ConsistencyLevel.STRONG).build(), 2).map(Hit::id).collectList().block(WAIT))
        .containsExactly(4L, 3L, 2L, 1L, 0L);

    partitions.release(collection, List.of(partition)).block(WAIT);
    assertThat(awaitLoadState(partition, LoadState.NOT_LOAD)).isEqualTo(LoadState.NOT_LOAD);

    partitions.drop(collection, partition).block(WAIT);
    assertThat(partitions.has(collection, partition).block(WAIT)).isFalse();
    assertThat(partitions.list(collection).block(WAIT)).containsExactly("_default");
  }

  private LoadState awaitLoadState(String partition, LoadState wanted) {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    LoadState state = partitions.loadState(collection, List.of(partition)).block(WAIT);
    while (state != wanted && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      state = partitions.loadState(collection, List.of(partition)).block(WAIT);
    }
    return state;
  }

  private static Map<String, Object> row(int i) {
    return Map.of("id", (long) i, "v", vector(i));
  }

  private static float[] vector(int i) {
    return new float[] {i, 0, 0, 0};
  }
}
