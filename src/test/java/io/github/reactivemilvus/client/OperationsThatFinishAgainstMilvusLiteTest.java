package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

/**
 * Load, index build, flush and create-if-not-exists complete when the server reports the work
 * done (Milvus Lite 3.2.2), and a collection dropped and re-created elsewhere with another dimension
 * is followed by the client's cached schema.
 */
@ExtendWith(MilvusLiteExtension.class)
class OperationsThatFinishAgainstMilvusLiteTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  private ReactiveConnections registry;
  private MilvusClient client;
  private final List<String> created = new ArrayList<>();

  @BeforeEach
  void setUp(MilvusLiteServer server) {
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("lite", Map.of("uri", server.uri())).block(WAIT);
    client = MilvusClient.of(registry, "lite");
  }

  @AfterEach
  void tearDown() {
    for (String name : created) {
      client.dropCollection(name).onErrorComplete().block(WAIT);
    }
    registry.close();
  }

  private String collection(String prefix) {
    String name = CollectionsAndSearchAgainstMilvusLiteTest.name(prefix);
    created.add(name);
    return name;
  }

  private static Schema schema(int dim) {
    return Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", dim))
        .field(Field.varChar("tag", 16)).build();
  }

  private static List<IndexParam> index() {
    return List.of(IndexParam.builder("v").indexType(IndexType.FLAT).metricType(MetricType.L2).build());
  }

  private static Flux<Map<String, Object>> rows(int from, int count, int dim) {
    return Flux.fromStream(IntStream.range(from, from + count).boxed()).map(i -> {
      float[] v = new float[dim];
      v[i % dim] = 1;
      return Map.<String, Object>of("id", (long) i, "v", v, "tag", "t" + i);
    });
  }

  @Test
  void createIndexLoadAndFlushCompleteWhenTheServerIsDone() {
    String name = collection("finish");
    client.createCollection(name, schema(4), index()).block(WAIT);
    assertThat(client.describeIndexes(name).block(WAIT)).singleElement()
        .satisfies(d -> assertThat(d.state()).isEqualTo(IndexState.FINISHED));
    client.insert(name, rows(0, 50, 4)).then().block(WAIT);
    client.flush(name).block(WAIT);
    client.loadCollection(name).block(WAIT);
    assertThat(client.getLoadState(name).block(WAIT)).isEqualTo(LoadState.LOADED);
    client.releaseCollection(name).block(WAIT);
    client.loadCollection(name, WaitOptions.NO_WAIT).block(WAIT);
    client.flush(name, WaitOptions.upTo(Duration.ofSeconds(30))).block(WAIT);
  }

  @Test
  void createCollectionIfNotExistsIsIdempotent() {
    String name = collection("ifne");
    assertThat(client.createCollectionIfNotExists(name, schema(4), index()).block(WAIT)).isTrue();
    assertThat(client.createCollectionIfNotExists(name, schema(4), index()).block(WAIT)).isFalse();
    assertThat(client.describeIndexes(name).block(WAIT)).hasSize(1);
  }

  @Test
  void aCollectionReCreatedElsewhereWithAnotherDimensionIsFollowed() {
    String name = collection("stale");
    client.createCollection(name, schema(4), index()).then(client.loadCollection(name)).block(WAIT);
    client.insert(name, rows(0, 10, 4)).then().block(WAIT);
    assertThat(client.search(Search.builder(name).vector(new float[] {1, 0, 0, 0}).limit(3)
        .consistency(ConsistencyLevel.STRONG).build()).block(WAIT).get(0)).isNotEmpty();

    // another service instance (its own client, its own schema cache) re-creates it with dim 8
    MilvusClient other = MilvusClient.of(registry, "lite");
    other.dropCollection(name).then(other.createCollection(name, schema(8), index()))
        .then(other.loadCollection(name)).block(WAIT);

    // the first client's cache still says dim 4: its next insert and search follow the server
    List<WriteResult> written = client.insert(name, rows(100, 10, 8)).collectList().block(WAIT);
    assertThat(written).extracting(WriteResult::insertCount).containsExactly(10L);
    List<Hit> hits = client.search(Search.builder(name).vector(new float[] {0, 0, 0, 0, 1, 0, 0, 0}).limit(3)
        .outputFields("tag").consistency(ConsistencyLevel.STRONG).build()).block(WAIT).get(0);
    assertThat(hits).isNotEmpty();
    assertThat(hits.get(0).score()).isZero();
  }
}
