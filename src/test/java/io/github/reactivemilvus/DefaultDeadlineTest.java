package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.DeadlineSweeper;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The default call deadline ({@code call_timeout}, 30 s unless set): a call without a deadline of
 * its own that runs longer is cancelled (the server sees the cancellation) and fails with
 * {@code DEADLINE_EXCEEDED}. It is enforced by the registry's sweeper on the registry's scheduler,
 * here a virtual clock; deadlines the caller sets stay exact (grpc-java's own timer, real time).
 */
class DefaultDeadlineTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private FaultServer server;
  private VirtualTimeScheduler time;
  private ReactiveConnections registry;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    time = VirtualTimeScheduler.create();
    registry = ReactiveConnections.builder().environment(Map.of()).scheduler(time).build();
    registry.addConnection("a", Map.of("uri", server.uri(), "retry_max_retries", 0)).block(WAIT);
  }

  @AfterEach
  void tearDown() {
    server.releaseAll();
    registry.close();
    time.dispose();
    server.close();
  }

  private AliasChannel channel() {
    return registry.entry("a").current();
  }

  private static Status statusOf(CompletableFuture<?> failed) {
    try {
      failed.get(0, TimeUnit.SECONDS);
      throw new AssertionError("the call succeeded");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return cause instanceof MilvusConnectionException m ? m.grpcStatus() : Status.fromThrowable(cause);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aStubCallPastTheDefaultDeadlineIsCancelledWithDeadlineExceededAndTheServerSeesTheCancellation() {
    registry.channel("a").block(WAIT);
    server.hang(Method.GET_VERSION);
    CompletableFuture<String> call = registry.stub("a").getVersion().toFuture();
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);

    time.advanceTimeBy(ConnectionConfigDefaults.CALL_TIMEOUT.minusMillis(1));
    assertThat(call).isNotDone();
    assertThat(server.cancellations(Method.GET_VERSION)).isZero();

    time.advanceTimeBy(DeadlineSweeper.PERIOD.multipliedBy(2).plusMillis(1));
    await().atMost(WAIT).until(call::isDone);
    Status status = statusOf(call);
    assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(status.getDescription()).contains("default deadline", "30000 ms", "call_timeout", "'a'");
    await().atMost(WAIT).until(() -> server.cancellations(Method.GET_VERSION) == 1);
    await().atMost(WAIT).until(() -> channel().openCalls() == 0 && channel().callsInFlight() == 0);
    // the alias serves on
    server.release(Method.GET_VERSION);
    assertThat(registry.stub("a").getVersion().block(WAIT)).isEqualTo(FaultServer.VERSION);
  }

  @Test
  void aCallOfAnotherStubOnTheAliasChannelGetsTheSameDefaultDeadline() throws Exception {
    ManagedChannel channel = registry.channel("a").block(WAIT);
    server.hang(Method.GET_VERSION);
    CompletableFuture<GetVersionResponse> call = toCompletable(
        MilvusServiceGrpc.newFutureStub(channel).getVersion(GetVersionRequest.getDefaultInstance()));
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);

    time.advanceTimeBy(ConnectionConfigDefaults.CALL_TIMEOUT.plus(DeadlineSweeper.PERIOD.multipliedBy(2)));
    await().atMost(WAIT).until(call::isDone);
    assertThat(statusOf(call).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(statusOf(call).getDescription()).contains("default deadline");
    await().atMost(WAIT).until(() -> server.cancellations(Method.GET_VERSION) == 1);
  }

  @Test
  void aCallWaitingForAPermitPastTheDefaultDeadlineFailsWithDeadlineExceededWithoutReachingTheServer() {
    registry.addConnection("one", Map.of("uri", server.uri(), "retry_max_retries", 0,
        "max_concurrent_calls", 1, "max_pending_calls", 1)).block(WAIT);
    registry.channel("one").block(WAIT);
    server.hang(Method.GET_VERSION);
    CompletableFuture<String> running = registry.stub("one").getVersion().toFuture();
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
    time.advanceTimeBy(Duration.ofSeconds(10));
    CompletableFuture<String> waiting = registry.stub("one").getVersion().toFuture();

    // the running call is due first, and its freed permit goes to the waiting one, due 10 s later
    time.advanceTimeBy(Duration.ofSeconds(20).plus(DeadlineSweeper.PERIOD.multipliedBy(2)));
    await().atMost(WAIT).until(running::isDone);
    assertThat(statusOf(running).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    await().atMost(WAIT).until(() -> server.calls(Method.GET_VERSION) == 2);
    assertThat(waiting).isNotDone();
    time.advanceTimeBy(Duration.ofSeconds(10));
    await().atMost(WAIT).until(waiting::isDone);
    assertThat(statusOf(waiting).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    await().atMost(WAIT).until(() -> server.cancellations(Method.GET_VERSION) == 2);
  }

  @Test
  void aDeadlineTheCallerSetsIsExactAndNotTheSweepers() {
    registry.channel("a").block(WAIT);
    server.hang(Method.GET_VERSION);
    // the virtual clock does not move: only grpc-java's own (real-time) deadline can end this call
    CompletableFuture<String> call = registry.stub("a").withDeadline(Duration.ofMillis(300)).getVersion().toFuture();
    await().atMost(WAIT).until(call::isDone);
    assertThat(statusOf(call).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    await().atMost(WAIT).until(() -> server.cancellations(Method.GET_VERSION) == 1);
  }

  @Test
  void aDefaultDeadlineBelowOneSecondIsLeftToGrpcJavasExactTimer() {
    registry.addConnection("short", Map.of("uri", server.uri(), "retry_max_retries", 0,
        "call_timeout", 0.3)).block(WAIT);
    registry.channel("short").block(WAIT);
    server.hang(Method.GET_VERSION);
    CompletableFuture<String> call = registry.stub("short").getVersion().toFuture();
    await().atMost(WAIT).until(call::isDone);
    assertThat(statusOf(call).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  private static <T> CompletableFuture<T> toCompletable(com.google.common.util.concurrent.ListenableFuture<T> f) {
    CompletableFuture<T> c = new CompletableFuture<>();
    f.addListener(() -> {
      try {
        c.complete(f.get());
      } catch (ExecutionException e) {
        c.completeExceptionally(e.getCause());
      } catch (InterruptedException e) {
        c.completeExceptionally(e);
      }
    }, Runnable::run);
    return c;
  }

  /** The documented default, spelled out so that a change of it shows here. */
  private static final class ConnectionConfigDefaults {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  }
}
