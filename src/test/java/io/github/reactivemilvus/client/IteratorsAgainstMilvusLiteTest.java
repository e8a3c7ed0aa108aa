package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Query and search iterators fetch pages on demand only, and stop when cancelled (pages counted). */
@ExtendWith(MilvusLiteExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IteratorsAgainstMilvusLiteTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final int ROWS = 250;
  static final int DIM = 8;
  private RecordingProxy proxy;
  private ReactiveConnections registry;
  private MilvusClient client;
  private String name;
  private List<float[]> vectors;

  @BeforeAll
  void setUp(MilvusLiteServer server) {
    proxy = RecordingProxy.start(server.target());
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("lite", Map.of("uri", proxy.uri())).block(WAIT);
    client = MilvusClient.of(registry, "lite");
    name = CollectionsAndSearchAgainstMilvusLiteTest.name("iter");
    Schema schema = Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", DIM)).build();
    client.createCollection(name, schema, List.of(IndexParam.builder("v").indexType("FLAT").metricType("L2").build())).block(WAIT);
    client.loadCollection(name).block(WAIT);
    Random random = new Random(7);
    vectors = IntStream.range(0, ROWS).mapToObj(i -> CollectionsAndSearchAgainstMilvusLiteTest.randomVector(random, DIM)).toList();
    // keys inserted in a shuffled order, so pages in key order are the server's doing
    List<Integer> order = new java.util.ArrayList<>(IntStream.range(0, ROWS).boxed().toList());
    java.util.Collections.shuffle(order, random);
    client.insert(name, Flux.fromIterable(order).map(i -> Map.<String, Object>of("id", (long) i, "v", vectors.get(i))),
        WriteOptions.DEFAULTS.withBatchRows(100)).blockLast(WAIT);
    client.flush(name).block(WAIT);
  }

  @BeforeEach
  void waitForConsistency() {
    // Strong reads in the iterator are not set: make sure everything is visible first
    client.query(Query.builder(name).filter("id >= 0").limit(1).consistency(ConsistencyLevel.STRONG)
        .build()).block(WAIT);
  }

  @AfterAll
  void tearDown() throws InterruptedException {
    client.dropCollection(name).onErrorComplete().block(WAIT);
    registry.close();
    proxy.close();
  }

  @Test
  void tenRowsOfAQueryIteratorFetchOnePage() {
    int before = proxy.calls("Query");
    List<Map<String, Object>> rows = client.queryIterator(Query.builder(name).build(), 50).take(10).collectList().block(WAIT);
    assertThat(rows).hasSize(10);
    assertThat(proxy.calls("Query") - before).isEqualTo(1);
  }

  @Test
  void theWholeQueryIterationComesInKeyOrderPageByPage() {
    int before = proxy.calls("Query");
    List<Object> ids = client.queryIterator(Query.builder(name).build(), 100).map(r -> r.get("id")).collectList().block(WAIT);
    assertThat(ids).containsExactlyElementsOf(IntStream.range(0, ROWS).mapToObj(i -> (Object) (long) i).toList());
    assertThat(proxy.calls("Query") - before).isEqualTo(3);
  }

  @Test
  void cancellingStopsPaging() {
    int before = proxy.calls("Query");
    StepVerifier.create(client.queryIterator(Query.builder(name).filter("id >= 100").build(), 20), 0)
        .thenRequest(25)
        .expectNextCount(25)
        .thenCancel()
        .verify(WAIT);
    assertThat(proxy.calls("Query") - before).isEqualTo(2);
  }

  @Test
  void aLimitBoundsTheIteration() {
    assertThat(client.queryIterator(Query.builder(name).filter("id < 200").limit(130).build(), 60).count().block(WAIT))
        .isEqualTo(130);
  }

  @Test
  void theSearchIteratorPagesThroughTheBruteForceOrder() {
    float[] q = CollectionsAndSearchAgainstMilvusLiteTest.randomVector(new Random(99), DIM);
    int before = proxy.calls("Search");
    List<Object> ids = client.searchIterator(Search.builder(name).vector(q).metricType("L2").limit(90).build(), 30)
        .map(Hit::id).collectList().block(WAIT);
    assertThat(ids).containsExactlyElementsOf(CollectionsAndSearchAgainstMilvusLiteTest.bruteForce(vectors, q, 90, i -> true));
    // the probe for a server-side iterator (Lite has none: it answers a plain search), then three pages
    assertThat(proxy.calls("Search") - before).isEqualTo(4);
  }

  @Test
  void aSearchIteratorAskedForFewHitsSearchesOnceAfterTheProbe() {
    float[] q = CollectionsAndSearchAgainstMilvusLiteTest.randomVector(new Random(5), DIM);
    int before = proxy.calls("Search");
    assertThat(client.searchIterator(Search.builder(name).vector(q).metricType("L2").limit(1000).build(), 40)
        .take(5).collectList().block(WAIT)).hasSize(5);
    assertThat(proxy.calls("Search") - before).isEqualTo(2);
  }
}
