package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.UnaryCalls;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.CallOptions;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Retries that do not multiply the load of a failing server: the alias's retry budget bounds the
 * extra attempts of all its calls together, a call whose deadline passed while it waited for a
 * permit is not retried, and a call cut off by its alias's disconnect fails CLOSED without opening
 * the alias again. Backoff and grace period run on a virtual clock.
 */
class RetryLoadTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final RetryPolicy FAST = RetryPolicy.builder()
      .maxRetries(5).initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50)).build();
  private FaultServer server;
  private VirtualTimeScheduler time;
  private ReactiveConnections registry;
  private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
  private Disposable eventSubscription;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    time = VirtualTimeScheduler.create();
    registry = ReactiveConnections.builder().environment(Map.of()).scheduler(time).shutdownGracePeriod(GRACE).build();
    eventSubscription = registry.events().subscribe(events::add);
  }

  @AfterEach
  void tearDown() {
    eventSubscription.dispose();
    server.releaseAll();
    time.advanceTimeBy(Duration.ofMinutes(1));
    registry.close();
    time.dispose();
    server.close();
  }

  private void connect(String alias, ConnectionConfig.Builder config) {
    registry.addConnection(alias, config.uri(server.uri()).build()).block(WAIT);
    registry.channel(alias).block(WAIT);
  }

  /** Moves the virtual clock on until every call is done (each backoff is at most 50 ms). */
  private void runUntilDone(List<CompletableFuture<String>> calls) {
    await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> {
      time.advanceTimeBy(Duration.ofMillis(50));
      return calls.stream().allMatch(CompletableFuture::isDone);
    });
  }

  private static MilvusConnectionException failureOf(CompletableFuture<?> call) {
    try {
      call.get(0, TimeUnit.SECONDS);
      throw new AssertionError("the call succeeded");
    } catch (ExecutionException e) {
      return (MilvusConnectionException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private long retryingEvents(String alias) {
    return events.stream().filter(e -> e.alias().equals(alias) && e.type() == ConnectionEvent.Type.RETRYING).count();
  }

  @Test
  void manyReadsOnAServerThatFailsEverythingMakeAtMostHalfTheBudgetInExtraAttempts() {
    int reads = 200;
    int maxTokens = 20;
    connect("a", ConnectionConfig.builder().retryPolicy(FAST.mutate().retryBudget(maxTokens, 0.1).build()));
    server.failNext(Method.GET_VERSION, 1_000_000, Status.UNAVAILABLE.withDescription("injected"));
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < reads; i++) {
      calls.add(registry.stub("a").getVersion().toFuture());
    }
    runUntilDone(calls);

    // without a budget: reads x (1 + maxRetries) = 1,200 attempts
    assertThat(server.calls(Method.GET_VERSION)).isBetween(reads, reads + maxTokens / 2);
    long refused = 0;
    for (CompletableFuture<String> call : calls) {
      MilvusConnectionException e = failureOf(call);
      assertThat(e.kind()).isEqualTo(FailureKind.UNREACHABLE);
      refused += e.getMessage().contains("retry budget") ? 1 : 0;
    }
    assertThat(refused).as("calls told that the budget refused their retry").isGreaterThan(reads - maxTokens);
    assertThat(retryingEvents("a")).isEqualTo(server.calls(Method.GET_VERSION) - reads);
    assertThat(registry.entry("a").callRetry().budget().tokens()).isZero();
  }

  @Test
  void successesRefillTheBudgetSoThatLaterFailuresAreRetriedAgain() {
    connect("a", ConnectionConfig.builder().retryPolicy(FAST.mutate().retryBudget(10, 1.0).build()));
    server.failNext(Method.GET_VERSION, 1_000_000, Status.UNAVAILABLE);
    List<CompletableFuture<String>> failing = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      failing.add(registry.stub("a").getVersion().toFuture());
    }
    runUntilDone(failing);
    RetryBudget budget = registry.entry("a").callRetry().budget();
    assertThat(budget.tokens()).isLessThanOrEqualTo(5);

    server.reset();
    for (int i = 0; i < 10; i++) {
      assertThat(registry.stub("a").checkHealth().block(WAIT)).isNotNull();
    }
    assertThat(budget.isFull()).isTrue();
    server.failNext(Method.GET_VERSION, 1, Status.UNAVAILABLE);
    List<CompletableFuture<String>> retried = List.of(registry.stub("a").getVersion().toFuture());
    runUntilDone(retried);
    assertThat(retried.get(0).join()).isEqualTo(FaultServer.VERSION);
  }

  @Test
  void aCallWhoseDefaultDeadlinePassedWhileItWaitedForAPermitIsNotRetried() {
    connect("one", ConnectionConfig.builder().retryPolicy(FAST).maxConcurrentCalls(1).maxPendingCalls(4)
        .callTimeout(Duration.ofSeconds(2)));
    AliasChannel channel = registry.entry("one").current();
    server.hang(Method.GET_VERSION);
    // holds the only permit; a deadline of its own keeps it out of the sweeper's reach
    CompletableFuture<?> holder = UnaryCalls.call(channel, MilvusServiceGrpc.getGetVersionMethod(),
        GetVersionRequest.getDefaultInstance(), CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.HOURS)).toFuture();
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
    CompletableFuture<String> waiting = registry.stub("one").getVersion().toFuture();
    await().atMost(WAIT).until(() -> channel.callsPending() == 1);

    time.advanceTimeBy(Duration.ofSeconds(4));
    await().atMost(WAIT).until(waiting::isDone);
    MilvusConnectionException e = failureOf(waiting);
    assertThat(e.grpcStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    time.advanceTimeBy(Duration.ofMinutes(1));
    assertThat(channel.callsPending()).isZero();
    assertThat(retryingEvents("one")).isZero();
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(1);
    server.release(Method.GET_VERSION);
    await().atMost(WAIT).until(holder::isDone);
  }

  @Test
  void aReadCutOffByItsAliasDisconnectFailsClosedAndLeavesTheAliasDisconnected() {
    connect("a", ConnectionConfig.builder().retryPolicy(FAST));
    int connects = server.calls(Method.CONNECT);
    server.hang(Method.GET_VERSION);
    CompletableFuture<String> hanging = registry.stub("a").getVersion().toFuture();
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);

    CompletableFuture<Void> disconnected = registry.disconnect("a").toFuture();
    time.advanceTimeBy(GRACE);
    await().atMost(WAIT).until(hanging::isDone);
    assertThat(failureOf(hanging).kind()).isEqualTo(FailureKind.CLOSED);
    disconnected.join();

    time.advanceTimeBy(Duration.ofMinutes(1)); // a retry would have run by now
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(1);
    assertThat(server.calls(Method.CONNECT)).isEqualTo(connects);
    assertThat(registry.entry("a").state()).isEqualTo(ConnectionState.CONFIGURED);
    assertThat(registry.openChannels()).isZero();
    assertThat(retryingEvents("a")).isZero();
  }

  @Test
  void aReadWaitingToBeRetriedWhenItsAliasIsDisconnectedFailsClosedWithoutConnectingAgain() {
    connect("a", ConnectionConfig.builder().retryPolicy(FAST));
    int connects = server.calls(Method.CONNECT);
    server.failNext(Method.GET_VERSION, 1, Status.UNAVAILABLE);
    CompletableFuture<String> call = registry.stub("a").getVersion().toFuture();
    await().atMost(WAIT).until(() -> retryingEvents("a") == 1); // failed once, its retry waits on the clock

    registry.disconnect("a").block(WAIT);
    time.advanceTimeBy(Duration.ofMinutes(1));
    await().atMost(WAIT).until(call::isDone);
    MilvusConnectionException e = failureOf(call);
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.CLOSED);
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(1);
    assertThat(server.calls(Method.CONNECT)).isEqualTo(connects);
    assertThat(registry.entry("a").state()).isEqualTo(ConnectionState.CONFIGURED);
    assertThat(registry.openChannels()).isZero();
  }
}
