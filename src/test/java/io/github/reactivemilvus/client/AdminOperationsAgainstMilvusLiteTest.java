package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

/**
 * Partitions, collection properties, statistics, load state, aliases, flush and compaction through the typed
 * groups against Milvus Lite 3.2.2 (one registry and collection-per-test on the shared server). Lite 3.2.2
 * answers LoadPartitions/ReleasePartitions UNIMPLEMENTED (tested against Milvus 2.3.5 instead).
 */
@ExtendWith(MilvusLiteExtension.class)
class AdminOperationsAgainstMilvusLiteTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static ReactiveConnections registry;
  private static MilvusClient client;
  private static MilvusStub stub;

  @BeforeAll
  static void connect(MilvusLiteServer server) {
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("lite", Map.of("uri", server.uri())).block(WAIT);
    client = MilvusClient.of(registry, "lite");
    stub = registry.stub("lite");
  }

  @AfterAll
  static void close() {
    registry.close();
  }

  private static String collectionWithRows(String prefix, int rows, String partition) {
    String name = CollectionsAndSearchAgainstMilvusLiteTest.name(prefix);
    client.createCollection(name, 4, "L2").block(WAIT);
    if (partition != null) {
      Partitions.of(stub).create(name, partition).block(WAIT);
    }
    WriteOptions options = partition == null ? WriteOptions.DEFAULTS : WriteOptions.DEFAULTS.withPartition(partition);
    client.insert(name, Flux.range(0, rows).map(i -> Map.<String, Object>of("id", (long) i, "vector", new float[] {i, 1, 0, 0})),
        options).blockLast(WAIT);
    return name;
  }

  @Test
  void partitionsAreCreatedFoundCountedAndDropped() {
    Partitions partitions = Partitions.of(stub);
    String name = collectionWithRows("parts", 6, "p1");
    try {
      assertThat(partitions.has(name, "p1").block(WAIT)).isTrue();
      assertThat(partitions.has(name, "p2").block(WAIT)).isFalse();
      assertThat(partitions.list(name).block(WAIT)).containsExactlyInAnyOrder("_default", "p1");
      Maintenance.of(stub).flush(List.of(name)).block(WAIT);
      assertThat(partitions.rowCount(name, "p1").block(WAIT)).isEqualTo(6);
      assertThat(partitions.rowCount(name, "_default").block(WAIT)).isZero();
      client.releaseCollection(name).block(WAIT);
      partitions.drop(name, "p1").block(WAIT);
      assertThat(partitions.has(name, "p1").block(WAIT)).isFalse();
    } finally {
      client.dropCollection(name).block(WAIT);
    }
  }

  @Test
  void collectionPropertiesAreSetReadBackAndDropped() {
    CollectionAdmin admin = CollectionAdmin.of(stub);
    String name = collectionWithRows("props", 3, null);
    try {
      admin.alterProperties(name, Map.of("collection.ttl.seconds", "3600")).block(WAIT);
      assertThat(client.describeCollection(name).block(WAIT).properties()).containsEntry("collection.ttl.seconds", "3600");
      admin.dropProperties(name, List.of("collection.ttl.seconds")).block(WAIT);
      assertThat(client.describeCollection(name).block(WAIT).properties()).doesNotContainKey("collection.ttl.seconds");
    } finally {
      client.dropCollection(name).block(WAIT);
    }
  }

  @Test
  void statisticsLoadStateListingAndAliasesAreTyped() {
    CollectionAdmin admin = CollectionAdmin.of(stub);
    String name = collectionWithRows("stats", 5, null);
    String alias = CollectionsAndSearchAgainstMilvusLiteTest.name("al");
    try {
      Maintenance.of(stub).flush(List.of(name)).block(WAIT);
      assertThat(admin.rowCount(name).block(WAIT)).isEqualTo(5);
      assertThat(admin.loadState(name).block(WAIT)).isEqualTo(LoadState.LOADED);
      client.releaseCollection(name).block(WAIT);
      assertThat(admin.loadState(name).block(WAIT)).isEqualTo(LoadState.NOT_LOAD);
      assertThat(admin.listDetailed().block(WAIT)).extracting(CollectionAdmin.CollectionSummary::name).contains(name);
      client.createAlias(name, alias).block(WAIT);
      assertThat(admin.describeAlias(alias).block(WAIT)).isEqualTo(name);
      client.dropAlias(alias).block(WAIT);
    } finally {
      client.dropCollection(name).block(WAIT);
    }
  }

  @Test
  void aFlushIsFollowedToItsEndAndACompactionReportsItsState() {
    Maintenance maintenance = Maintenance.of(stub);
    String name = collectionWithRows("flush", 4, null);
    try {
      Maintenance.FlushTicket ticket = maintenance.flush(List.of(name)).block(WAIT);
      maintenance.waitFlushed(ticket, Duration.ofMillis(50), WAIT).block(WAIT);
      long compaction = maintenance.compact(name, false).block(WAIT);
      assertThat(maintenance.compactionState(compaction).block(WAIT).state()).isEqualTo(Maintenance.CompactionState.COMPLETED);
    } finally {
      client.dropCollection(name).block(WAIT);
    }
  }
}
