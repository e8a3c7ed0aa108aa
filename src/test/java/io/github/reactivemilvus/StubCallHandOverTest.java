package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A stub call on a connected alias starts its first attempt without Reactor operators and hands its
 * subscriber over to the retry only after that attempt failed: the demand, the cancellation and the
 * error mapping must survive that hand-over.
 */
class StubCallHandOverTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration BACKOFF = Duration.ofSeconds(10);
  private FaultServer server;
  private VirtualTimeScheduler time;
  private ReactiveConnections registry;
  private final List<ConnectionEvent> retries = new CopyOnWriteArrayList<>();
  private Disposable events;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    time = VirtualTimeScheduler.create();
    registry = ReactiveConnections.builder().environment(Map.of()).scheduler(time).build();
    RetryPolicy slow = RetryPolicy.builder().maxRetries(3).initialBackoff(BACKOFF).maxBackoff(BACKOFF).build();
    registry.addConnection("a", ConnectionConfig.builder().uri(server.uri()).retryPolicy(slow).build()).block(WAIT);
    events = registry.events().filter(e -> e.type() == ConnectionEvent.Type.RETRYING).subscribe(retries::add);
    registry.channel("a").block(WAIT);
  }

  @AfterEach
  void tearDown() {
    events.dispose();
    registry.close();
    time.dispose();
    server.close();
  }

  @Test
  void demandGivenAfterTheHandOverReachesTheRetry() {
    server.failNext(Method.GET_VERSION, 1, Status.UNAVAILABLE);
    StepVerifier.create(registry.stub("a").getVersion(), 0)
        .expectSubscription()
        .then(() -> await().atMost(WAIT).until(() -> retries.size() == 1))
        .thenRequest(1)
        .then(() -> time.advanceTimeBy(BACKOFF))
        .expectNext(FaultServer.VERSION)
        .expectComplete()
        .verify(WAIT);
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(2);
  }

  @Test
  void withoutDemandTheRetryWaitsAndTheFirstResponseIsHeldBack() {
    StepVerifier.create(registry.stub("a").getVersion(), 0)
        .expectSubscription()
        .then(() -> await().atMost(WAIT).until(() -> server.calls(Method.GET_VERSION) == 1))
        .expectNoEvent(Duration.ofMillis(200)) // answered, but nothing was requested
        .thenRequest(1)
        .expectNext(FaultServer.VERSION)
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void cancellingInTheBackoffAfterTheHandOverStopsTheRetries() {
    server.failNext(Method.GET_VERSION, 1, Status.UNAVAILABLE);
    Disposable call = registry.stub("a").getVersion().subscribe();
    await().atMost(WAIT).until(() -> retries.size() == 1);

    call.dispose();
    time.advanceTimeBy(BACKOFF.multipliedBy(10));

    // a later call on the same connection is the next one the server sees: no retry was sent before it
    StepVerifier.create(registry.stub("a").getVersion()).expectNext(FaultServer.VERSION).expectComplete().verify(WAIT);
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(2);
    assertThat(retries).hasSize(1);
  }

  @Test
  void aFailureThatIsNotRetriedIsMappedOnceAndNamesTheAlias() {
    server.failNext(Method.GET_VERSION, 1, Status.PERMISSION_DENIED);
    StepVerifier.create(registry.stub("a").getVersion())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(MilvusConnectionException.class);
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.alias()).isEqualTo("a");
          assertThat(m.grpcStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(m.getCause()).isNotInstanceOf(MilvusConnectionException.class);
        })
        .verify(WAIT);
    assertThat(retries).isEmpty();
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(1);
  }

  @Test
  void aRejectedServerStatusNamesTheCollectionOfTheRequest() {
    server.answerWith(Method.HAS_COLLECTION, 100, 0, "collection not found");
    StepVerifier.create(registry.stub("a").call(io.github.reactivemilvus.proto.MilvusServiceGrpc.getHasCollectionMethod(),
            io.github.reactivemilvus.proto.HasCollectionRequest.newBuilder().setCollectionName("books").build()))
        .expectErrorSatisfies(e -> {
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).isEqualTo(FailureKind.SERVER_STATUS);
          assertThat(m.getMessage()).contains("collection 'books'");
          assertThat(m.serverCode()).isEqualTo(100);
        })
        .verify(WAIT);
  }

  @Test
  void randomlyCancelledCallsWithRetriedFailuresLeaveNoCallOpen() {
    // real time and a 1 ms backoff: every third call's first attempt fails and is handed over to the
    // retry; each call is cancelled at a random moment, before, during or after that hand-over (the
    // window is wide enough for most calls to finish first, even on a busy machine)
    // a retry may meet a failure meant for another call: 30 retries make running out of them
    // (about a quarter of the attempts fail) practically impossible, and a success giving back a
    // whole token keeps the alias's retry budget full at that failure rate
    RetryPolicy fast = RetryPolicy.builder().maxRetries(30).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2))
        .retryBudget(1000, 1.0).build();
    try (ReactiveConnections churn = ReactiveConnections.builder().environment(Map.of()).build()) {
      churn.addConnection("c", ConnectionConfig.builder().uri(server.uri()).retryPolicy(fast).build()).block(WAIT);
      churn.channel("c").block(WAIT);
      server.delay(Method.GET_VERSION, Duration.ofMillis(1));
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      java.util.concurrent.atomic.AtomicInteger succeeded = new java.util.concurrent.atomic.AtomicInteger();
      reactor.core.publisher.Flux.range(0, 3_000)
          .flatMap(i -> {
            if (i % 3 == 0) {
              server.failNext(Method.GET_VERSION, 1, Status.UNAVAILABLE);
            }
            return io.github.reactivemilvus.testing.Cancellation.cancelledAfter(
                    churn.stub("c").getVersion().doOnNext(v -> succeeded.incrementAndGet()),
                    Duration.ofMillis(java.util.concurrent.ThreadLocalRandom.current().nextInt(0, 40)))
                .onErrorResume(e -> {
                  failures.add(e);
                  return reactor.core.publisher.Mono.empty();
                });
          }, 12)
          .then()
          .block(Duration.ofMinutes(3));
      assertThat(failures).isEmpty();
      assertThat(succeeded.get()).isPositive();
      await().atMost(WAIT).until(() -> churn.entry("c").current().callsInFlight() == 0
          && churn.entry("c").current().openCalls() == 0);
      StepVerifier.create(churn.stub("c").getVersion()).expectNext(FaultServer.VERSION).expectComplete().verify(WAIT);
    }
  }
}
