package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/**
 * Every call through an alias is one observation (per attempt) with the database conventions; its
 * parent comes from the subscriber's Reactor context or the current observation; the trace context
 * travels in the request headers. Against the FaultServer, which records headers and injects failures.
 */
class ObservedCallsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
  private static final RetryPolicy FAST = RetryPolicy.builder()
      .maxRetries(5).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5)).build();
  private static FaultServer server;
  private final List<MilvusObservationContext> stopped = new CopyOnWriteArrayList<>();
  private TestObservationRegistry observations;
  private ReactiveConnections registry;

  @BeforeAll
  static void startServer() {
    server = FaultServer.builder().databases("default", "shop").start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void setUp() {
    server.reset();
    observations = TestObservationRegistry.create();
    // what a tracing handler does: puts the trace context into the carrier when a sender observation starts
    observations.observationConfig().observationHandler(new ObservationHandler<SenderContext<Metadata>>() {
      @Override
      public void onStart(SenderContext<Metadata> context) {
        var parent = context.getParentObservation() == null ? null : context.getParentObservation().getContextView();
        String traceId = parent == null ? "0af7651916cd43dd8448eb211c80319c" : parent.getOrDefault("trace-id", "x");
        context.getSetter().set(context.getCarrier(), "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
      }

      @Override
      public boolean supportsContext(Observation.Context context) {
        return context instanceof SenderContext;
      }
    });
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
    registry.addConnection("a", ConnectionConfig.builder().uri(server.uri()).dbName("shop").retryPolicy(FAST)
        .timeout(WAIT).build()).block(WAIT);
    registry.channel("a").block(WAIT);
    stopped.clear(); // the handshake's Connect and database check are observed too; not the subject here
  }

  @AfterEach
  void tearDown() {
    server.releaseAll();
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

  @Test
  void aSuccessfulCallIsOneClientObservationWithTheDatabaseConventions() {
    assertThat(registry.stub("a").getVersion().block(WAIT)).isEqualTo(FaultServer.VERSION);

    assertThat(stopped).hasSize(1);
    MilvusObservationContext c = stopped.get(0);
    assertThat(c.getName()).isEqualTo("db.client.operation.duration");
    assertThat(c.getContextualName()).isEqualTo("GetVersion");
    assertThat(c.getKind()).isEqualTo(Kind.CLIENT);
    assertThat(low(c, "db.system.name")).isEqualTo("milvus");
    assertThat(low(c, "db.operation.name")).isEqualTo("GetVersion");
    assertThat(low(c, "db.namespace")).isEqualTo("shop");
    assertThat(low(c, "db.collection.name")).isEqualTo("none");
    assertThat(low(c, "server.address")).isEqualTo("127.0.0.1");
    assertThat(low(c, "server.port")).isEqualTo(Integer.toString(server.port()));
    assertThat(low(c, "error.type")).isEqualTo("none");
    assertThat(low(c, "db.response.status_code")).isEqualTo("none");
    assertThat(high(c, "milvus.alias")).isEqualTo("a");
    assertThat(high(c, "milvus.attempt")).isEqualTo("1");
    assertThat(c.getError()).isNull();
    TestObservationRegistryAssert.assertThat(observations)
        .hasObservationWithNameEqualTo("db.client.operation.duration").that().hasBeenStarted().hasBeenStopped();
  }

  @Test
  void aMilvusFailureCarriesItsStatusCodeAndTheCollection() {
    server.answerWith(Method.HAS_COLLECTION, 100, 4, "collection not found[collection=books]");

    StepVerifier.create(registry.stub("a").hasCollection("books")).expectError(MilvusConnectionException.class).verify(WAIT);

    assertThat(stopped).hasSize(1);
    MilvusObservationContext c = stopped.get(0);
    assertThat(c.getContextualName()).isEqualTo("HasCollection books");
    assertThat(low(c, "db.collection.name")).isEqualTo("books");
    assertThat(low(c, "db.response.status_code")).isEqualTo("100");
    assertThat(low(c, "error.type")).isEqualTo("100");
    assertThat(c.getError()).isNotNull();
  }

  @Test
  void eachRetriedAttemptIsAnObservationUnderTheSameParentWithItsGrpcError() {
    server.failNext(Method.GET_VERSION, 2, Status.UNAVAILABLE);
    Observation parent = Observation.start("request", observations);
    parent.getContext().put("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");

    registry.stub("a").getVersion().contextWrite(Context.of(CallObservations.OBSERVATION_KEY, parent)).block(WAIT);
    parent.stop();

    assertThat(stopped).hasSize(3);
    assertThat(stopped).allSatisfy(c -> assertThat(c.getParentObservation()).isSameAs(parent));
    assertThat(stopped.stream().map(c -> high(c, "milvus.attempt")).toList()).containsExactly("1", "2", "3");
    assertThat(stopped.stream().map(c -> low(c, "error.type")).toList()).containsExactly("UNAVAILABLE", "UNAVAILABLE", "none");
    assertThat(stopped.get(0).getError()).isInstanceOf(io.grpc.StatusRuntimeException.class);
    // every attempt sent the trace context of the request's trace
    assertThat(server.headers(Method.GET_VERSION)).hasSize(3)
        .allSatisfy(h -> assertThat(h.get(TRACEPARENT)).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
  }

  @Test
  void theParentMayBeTheObservationClassKeyOfTheReactorContext() {
    Observation parent = Observation.start("request", observations);
    parent.getContext().put("trace-id", "11111111111111111111111111111111");

    registry.stub("a").showCollections().contextWrite(Context.of(Observation.class, parent)).block(WAIT);
    parent.stop();

    assertThat(stopped).singleElement().satisfies(c -> assertThat(c.getParentObservation()).isSameAs(parent));
  }

  @Test
  void aCallOnTheHandedOutChannelIsObservedUnderTheCurrentObservation() {
    ManagedChannel channel = registry.channel("a").block(WAIT);
    Observation parent = Observation.start("job", observations);
    parent.getContext().put("trace-id", "22222222222222222222222222222222");
    try (Observation.Scope scope = parent.openScope()) {
      MilvusServiceGrpc.newBlockingStub(channel).getVersion(GetVersionRequest.getDefaultInstance());
    }
    parent.stop();

    assertThat(stopped).singleElement().satisfies(c -> {
      assertThat(c.getParentObservation()).isSameAs(parent);
      assertThat(low(c, "db.operation.name")).isEqualTo("GetVersion");
      assertThat(high(c, "milvus.attempt")).isNull(); // not a library call: never retried by it
    });
    assertThat(server.lastHeaders(Method.GET_VERSION).get(TRACEPARENT)).startsWith("00-22222222222222222222222222222222-");
  }

  @Test
  void aCallRefusedByTheLimitsIsObservedWithItsError() {
    registry.addConnection("tight", ConnectionConfig.builder().uri(server.uri()).maxConcurrentCalls(1).maxPendingCalls(0)
        .build()).block(WAIT);
    registry.channel("tight").block(WAIT);
    server.hang(Method.GET_VERSION);
    var first = registry.stub("tight").getVersion().toFuture();
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
    stopped.clear();

    StepVerifier.create(registry.stub("tight").getVersion()).expectError(MilvusConnectionException.class).verify(WAIT);

    assertThat(stopped).singleElement().satisfies(c -> {
      assertThat(low(c, "error.type")).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(high(c, "milvus.alias")).isEqualTo("tight");
    });
    server.release(Method.GET_VERSION);
    assertThat(first.join()).isEqualTo(FaultServer.VERSION);
  }

  @Test
  void withoutAnObservationRegistryNoCallCarriesATraceContext() {
    try (ReactiveConnections plain = ReactiveConnections.builder().environment(Map.of()).build()) {
      plain.addConnection("p", Map.of("uri", server.uri())).block(WAIT);
      assertThat(plain.observations()).isNull();
      plain.stub("p").getVersion().block(WAIT);
      assertThat(server.lastHeaders(Method.GET_VERSION).containsKey(TRACEPARENT)).isFalse();
    }
    assertThat(stopped).isEmpty();
  }

  @Test
  void aRegistryWithoutHandlersObservesNothingUntilOneIsAdded() {
    io.micrometer.observation.ObservationRegistry empty = io.micrometer.observation.ObservationRegistry.create();
    try (ReactiveConnections quiet = ReactiveConnections.builder().environment(Map.of()).observationRegistry(empty).build()) {
      quiet.addConnection("q", Map.of("uri", server.uri())).block(WAIT);
      quiet.stub("q").getVersion().block(WAIT);
      assertThat(server.lastHeaders(Method.GET_VERSION).containsKey(TRACEPARENT)).isFalse();

      List<String> seen = new CopyOnWriteArrayList<>();
      empty.observationConfig().observationHandler(new ObservationHandler<MilvusObservationContext>() {
        @Override
        public void onStop(MilvusObservationContext context) {
          seen.add(low(context, "db.operation.name"));
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
          return context instanceof MilvusObservationContext;
        }
      });
      quiet.stub("q").getVersion().block(WAIT);
      assertThat(seen).containsExactly("GetVersion");
    }
  }

  @Test
  void theHandshakeIsObservedToo() {
    registry.addConnection("b", Map.of("uri", server.uri())).block(WAIT);
    registry.channel("b").block(WAIT);
    assertThat(stopped.stream().map(c -> low(c, "db.operation.name")).collect(Collectors.toList())).contains("Connect");
  }

  @Test
  void theOperationTimerAndTheConnectionMetricsFollowTheConventions() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    io.micrometer.observation.ObservationRegistry observed = io.micrometer.observation.ObservationRegistry.create();
    observed.observationConfig().observationHandler(new io.micrometer.core.instrument.observation.DefaultMeterObservationHandler(meters));
    try (ReactiveConnections measured = ReactiveConnections.builder().environment(Map.of()).observationRegistry(observed).build()) {
      new ReactiveConnectionsMetrics(measured).bindTo(meters);
      measured.addConnection("m", ConnectionConfig.builder().uri(server.uri()).poolSize(2).timeout(WAIT).build()).block(WAIT);
      measured.stub("m").getVersion().block(WAIT);

      io.micrometer.core.instrument.Timer timer = meters.get("db.client.operation.duration")
          .tag("db.operation.name", "GetVersion").tag("db.system.name", "milvus").tag("error.type", "none")
          .tag("server.port", Integer.toString(server.port())).timer();
      assertThat(timer.count()).isEqualTo(1);
      assertThat(meters.get("db.client.connection.create_time").tag("db.client.connection.pool.name", "m").timer().count())
          .isEqualTo(1);
      assertThat(meters.get("db.client.connection.count").tag("db.client.connection.pool.name", "m")
          .tag("db.client.connection.state", "idle").gauge().value()).isEqualTo(2);
      assertThat(meters.get("db.client.connection.count").tag("db.client.connection.state", "used")
          .tag("db.client.connection.pool.name", "m").gauge().value()).isZero();
      assertThat(meters.get("db.client.connection.pending_requests").tag("db.client.connection.pool.name", "m").gauge().value())
          .isZero();
    }
  }

  @Test
  void anObservationHasNoParentWhenTheCallerHasNone() {
    Mono<String> call = registry.stub("a").getVersion();
    call.block(WAIT);
    assertThat(stopped).singleElement().satisfies(c -> assertThat(c.getParentObservation()).isNull());
  }
}
