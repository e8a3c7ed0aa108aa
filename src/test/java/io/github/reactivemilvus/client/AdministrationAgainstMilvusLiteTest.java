package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Databases and their routing, partitions, collection aliases, rename and hybrid search on Milvus Lite. */
@ExtendWith(MilvusLiteExtension.class)
class AdministrationAgainstMilvusLiteTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  private MilvusLiteServer server;
  private ReactiveConnections registry;
  private MilvusClient client;

  @BeforeEach
  void setUp(MilvusLiteServer server) {
    this.server = server;
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("lite", Map.of("uri", server.uri())).block(WAIT);
    client = MilvusClient.of(registry, "lite");
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void aCollectionMadeThroughAnAliasLivesInThatAliasDatabaseOnly() {
    String db = CollectionsAndSearchAgainstMilvusLiteTest.name("db");
    String name = CollectionsAndSearchAgainstMilvusLiteTest.name("routed");
    client.createDatabase(db).block(WAIT);
    try {
      assertThat(client.listDatabases().block(WAIT)).contains(db);
      assertThat(client.describeDatabase(db).block(WAIT)).isNotNull();
      registry.addConnection("in_db", Map.of("uri", server.uri(), "db_name", db)).block(WAIT);
      MilvusClient inDb = MilvusClient.of(registry, "in_db");
      inDb.createCollection(name, 4, "L2").block(WAIT);
      inDb.insert(name, Flux.just(Map.of("id", 1L, "vector", new float[] {1, 2, 3, 4}))).blockLast(WAIT);
      assertThat(inDb.listCollections().block(WAIT)).contains(name);
      assertThat(inDb.get(name, List.of(1L)).block(WAIT)).hasSize(1);
      assertThat(client.listCollections().block(WAIT)).doesNotContain(name);
      assertThat(client.hasCollection(name).block(WAIT)).isFalse();
      inDb.dropCollection(name).block(WAIT);
    } finally {
      client.dropDatabase(db).onErrorComplete().block(WAIT);
    }
    assertThat(client.listDatabases().block(WAIT)).doesNotContain(db);
  }

  @Test
  void partitionsHoldTheirRowsAndAreListedUntilDropped() {
    String name = CollectionsAndSearchAgainstMilvusLiteTest.name("parts");
    client.createCollection(name, 4, "L2").block(WAIT);
    try {
      client.createPartition(name, "p1").block(WAIT);
      assertThat(client.listPartitions(name).block(WAIT)).contains("_default", "p1");
      client.insert(name, Flux.range(0, 5).map(i -> Map.<String, Object>of("id", (long) i, "vector", new float[] {i, 0, 0, 1})),
          WriteOptions.DEFAULTS.withPartition("p1")).blockLast(WAIT);
      client.insert(name, Flux.range(5, 3).map(i -> Map.<String, Object>of("id", (long) i, "vector", new float[] {i, 0, 0, 1})))
          .blockLast(WAIT);
      assertThat(client.query(Query.builder(name).filter("id >= 0").partitions("p1").consistency(ConsistencyLevel.STRONG).build())
          .block(WAIT)).hasSize(5);
      List<List<Hit>> hits = client.search(Search.builder(name).vector(new float[] {6, 0, 0, 1}).limit(3).partitions("p1")
          .consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
      assertThat(hits.get(0)).extracting(Hit::id).containsExactly(4L, 3L, 2L);
      client.releaseCollection(name).block(WAIT);
      client.dropPartition(name, "p1").block(WAIT);
      assertThat(client.listPartitions(name).block(WAIT)).doesNotContain("p1");
    } finally {
      client.dropCollection(name).onErrorComplete().block(WAIT);
    }
  }

  @Test
  void collectionAliasesAndRenameResolve() {
    String a = CollectionsAndSearchAgainstMilvusLiteTest.name("ca");
    String b = CollectionsAndSearchAgainstMilvusLiteTest.name("cb");
    String renamed = CollectionsAndSearchAgainstMilvusLiteTest.name("renamed");
    String alias = CollectionsAndSearchAgainstMilvusLiteTest.name("al");
    client.createCollection(a, 4, "L2").block(WAIT);
    client.createCollection(b, 4, "L2").block(WAIT);
    try {
      client.insert(b, Flux.just(Map.of("id", 42L, "vector", new float[] {1, 1, 1, 1}))).blockLast(WAIT);
      client.createAlias(a, alias).block(WAIT);
      assertThat(client.listAliases(a).block(WAIT)).containsExactly(alias);
      assertThat(client.describeCollection(alias).block(WAIT).name()).isEqualTo(a);
      client.alterAlias(b, alias).block(WAIT);
      assertThat(client.get(alias, List.of(42L)).block(WAIT)).hasSize(1);
      client.dropAlias(alias).block(WAIT);
      assertThat(client.hasCollection(alias).block(WAIT)).isFalse();
      client.releaseCollection(a).block(WAIT);
      client.renameCollection(a, renamed).block(WAIT);
      assertThat(client.hasCollection(renamed).block(WAIT)).isTrue();
      assertThat(client.hasCollection(a).block(WAIT)).isFalse();
    } finally {
      for (String n : List.of(a, b, renamed)) {
        client.dropCollection(n).onErrorComplete().block(WAIT);
      }
    }
  }

  @Test
  void hybridSearchMergesADenseAndASparseSearch() {
    String name = CollectionsAndSearchAgainstMilvusLiteTest.name("hybrid");
    Schema schema = Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("dense", 2))
        .field(Field.builder("sparse", DataType.SparseFloatVector)).field(Field.varChar("title", 32)).build();
    client.createCollection(name, schema, List.of(
        IndexParam.builder("dense").indexType("FLAT").metricType("IP").build(),
        IndexParam.builder("sparse").indexType("SPARSE_INVERTED_INDEX").metricType("IP").build())).block(WAIT);
    try {
      client.loadCollection(name).block(WAIT);
      client.insert(name, Flux.range(0, 20).map(i -> Map.<String, Object>of("id", (long) i, "dense", new float[] {i, 1},
          "sparse", new TreeMap<>(Map.of((long) i, 1.0f)), "title", "t" + i))).blockLast(WAIT);
      client.query(Query.builder(name).filter("id >= 0").limit(1).consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
      Search dense = Search.builder(name).annsField("dense").vector(new float[] {1, 0}).limit(5).build();
      Search sparse = Search.builder(name).annsField("sparse").vector(Map.of(3L, 1.0f)).limit(5).build();
      List<List<Hit>> hits = client.hybridSearchRrf(List.of(dense, sparse), 60, 5, "title").block(WAIT);
      assertThat(hits).hasSize(1);
      assertThat(hits.get(0)).hasSize(5);
      // the best dense hit (19) and the only sparse hit (3) tie at 1/61 under RRF, then dense 18, 17, 16
      assertThat(hits.get(0).subList(0, 2)).extracting(Hit::id).containsExactlyInAnyOrder(19L, 3L);
      assertThat(hits.get(0).subList(2, 5)).extracting(Hit::id).containsExactly(18L, 17L, 16L);
      assertThat(hits.get(0).get(2).score()).isCloseTo(1f / 62, org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(hits.get(0).get(2).fields()).containsEntry("title", "t18");
      List<List<Hit>> weighted = client.hybridSearchWeighted(List.of(dense, sparse), List.of(0.0, 1.0), 1).block(WAIT);
      assertThat(weighted.get(0)).extracting(Hit::id).containsExactly(3L);
    } finally {
      client.dropCollection(name).onErrorComplete().block(WAIT);
    }
  }

  @Test
  void droppingAMissingDatabaseFailsWithTheServerCode() {
    StepVerifier.create(client.dropDatabase(CollectionsAndSearchAgainstMilvusLiteTest.name("nodb")))
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).serverCode()).isNotZero())
        .verify(WAIT);
  }
}
