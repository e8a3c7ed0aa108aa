package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfigException;
import io.github.reactivemilvus.config.NamedConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.testing.HttpPortServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Connect pipeline behaviour, driven by the fault-injection server. */
class ConnectPipelineTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private FaultServer server;
  private ReactiveConnections registry;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    registry = ReactiveConnections.builder().environment(Map.of()).build();
  }

  @AfterEach
  void tearDown() {
    registry.close();
    server.close();
  }

  private void add(String alias, Map<String, ?> extra) {
    Map<String, Object> config = new java.util.HashMap<>(extra);
    config.put("uri", server.uri());
    registry.addConnection(alias, config).block(WAIT);
  }

  @Test
  void aThousandConcurrentSubscribersShareOneConnectAndOneChannel() {
    server.delay(Method.CONNECT, Duration.ofMillis(200));
    add("a", Map.of());
    List<ManagedChannel> channels = Flux.range(0, 1000)
        .flatMap(i -> registry.channel("a").subscribeOn(Schedulers.parallel()), 1000)
        .collectList()
        .block(WAIT);
    Set<ManagedChannel> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    distinct.addAll(channels);
    assertThat(channels).hasSize(1000);
    assertThat(distinct).hasSize(1);
    assertThat(server.calls(Method.CONNECT)).isEqualTo(1);
    assertThat(registry.openChannels()).isEqualTo(1);
  }

  @Test
  void aFailedConnectIsNotCachedAndKeepsTheConfig() {
    server.answerWith(Method.CONNECT, 5, 1, "internal error");
    add("a", Map.of());
    StepVerifier.create(registry.channel("a"))
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).kind()).isEqualTo(FailureKind.SERVER_STATUS))
        .verify(WAIT);
    assertThat(registry.getConnectionAddr("a")).isPresent();
    assertThat(registry.listConnections()).anySatisfy(s -> {
      assertThat(s.alias()).isEqualTo("a");
      assertThat(s.state()).isEqualTo(ConnectionState.FAILED);
    });
    server.answerWith(Method.CONNECT, null);
    StepVerifier.create(registry.channel("a")).expectNextCount(1).verifyComplete();
    assertThat(server.calls(Method.CONNECT)).isEqualTo(2);
    assertThat(registry.hasConnection("a")).isTrue();
  }

  @Test
  void cancellingTheOnlySubscriberOfAConnectReleasesItsChannel() {
    server.hang(Method.CONNECT);
    add("a", Map.of());
    Disposable subscription = registry.channel("a").subscribe();
    await().atMost(WAIT).until(() -> server.hanging(Method.CONNECT) == 1);
    assertThat(registry.openChannels()).isEqualTo(1);
    subscription.dispose();
    await().atMost(WAIT).until(() -> registry.openChannels() == 0);
    await().atMost(WAIT).until(() -> server.cancellations(Method.CONNECT) == 1);
    assertThat(registry.hasConnection("a")).isFalse();
    assertThat(registry.listConnections()).anySatisfy(s -> assertThat(s.state()).isEqualTo(ConnectionState.CONFIGURED));
  }

  @Test
  void aClosedPortFailsAsUnreachableNamingAliasAndAddress() {
    int port = FreePorts.closedPort();
    registry.addConnection("closed", Map.of("address", "127.0.0.1:" + port, "timeout", 3)).block(WAIT);
    StepVerifier.create(registry.channel("closed"))
        .expectErrorSatisfies(e -> {
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).isEqualTo(FailureKind.UNREACHABLE);
          assertThat(m.getMessage()).contains("server unreachable", "'closed'", "127.0.0.1:" + port);
        })
        .verify(WAIT);
  }

  @Test
  void anHttpPortFailsAsNotAMilvusEndpoint() {
    try (HttpPortServer http = HttpPortServer.start()) {
      registry.addConnection("http", Map.of("uri", http.uri(), "timeout", 5)).block(WAIT);
      StepVerifier.create(registry.channel("http"))
          .expectErrorSatisfies(e -> {
            MilvusConnectionException m = (MilvusConnectionException) e;
            assertThat(m.kind()).as(m.getMessage()).isEqualTo(FailureKind.NOT_MILVUS);
            assertThat(m.getMessage()).contains("not a Milvus gRPC endpoint", "'http'");
          })
          .verify(WAIT);
    }
  }

  @Test
  void unimplementedConnectMeansNotAMilvusEndpoint() {
    server.failNext(Method.CONNECT, 1, Status.UNIMPLEMENTED);
    add("a", Map.of());
    StepVerifier.create(registry.channel("a"))
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).kind()).isEqualTo(FailureKind.NOT_MILVUS))
        .verify(WAIT);
    assertThat(server.calls(Method.CONNECT)).isEqualTo(1);
  }

  @Test
  void everyCallCarriesAuthorizationAndDbnameAndLaterCallsTheIdentifier() {
    server.addDatabase("db1");
    add("a", Map.of("user", "alice", "password", "s3cret", "db_name", "db1"));
    registry.stub("a").getVersion().block(WAIT);
    String expected = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
    FaultServer.Call connect = server.recordedCalls().stream().filter(c -> c.method() == Method.CONNECT).findFirst().orElseThrow();
    FaultServer.Call version = server.recordedCalls().stream().filter(c -> c.method() == Method.GET_VERSION).findFirst().orElseThrow();
    assertThat(connect.header("authorization")).isEqualTo(expected);
    assertThat(connect.header("dbname")).isEqualTo("db1");
    assertThat(connect.header("identifier")).isNull();
    assertThat(version.header("authorization")).isEqualTo(expected);
    assertThat(version.header("dbname")).isEqualTo("db1");
    assertThat(version.header("identifier")).isEqualTo(Long.toString(FaultServer.IDENTIFIER));
  }

  @Test
  void aWrongPasswordFailsAsAuthenticationAfterExactlyOneAttempt() {
    server.requireCredentials("root", "Milvus");
    add("a", Map.of("user", "root", "password", "wrong-pw"));
    StepVerifier.create(registry.channel("a"))
        .expectErrorSatisfies(e -> {
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).isEqualTo(FailureKind.AUTHENTICATION);
          assertThat(m.getMessage()).doesNotContain("wrong-pw");
        })
        .verify(WAIT);
    assertThat(server.calls(Method.CONNECT)).isEqualTo(1);
  }

  @Test
  void anUnknownDatabaseFailsAtConnectAsDatabaseNotFound() {
    add("a", Map.of("db_name", "no_such_db"));
    StepVerifier.create(registry.channel("a"))
        .expectErrorSatisfies(e -> {
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).isEqualTo(FailureKind.DATABASE_NOT_FOUND);
          assertThat(m.serverCode()).isEqualTo(800);
        })
        .verify(WAIT);
  }

  @Test
  void aNotReadyServerIsRetriedUntilItAnswers() {
    server.failNext(Method.CONNECT, 2, Status.UNAVAILABLE);
    add("a", Map.of());
    StepVerifier.create(registry.channel("a")).expectNextCount(1).verifyComplete();
    assertThat(server.calls(Method.CONNECT)).isEqualTo(3);
  }

  @Test
  void anUnknownAliasErrorNamesTheAliasAndTheKnownOnes() {
    add("known", Map.of());
    StepVerifier.create(registry.channel("nope"))
        .expectErrorSatisfies(e -> {
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).isEqualTo(FailureKind.UNKNOWN_ALIAS);
          assertThat(m.getMessage()).contains("'nope'", "default", "known");
        })
        .verify(WAIT);
  }

  @Test
  void theConnectTimeoutBoundsAHangingHandshakeInVirtualTime() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    try (ReactiveConnections timed = ReactiveConnections.builder().environment(Map.of()).scheduler(time).build()) {
      server.hang(Method.CONNECT);
      timed.addConnection("a", Map.of("uri", server.uri(), "timeout", 10)).block(WAIT);
      StepVerifier.create(timed.channel("a"))
          .then(() -> await().atMost(WAIT).until(() -> server.hanging(Method.CONNECT) == 1))
          .then(() -> time.advanceTimeBy(Duration.ofMillis(9_999)))
          .expectNoEvent(Duration.ofMillis(50))
          .then(() -> time.advanceTimeBy(Duration.ofMillis(1)))
          .expectErrorSatisfies(e -> {
            MilvusConnectionException m = (MilvusConnectionException) e;
            assertThat(m.kind()).isEqualTo(FailureKind.UNREACHABLE);
            assertThat(m.getMessage()).contains("within 10000 ms");
          })
          .verify(WAIT);
      await().atMost(WAIT).until(() -> timed.openChannels() == 0);
    } finally {
      server.releaseAll();
      time.dispose();
    }
  }

  @Test
  void reAddingAConnectedAliasWithAnotherConfigIsRefusedAndKeepsTheLiveConnection() {
    add("a", Map.of());
    registry.channel("a").block(WAIT);
    StepVerifier.create(registry.addConnection("a", Map.of("uri", server.uri(), "db_name", "other")))
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(ConnectionConfigException.class);
          assertThat(e.getMessage()).contains("db_name", "'a'", "is connected with a different config");
        })
        .verify(WAIT);
    assertThat(registry.hasConnection("a")).isTrue();
    // an equal config is a no-op
    registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
    assertThat(registry.hasConnection("a")).isTrue();
  }

  @Test
  void reAddingAConnectingAliasWithAnotherConfigIsRefusedAsConnectingAndTheConnectGoesOn() {
    server.hang(Method.CONNECT);
    add("a", Map.of());
    Disposable connecting = registry.channel("a").subscribe();
    try {
      await().atMost(WAIT).until(() -> server.hanging(Method.CONNECT) == 1);
      StepVerifier.create(registry.addConnection("a", Map.of("uri", server.uri(), "db_name", "other")))
          .expectErrorSatisfies(e -> {
            assertThat(e).isInstanceOf(ConnectionConfigException.class);
            assertThat(e.getMessage()).contains("db_name", "'a'", "is connecting with a different config")
                .doesNotContain("is connected");
          })
          .verify(WAIT);
      assertThat(registry.hasConnection("a")).isFalse();
      assertThat(registry.listConnections()).anySatisfy(s -> {
        assertThat(s.alias()).isEqualTo("a");
        assertThat(s.state()).isEqualTo(ConnectionState.CONNECTING);
      });
      // the connect under way was neither replaced nor cut short
      assertThat(server.cancellations(Method.CONNECT)).isZero();
      assertThat(registry.openChannels()).isEqualTo(1);
    } finally {
      connecting.dispose();
      server.releaseAll();
    }
  }

  @Test
  void aBatchWithOneInvalidConfigRegistersNothingAndNamesIt() {
    Flux<NamedConfig> batch = Flux.range(0, 100_000).map(i -> i == 50_000
        ? NamedConfig.of("bad-" + i, Map.of("port", "not-a-port"))
        : NamedConfig.of("ok-" + i, Map.of("host", "h" + i, "port", 19530)));
    StepVerifier.create(registry.addConnections(batch))
        .expectErrorSatisfies(e -> assertThat(((ConnectionConfigException) e).invalidAliases()).containsExactly("bad-50000"))
        .verify(Duration.ofMinutes(2));
    assertThat(registry.listConnections()).extracting(ConnectionStatus::alias).containsExactly("default");
  }

  @Test
  void aBatchIsPulledWithBoundedDemand() {
    java.util.List<Long> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    Flux<NamedConfig> batch = Flux.range(0, 5_000)
        .map(i -> NamedConfig.of("a" + i, Map.of("host", "h" + i)))
        .doOnRequest(requests::add);
    registry.addConnections(batch).block(WAIT);
    assertThat(requests).isNotEmpty().allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(256));
    assertThat(registry.listConnections()).hasSize(5_001);
  }
}
