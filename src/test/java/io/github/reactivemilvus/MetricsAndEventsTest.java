package io.github.reactivemilvus;

import io.github.reactivemilvus.ConnectionEvent.Type;
import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.Status;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** Micrometer meters move with what happens, and the matching events are published. */
class MetricsAndEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String P = "milvus.connections";
  private static final RetryPolicy FAST = RetryPolicy.builder()
      .maxRetries(5).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5)).build();
  private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
  private SimpleMeterRegistry meters;
  private FaultServer server;
  private ReactiveConnections registry;
  private Disposable eventSubscription;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    meters = new SimpleMeterRegistry();
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    new ReactiveConnectionsMetrics(registry).bindTo(meters);
    eventSubscription = registry.events().subscribe(events::add);
  }

  @AfterEach
  void tearDown() {
    eventSubscription.dispose();
    server.releaseAll();
    registry.close();
    server.close();
  }

  private void add(String alias, ConnectionConfig.Builder config) {
    registry.addConnection(alias, config.uri(server.uri()).build()).block(WAIT);
  }

  private double gauge(String name, String alias) {
    return meters.get(P + name).tag("alias", alias).gauge().value();
  }

  private List<ConnectionEvent> events(Type type, String alias) {
    return events.stream().filter(e -> e.type() == type && e.alias().equals(alias)).toList();
  }

  @Test
  void theChannelsGaugeCountsOpenPhysicalChannels() {
    add("a", ConnectionConfig.builder().poolSize(2));
    add("b", ConnectionConfig.builder());
    assertThat(meters.get(P + ".channels").gauge().value()).isZero();
    registry.channel("a").block(WAIT);
    assertThat(meters.get(P + ".channels").gauge().value()).isEqualTo(2);
    registry.channel("b").block(WAIT);
    assertThat(meters.get(P + ".channels").gauge().value()).isEqualTo(3);
    registry.disconnect("a").block(WAIT);
    assertThat(meters.get(P + ".channels").gauge().value()).isEqualTo(1);
  }

  @Test
  void theConnectTimerRecordsSuccessesAndFailures() {
    add("a", ConnectionConfig.builder());
    registry.channel("a").block(WAIT);
    assertThat(meters.get(P + ".connect").tags("alias", "a", "outcome", "success").timer().count()).isEqualTo(1);

    add("bad", ConnectionConfig.builder().dbName("no_such_db"));
    StepVerifier.create(registry.channel("bad")).expectError(MilvusConnectionException.class).verify(WAIT);
    assertThat(meters.get(P + ".connect").tags("alias", "bad", "outcome", "failure").timer().count()).isEqualTo(1);
  }

  @Test
  void inflightAndPendingGaugesFollowTheCallsAndTheOverflowIsCountedAsRejected() {
    add("a", ConnectionConfig.builder().maxConcurrentCalls(2).maxPendingCalls(3).retryPolicy(RetryPolicy.none()));
    registry.channel("a").block(WAIT);
    assertThat(gauge(".calls.inflight", "a")).isZero();
    assertThat(gauge(".calls.pending", "a")).isZero();

    server.hang(Method.GET_VERSION);
    List<Disposable> calls = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(registry.stub("a").getVersion().subscribe(v -> { }, e -> { }));
    }
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 2);
    assertThat(gauge(".calls.inflight", "a")).isEqualTo(2);
    assertThat(gauge(".calls.pending", "a")).isEqualTo(3);

    StepVerifier.create(registry.stub("a").getVersion())
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).kind()).isEqualTo(FailureKind.CALL_LIMIT_EXCEEDED))
        .verify(WAIT);
    assertThat(meters.get(P + ".calls.rejected").tag("alias", "a").counter().count()).isEqualTo(1);
    // events reach subscribers on the registry's scheduler, shortly after
    await().atMost(WAIT).untilAsserted(() -> assertThat(events(Type.CALL_LIMIT_EXCEEDED, "a")).hasSize(1));

    server.release(Method.GET_VERSION);
    await().atMost(WAIT).until(() -> server.calls(Method.GET_VERSION) == 5);
    await().atMost(WAIT).until(() -> gauge(".calls.inflight", "a") == 0 && gauge(".calls.pending", "a") == 0);
    calls.forEach(Disposable::dispose);
  }

  @Test
  void callAndConnectRetriesAreCountedAndAnnouncedWithTheirAttemptNumbers() {
    add("a", ConnectionConfig.builder().retryPolicy(FAST));
    server.failNext(Method.CONNECT, 1, Status.UNAVAILABLE);
    registry.channel("a").block(WAIT);
    server.failNext(Method.GET_VERSION, 2, Status.UNAVAILABLE);
    assertThat(registry.stub("a").getVersion().block(WAIT)).isEqualTo(FaultServer.VERSION);

    assertThat(meters.get(P + ".retries").tags("alias", "a", "what", "connect").counter().count()).isEqualTo(1);
    assertThat(meters.get(P + ".retries").tags("alias", "a", "what", "call").counter().count()).isEqualTo(2);
    await().atMost(WAIT).untilAsserted(
        () -> assertThat(events(Type.RETRYING, "a")).extracting(ConnectionEvent::attempt).containsExactly(1, 1, 2));
    assertThat(events(Type.RETRYING, "a")).allSatisfy(e -> assertThat(e.delay()).isPositive());
  }

  @Test
  void bindingTheMetricsAgainToTheSameRegistryKeepsThePerAliasGaugesReadingTheAlias() {
    add("a", ConnectionConfig.builder().maxConcurrentCalls(1).maxPendingCalls(2).retryPolicy(RetryPolicy.none()));
    registry.channel("a").block(WAIT);
    server.hang(Method.GET_VERSION);
    List<Disposable> calls = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(registry.stub("a").getVersion().subscribe(v -> { }, e -> { }));
    }
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
    assertThat(gauge(".calls.inflight", "a")).isEqualTo(1);
    assertThat(gauge(".calls.pending", "a")).isEqualTo(2);

    new ReactiveConnectionsMetrics(registry).bindTo(meters);
    assertThat(gauge(".calls.inflight", "a")).isEqualTo(1);
    assertThat(gauge(".calls.pending", "a")).isEqualTo(2);
    assertThat(meters.get(P + ".channels").gauge().value()).isEqualTo(1);
    assertThat(meters.get(P + ".events.dropped").functionCounter().count()).isZero();

    // and they still follow the calls after the second binding
    server.release(Method.GET_VERSION);
    await().atMost(WAIT).until(() -> server.calls(Method.GET_VERSION) == 3);
    await().atMost(WAIT).until(() -> gauge(".calls.inflight", "a") == 0 && gauge(".calls.pending", "a") == 0);
    calls.forEach(Disposable::dispose);
  }

  @Test
  void perAliasGaugesAreRemovedWithTheAlias() {
    add("a", ConnectionConfig.builder());
    registry.channel("a").block(WAIT);
    assertThat(meters.find(P + ".calls.inflight").tag("alias", "a").gauge()).isNotNull();
    registry.removeConnection("a").block(WAIT);
    assertThat(meters.find(P + ".calls.inflight").tag("alias", "a").meters()).isEmpty();
    assertThat(meters.find(P + ".calls.pending").tag("alias", "a").meters()).isEmpty();
    assertThat(meters.getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName).contains(P + ".channels");
  }

  @Test
  void replacingAnAliasKeepsItsGaugesFollowingTheNewConfig() {
    add("a", ConnectionConfig.builder());
    add("a", ConnectionConfig.builder().maxConcurrentCalls(1).maxPendingCalls(1).retryPolicy(RetryPolicy.none()));
    server.hang(Method.GET_VERSION);
    Disposable first = registry.stub("a").getVersion().subscribe(v -> { }, e -> { });
    Disposable second = registry.stub("a").getVersion().subscribe(v -> { }, e -> { });
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
    assertThat(gauge(".calls.inflight", "a")).isEqualTo(1);
    assertThat(gauge(".calls.pending", "a")).isEqualTo(1);
    first.dispose();
    second.dispose();
    registry.removeConnection("a").block(WAIT);
    assertThat(meters.find(P + ".calls.inflight").tag("alias", "a").meters()).isEmpty();
  }

  @Test
  void aServerRestartOnTheSamePortRedoesTheHandshakeAndAnnouncesReconnected() {
    add("a", ConnectionConfig.builder().retryPolicy(FAST));
    registry.channel("a").block(WAIT);
    int port = server.port();
    server.close();
    server = FaultServer.builder().port(port).start();

    // the next call finds the connection gone, reconnects, and the handshake is redone on it
    await().atMost(WAIT).ignoreExceptions()
        .until(() -> FaultServer.VERSION.equals(registry.stub("a").getVersion().block(WAIT)));
    await().atMost(WAIT).until(() -> !events(Type.RECONNECTED, "a").isEmpty());
    await().atMost(WAIT).until(() -> server.calls(Method.CONNECT) == 1);
  }

  @Test
  void aServerDownForAWhileIsReconnectedWhenItComesBack() {
    add("a", ConnectionConfig.builder().retryPolicy(FAST));
    registry.channel("a").block(WAIT);
    int port = server.port();
    server.close();
    // calls while it is down fail after their retries: the transport goes through TRANSIENT_FAILURE
    StepVerifier.create(registry.stub("a").getVersion())
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).kind()).isEqualTo(FailureKind.UNREACHABLE))
        .verify(WAIT);
    server = FaultServer.builder().port(port).start();
    await().atMost(WAIT).ignoreExceptions()
        .until(() -> FaultServer.VERSION.equals(registry.stub("a").getVersion().block(WAIT)));
    await().atMost(WAIT).until(() -> !events(Type.RECONNECTED, "a").isEmpty());
    await().atMost(WAIT).until(() -> server.calls(Method.CONNECT) == 1);
  }
}
