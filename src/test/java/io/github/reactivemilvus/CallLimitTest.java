package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.internal.AliasChannel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.testing.Cancellation;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Per-alias in-flight and pending limits, on every call made through the alias's channel. */
class CallLimitTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private FaultServer server;
  private ReactiveConnections registry;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("a", ConnectionConfig.builder().uri(server.uri())
        .maxConcurrentCalls(8).maxPendingCalls(16).retryPolicy(RetryPolicy.none()).build()).block(WAIT);
    registry.channel("a").block(WAIT);
  }

  @AfterEach
  void tearDown() {
    server.releaseAll();
    registry.close();
    server.close();
  }

  private AliasChannel channel() {
    return registry.entry("a").current();
  }

  @Test
  void theTwentyFifthConcurrentCallFailsAtOnceWithTheLimitErrorWithoutReachingTheServer() {
    server.hang(Method.GET_VERSION);
    List<Disposable> running = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      running.add(registry.stub("a").getVersion().subscribe(v -> { }, e -> { }));
    }
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 8);
    assertThat(channel().callsInFlight()).isEqualTo(8);
    assertThat(channel().callsPending()).isEqualTo(16);

    // refused while every permit is still held by a hanging call: it did not wait for one
    StepVerifier.create(registry.stub("a").getVersion())
        .expectErrorSatisfies(e -> {
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).isEqualTo(FailureKind.CALL_LIMIT_EXCEEDED);
          assertThat(m.getMessage()).contains("'a'", "8 in flight", "16 pending");
        })
        .verify(WAIT);
    assertThat(server.hanging(Method.GET_VERSION)).isEqualTo(8);
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(8);

    server.release(Method.GET_VERSION);
    await().atMost(WAIT).until(() -> channel().callsInFlight() == 0 && channel().callsPending() == 0);
    // the 24 admitted calls reached the server, the refused one never did
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(24);
    running.forEach(Disposable::dispose);
  }

  @Test
  void aWaitingCallFailsAtItsOwnDeadlineWithoutReachingTheServer() {
    server.hang(Method.GET_VERSION);
    List<Disposable> running = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      running.add(registry.stub("a").getVersion().subscribe(v -> { }, e -> { }));
    }
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 8);

    // every permit is held by a hanging call: the ninth waits, and its deadline ends the wait
    StepVerifier.create(registry.stub("a").withDeadline(Duration.ofMillis(300)).getVersion())
        .expectErrorSatisfies(e -> {
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.grpcStatus().getCode()).isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED);
          assertThat(m.getMessage()).contains("waiting for a call permit");
        })
        .verify(WAIT);
    assertThat(channel().callsPending()).isZero();
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(8);

    server.release(Method.GET_VERSION);
    await().atMost(WAIT).until(() -> channel().callsInFlight() == 0);
    running.forEach(Disposable::dispose);
  }

  @Test
  void theLimitsAlsoHoldForStubsThatAreNotTheLibrarys() {
    server.hang(Method.GET_VERSION);
    ManagedChannel channel = registry.channel("a").block(WAIT);
    MilvusServiceGrpc.MilvusServiceFutureStub raw = MilvusServiceGrpc.newFutureStub(channel);
    for (int i = 0; i < 24; i++) {
      raw.getVersion(GetVersionRequest.getDefaultInstance());
    }
    await().atMost(WAIT).until(() -> channel().callsInFlight() == 8 && channel().callsPending() == 16);
    var overflow = raw.getVersion(GetVersionRequest.getDefaultInstance());
    StepVerifier.create(Mono.fromFuture(() -> toCompletable(overflow)))
        .expectErrorSatisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
        .verify(WAIT);
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(8);
  }

  private static <T> java.util.concurrent.CompletableFuture<T> toCompletable(com.google.common.util.concurrent.ListenableFuture<T> f) {
    java.util.concurrent.CompletableFuture<T> c = new java.util.concurrent.CompletableFuture<>();
    f.addListener(() -> {
      try {
        c.complete(f.get());
      } catch (java.util.concurrent.ExecutionException e) {
        c.completeExceptionally(e.getCause());
      } catch (InterruptedException e) {
        c.completeExceptionally(e);
      }
    }, Runnable::run);
    return c;
  }

  @Test
  void tenThousandRandomlyCancelledCallsReturnEveryPermit() {
    server.delay(Method.GET_VERSION, Duration.ofMillis(2));
    // 12 at a time against 8 in flight + 16 pending: a cancelled call holds its permit until its
    // close arrives, and the headroom of 12 keeps the limiter from ever refusing one; any failure
    // (a limit rejection included) is collected and fails the test
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Flux.range(0, 10_000)
        .flatMap(i -> Cancellation.cancelledAfter(registry.stub("a").getVersion(),
                Duration.ofMillis(ThreadLocalRandom.current().nextInt(0, 6)))
            .onErrorResume(e -> {
              failures.add(e);
              return Mono.empty();
            }), 12)
        .then()
        .block(Duration.ofMinutes(3));
    assertThat(failures).isEmpty();
    await().atMost(WAIT).until(() -> channel().callsInFlight() == 0 && channel().callsPending() == 0);
    await().atMost(WAIT).until(() -> channel().openCalls() == 0);
    // the alias still serves after the churn
    StepVerifier.create(registry.stub("a").getVersion()).expectNext(FaultServer.VERSION).verifyComplete();
  }
}
