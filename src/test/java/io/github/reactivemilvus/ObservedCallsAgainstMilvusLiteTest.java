package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.client.ConsistencyLevel;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.Query;
import io.github.reactivemilvus.client.Search;
import io.github.reactivemilvus.client.WriteResult;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The observations of typed-client calls against a real Milvus Lite: the database conventions with the
 * server's address and port, the batch sizes of an insert and a search, the Milvus code of a failed call,
 * and the parent taken from the subscriber's Reactor context.
 */
@ExtendWith(MilvusLiteExtension.class)
class ObservedCallsAgainstMilvusLiteTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int ROWS = 7;
  private static final int DIM = 4;
  private final List<MilvusObservationContext> stopped = new CopyOnWriteArrayList<>();
  private TestObservationRegistry observations;
  private ReactiveConnections registry;
  private MilvusClient client;
  private MilvusLiteServer server;
  private String collection;

  @BeforeEach
  void setUp(MilvusLiteServer server) {
    this.server = server;
    observations = TestObservationRegistry.create();
    observations.observationConfig().observationHandler(new ObservationHandler<MilvusObservationContext>() {
      @Override
      public void onStop(MilvusObservationContext context) {
        stopped.add(context);
      }

      @Override
      public boolean supportsContext(Observation.Context context) {
        return context instanceof MilvusObservationContext;
      }
    });
    registry = ReactiveConnections.builder().environment(Map.of()).observationRegistry(observations).build();
    registry.addConnection("lite", Map.of("uri", server.uri())).block(WAIT);
    registry.channel("lite").block(WAIT);
    client = MilvusClient.of(registry, "lite");
    collection = "observed_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    stopped.clear(); // the handshake is observed too; not the subject here
  }

  @AfterEach
  void tearDown() {
    client.dropCollection(collection).onErrorComplete().block(WAIT);
    registry.close();
  }

  private static String low(Observation.Context context, String key) {
    KeyValue kv = context.getLowCardinalityKeyValue(key);
    return kv == null ? null : kv.getValue();
  }

  private static String high(Observation.Context context, String key) {
    KeyValue kv = context.getHighCardinalityKeyValue(key);
    return kv == null ? null : kv.getValue();
  }

  private List<MilvusObservationContext> named(String operation) {
    return stopped.stream().filter(c -> operation.equals(low(c, "db.operation.name"))).toList();
  }

  @Test
  void aCollectionsLifeIsObservedWithTheDatabaseConventionsUnderTheCallersObservation() {
    Observation parent = Observation.start("request", observations);
    float[] q1 = {1, 0, 0, 0};
    float[] q2 = {0, 1, 0, 0};

    Mono<Void> work = client.createCollection(collection, DIM, "L2")
        .then(client.insert(collection, Flux.range(0, ROWS).map(i -> Map.<String, Object>of(
            "id", (long) i, "vector", new float[] {i, 1, 2, 3}))).collectList())
        .doOnNext(results -> assertThat(results.stream().mapToLong(WriteResult::insertCount).sum()).isEqualTo(ROWS))
        .then(client.search(Search.builder(collection).vector(q1).vector(q2).limit(3).metricType("L2")
            .consistency(ConsistencyLevel.STRONG).build()))
        .doOnNext(hits -> assertThat(hits).hasSize(2))
        .then(client.query(Query.builder(collection).filter("id >= 0").consistency(ConsistencyLevel.STRONG).build()))
        .doOnNext(rows -> assertThat(rows).hasSize(ROWS))
        .then(client.dropCollection(collection))
        .contextWrite(ctx -> ctx.put(ObservationThreadLocalAccessor.KEY, parent));
    work.block(WAIT);
    parent.stop();

    assertThat(stopped).isNotEmpty();
    assertThat(stopped.stream().map(c -> low(c, "db.operation.name")).distinct().toList())
        .contains("CreateCollection", "Insert", "Search", "Query", "DropCollection");
    String port = Integer.toString(server.port());
    assertThat(stopped).allSatisfy(c -> {
      assertThat(c.getName()).isEqualTo("db.client.operation.duration");
      assertThat(c.getKind()).isEqualTo(Kind.CLIENT);
      assertThat(low(c, "db.system.name")).isEqualTo("milvus");
      assertThat(low(c, "server.address")).isEqualTo("127.0.0.1");
      assertThat(low(c, "server.port")).isEqualTo(port);
      assertThat(low(c, "error.type")).isEqualTo("none");
      assertThat(low(c, "db.response.status_code")).isEqualTo("none");
      assertThat(high(c, "milvus.alias")).isEqualTo("lite");
      assertThat(c.getError()).isNull();
      assertThat(c.getParentObservation()).isSameAs(parent);
    });
    for (String op : List.of("CreateCollection", "Insert", "Search", "Query", "DropCollection")) {
      assertThat(named(op)).as(op).isNotEmpty().allSatisfy(c -> {
        assertThat(low(c, "db.collection.name")).isEqualTo(collection);
        assertThat(c.getContextualName()).isEqualTo(op + " " + collection);
      });
    }
    assertThat(named("Insert")).singleElement()
        .satisfies(c -> assertThat(high(c, "db.operation.batch.size")).isEqualTo(Integer.toString(ROWS)));
    assertThat(named("Search")).singleElement()
        .satisfies(c -> assertThat(high(c, "db.operation.batch.size")).isEqualTo("2"));
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("db.client.operation.duration").that().hasBeenStarted().hasBeenStopped();
  }

  @Test
  void aCallTheServerAnswersWithAFailureStatusCarriesTheMilvusCode() {
    String missing = collection + "_missing";
    Observation parent = Observation.start("request", observations);

    StepVerifier.create(client.describeCollection(missing).contextWrite(ctx -> ctx.put(ObservationThreadLocalAccessor.KEY, parent)))
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).serverCode()).isEqualTo(100))
        .verify(WAIT);
    parent.stop();

    assertThat(named("DescribeCollection")).singleElement().satisfies(c -> {
      assertThat(c.getContextualName()).isEqualTo("DescribeCollection " + missing);
      assertThat(low(c, "db.collection.name")).isEqualTo(missing);
      assertThat(low(c, "db.response.status_code")).isEqualTo("100");
      assertThat(low(c, "error.type")).isEqualTo("100");
      assertThat(low(c, "server.port")).isEqualTo(Integer.toString(server.port()));
      assertThat(c.getError()).isNotNull();
      assertThat(c.getParentObservation()).isSameAs(parent);
    });
  }
}
