package io.github.reactivemilvus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.internal.CallFakes.FakeCall;
import io.github.reactivemilvus.internal.CallFakes.FakeChannel;
import io.github.reactivemilvus.internal.CallFakes.FakeOwner;
import io.github.reactivemilvus.internal.CallFakes.ManualExecutor;
import io.github.reactivemilvus.internal.CallFakes.RecordingListener;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Every ordering of a {@link LimitedCall}'s life, forced by hand: grants run only when the test runs
 * the grant executor, fake calls close only when told (or synchronously inside start), deadlines
 * run on a virtual clock. In the manner of grpc-java's DelayedClientCallTest.
 */
class LimitedCallTest {
  private final ManualExecutor grants = new ManualExecutor();
  private final CallLimiter limiter = new CallLimiter(1, 10_000, grants);
  private final FakeChannel channel = new FakeChannel();
  private final FakeOwner owner = new FakeOwner();
  private final VirtualTimeScheduler timer = VirtualTimeScheduler.create();

  private LimitedCall<String, String> newCall(CallOptions options) {
    return new LimitedCall<>(channel, limiter, owner, "a", CallFakes.METHOD, options, false, timer);
  }

  private LimitedCall<String, String> newCall() {
    return newCall(CallOptions.DEFAULT);
  }

  /** Starts {@code call} as a unary stub does: start, request, send, half-close. */
  private static RecordingListener startUnary(LimitedCall<String, String> call) {
    RecordingListener listener = new RecordingListener();
    call.start(listener, new Metadata());
    call.request(2);
    call.sendMessage("x");
    call.halfClose();
    return listener;
  }

  /** Only starts {@code call} (what follows start is up to the test). */
  private static RecordingListener startOnly(LimitedCall<String, String> call) {
    RecordingListener listener = new RecordingListener();
    call.start(listener, new Metadata());
    return listener;
  }

  private void assertNoPermitHeld() {
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.pending()).isZero();
    assertThat(owner.calls.size()).isZero();
  }

  @Test
  void aCallAdmittedAtOnceStartsOnTheCallersThreadWithoutTheGrantExecutor() {
    RecordingListener listener = startUnary(newCall());

    assertThat(channel.calls).hasSize(1);
    assertThat(channel.call(0).startThread).isSameAs(Thread.currentThread());
    assertThat(channel.call(0).ops).containsExactly("start", "request 2", "send x", "halfClose");
    assertThat(grants.queued()).isZero();
    channel.call(0).respond("y");
    channel.call(0).close(Status.OK);
    assertThat(listener.onlyClose().isOk()).isTrue();
    assertThat(listener.messages).containsExactly("y");
    assertNoPermitHeld();
  }

  @Test
  void aQueuedCallBuffersItsOperationsAndStartsOnlyOnTheGrantExecutorNotOnTheStackOfTheClose() {
    startUnary(newCall());
    RecordingListener second = startUnary(newCall());
    assertThat(channel.calls).hasSize(1);
    assertThat(limiter.pending()).isEqualTo(1);

    channel.call(0).close(Status.OK);
    // the close handed the permit over; the second call did not start on the closing stack
    assertThat(channel.calls).hasSize(1);
    assertThat(limiter.inFlight()).isEqualTo(1);
    assertThat(grants.queued()).isEqualTo(1);

    grants.runAll();
    assertThat(channel.calls).hasSize(2);
    assertThat(channel.call(1).ops).containsExactly("start", "request 2", "send x", "halfClose");
    channel.call(1).close(Status.OK);
    assertThat(second.onlyClose().isOk()).isTrue();
    assertNoPermitHeld();
  }

  @Test
  void aQueuedCallStartsInTheGrpcContextOfItsCaller() {
    startUnary(newCall());
    Context previous = Context.current().withValue(CallFakes.CALLER, "second caller").attach();
    try {
      startUnary(newCall());
    } finally {
      Context.current().detach(previous);
    }
    channel.call(0).close(Status.OK);
    assertThat(CallFakes.CALLER.get()).isNull();
    grants.runAll();

    assertThat(channel.call(1).startedIn).isEqualTo("second caller");
    assertThat(CallFakes.CALLER.get()).as("context detached after the start").isNull();
  }

  @Test
  void cancelThenGrant() {
    startUnary(newCall());
    LimitedCall<String, String> waiting = newCall();
    RecordingListener listener = startUnary(waiting);

    waiting.cancel("no longer needed", null);
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(limiter.pending()).isZero();

    channel.call(0).close(Status.OK);
    assertThat(grants.queued()).as("nobody waits: the permit went back to the pool").isZero();
    assertThat(channel.calls).hasSize(1);
    assertNoPermitHeld();
  }

  @Test
  void grantThenCancel() {
    startUnary(newCall());
    LimitedCall<String, String> waiting = newCall();
    RecordingListener listener = startUnary(waiting);
    channel.call(0).close(Status.OK);
    assertThat(grants.queued()).isEqualTo(1);

    // cancelled after the grant, before the grant executor started it
    waiting.cancel("no longer needed", null);
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(limiter.inFlight()).as("the permit is the waiter's until its start sees the cancel").isEqualTo(1);

    grants.runAll();
    assertThat(channel.calls).as("never started").hasSize(1);
    assertThat(listener.closes).hasSize(1);
    assertNoPermitHeld();
  }

  @Test
  void cancelBeforeStartClosesOnStartWithoutTakingAPermit() {
    LimitedCall<String, String> call = newCall();
    call.cancel("early", null);
    RecordingListener listener = startUnary(call);

    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertThat(channel.calls).isEmpty();
    assertNoPermitHeld();
  }

  @Test
  void aCancelWhileTheRealCallIsStartingIsAppliedWhenTheStartReturns() {
    List<LimitedCall<String, String>> self = new ArrayList<>();
    channel.onStart = fake -> {
      // another thread's cancel, arriving while this thread is inside start
      self.get(0).cancel("while starting", null);
      assertThat(fake.cancelled).as("not cancelled concurrently with its start").isFalse();
    };
    LimitedCall<String, String> call = newCall();
    self.add(call);
    RecordingListener listener = startOnly(call);

    assertThat(channel.call(0).ops).containsExactly("start", "cancel");
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertNoPermitHeld();
  }

  @Test
  void anAbortWhileAQueuedCallIsStartingCancelsTheRealCallOnceItStarted() {
    startUnary(newCall());
    List<LimitedCall<String, String>> waitingRef = new ArrayList<>();
    LimitedCall<String, String> waiting = newCall();
    waitingRef.add(waiting);
    RecordingListener listener = startUnary(waiting);
    channel.call(0).close(Status.OK);
    channel.onStart = fake -> waitingRef.get(0).abort(Status.UNAVAILABLE.withDescription("shutting down"));

    grants.runAll();
    // the buffered operations are replayed first: the cancel is never concurrent with them
    assertThat(channel.call(1).ops).containsExactly("start", "request 2", "send x", "halfClose", "cancel");
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertNoPermitHeld();
  }

  @Test
  void aRealCallThatClosesSynchronouslyInsideStartReturnsItsPermitAndTheNextStartsOnItsOwnTask() {
    startUnary(newCall());
    channel.onStart = fake -> fake.close(Status.UNAVAILABLE.withDescription("transport is dead"));
    List<RecordingListener> waiting = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      waiting.add(startUnary(newCall()));
    }

    channel.call(0).close(Status.UNAVAILABLE);
    int tasks = grants.runAll();

    assertThat(tasks).as("one task per queued call").isEqualTo(1_000);
    for (RecordingListener listener : waiting) {
      assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
    int minDepth = channel.calls.stream().skip(1).mapToInt(c -> c.stackDepthAtStart).min().orElseThrow();
    int maxDepth = channel.calls.stream().skip(1).mapToInt(c -> c.stackDepthAtStart).max().orElseThrow();
    assertThat(maxDepth).as("every queued call starts at the same stack depth").isEqualTo(minDepth);
    assertNoPermitHeld();
  }

  @Test
  void deadlineExpiryWhileWaitingFailsTheCallAndLeavesThePermitsAlone() {
    startUnary(newCall());
    FakeTicker ticker = new FakeTicker();
    RecordingListener listener = startUnary(newCall(CallOptions.DEFAULT.withDeadline(Deadline.after(1, TimeUnit.SECONDS, ticker))));

    timer.advanceTimeBy(Duration.ofMillis(999));
    assertThat(listener.closes).isEmpty();
    timer.advanceTimeBy(Duration.ofMillis(1));
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(limiter.pending()).isZero();
    assertThat(limiter.inFlight()).isEqualTo(1);

    channel.call(0).close(Status.OK);
    assertThat(grants.queued()).isZero();
    assertNoPermitHeld();
  }

  @Test
  void aWaitingCallsDeadlineTimerIsStoppedWhenItStarts() {
    startUnary(newCall());
    RecordingListener listener = startUnary(newCall(CallOptions.DEFAULT.withDeadline(
        Deadline.after(1, TimeUnit.SECONDS, new FakeTicker()))));
    channel.call(0).close(Status.OK);
    grants.runAll();

    timer.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(listener.closes).as("the running call's deadline is grpc-java's, not the wait timer's").isEmpty();
    assertThat(channel.call(1).cancelled).isFalse();
    channel.call(1).close(Status.OK);
    assertNoPermitHeld();
  }

  @Test
  void deadlineExpiryWhileStartingClosesWithDeadlineExceededOnceTheStartReturns() {
    List<LimitedCall<String, String>> self = new ArrayList<>();
    Status expired = Status.DEADLINE_EXCEEDED.withDescription("default deadline");
    channel.onStart = fake -> self.get(0).expire(expired);
    LimitedCall<String, String> call = newCall();
    self.add(call);
    RecordingListener listener = startOnly(call);

    assertThat(channel.call(0).ops).containsExactly("start", "cancel");
    assertThat(listener.onlyClose()).isSameAs(expired);
    assertNoPermitHeld();
  }

  @Test
  void deadlineExpiryWhileRunningCancelsTheRealCallAndReportsTheDeadline() {
    LimitedCall<String, String> call = newCall();
    RecordingListener listener = startUnary(call);
    Status expired = Status.DEADLINE_EXCEEDED.withDescription("default deadline");

    call.expire(expired);
    assertThat(channel.call(0).cancelled).isTrue();
    assertThat(listener.onlyClose()).isSameAs(expired);
    assertNoPermitHeld();
  }

  @Test
  void anOwnersCancelBetweenTheRequestAndItsHalfCloseWaitsForTheHalfClose() {
    // grpc-java keeps a unary request in its framer until halfClose: a cancel in between would leak it
    LimitedCall<String, String> call = newCall();
    RecordingListener listener = startOnly(call);
    call.request(2);
    call.sendMessage("x");
    Status expired = Status.DEADLINE_EXCEEDED.withDescription("default deadline");

    call.expire(expired);
    assertThat(channel.call(0).ops).containsExactly("start", "request 2", "send x");
    assertThat(listener.closes).isEmpty();

    call.halfClose();
    assertThat(channel.call(0).ops).containsExactly("start", "request 2", "send x", "halfClose", "cancel");
    assertThat(listener.onlyClose()).isSameAs(expired);
    assertNoPermitHeld();
  }

  @Test
  void anOwnersCancelBeforeTheRequestMakesTheSendAndHalfCloseNoOps() {
    LimitedCall<String, String> call = newCall();
    RecordingListener listener = startOnly(call);
    call.request(2);

    call.abort(Status.UNAVAILABLE.withDescription("shutting down"));
    call.sendMessage("x");
    call.halfClose();

    assertThat(channel.call(0).ops).containsExactly("start", "request 2", "cancel");
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertNoPermitHeld();
  }

  @Test
  void anOwnersCancelThatArrivesWhileTheRequestIsSentIsAppliedWhenTheSendThrows() {
    List<LimitedCall<String, String>> self = new ArrayList<>();
    IllegalStateException sendFailure = new IllegalStateException("framing failed");
    channel.onSend = fake -> {
      self.get(0).abort(Status.UNAVAILABLE.withDescription("shutting down"));
      assertThat(fake.cancelled).as("not cancelled concurrently with the send").isFalse();
      throw sendFailure;
    };
    LimitedCall<String, String> call = newCall();
    self.add(call);
    RecordingListener listener = startOnly(call);

    assertThatThrownBy(() -> call.sendMessage("x")).isSameAs(sendFailure);
    assertThat(channel.call(0).ops).containsExactly("start", "cancel");
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertNoPermitHeld();
  }

  @Test
  void twoOwnerCancelsDuringTheRequestCancelTheRealCallOnce() {
    LimitedCall<String, String> call = newCall();
    RecordingListener listener = startOnly(call);
    call.sendMessage("x");
    Status expired = Status.DEADLINE_EXCEEDED.withDescription("default deadline");

    call.expire(expired);
    call.abort(Status.UNAVAILABLE.withDescription("shutting down"));
    call.halfClose();

    assertThat(channel.call(0).ops).containsExactly("start", "send x", "halfClose", "cancel");
    assertThat(listener.onlyClose()).isSameAs(expired);
    assertNoPermitHeld();
  }

  @Test
  void theCallersOwnCancelBetweenTheRequestAndItsHalfCloseGoesToTheRealCallAtOnce() {
    // the caller orders its own operations (a ClientCall is not thread-safe): nothing to wait for
    LimitedCall<String, String> call = newCall();
    RecordingListener listener = startOnly(call);
    call.sendMessage("x");

    call.cancel("caller gave up", null);
    assertThat(channel.call(0).ops).containsExactly("start", "send x", "cancel");
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertNoPermitHeld();
  }

  @Test
  void theCallersCancelAfterAnOwnersCancelDoesNotReachTheRealCallAgain() {
    LimitedCall<String, String> call = newCall();
    RecordingListener listener = startUnary(call);

    call.expire(Status.DEADLINE_EXCEEDED.withDescription("default deadline"));
    call.cancel("caller gave up", null);

    assertThat(channel.call(0).ops).containsExactly("start", "request 2", "send x", "halfClose", "cancel");
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertNoPermitHeld();
  }

  @Test
  void anOwnersCancelDuringAStreamingSendIsAppliedWhenTheSendReturns() {
    MethodDescriptor<String, String> streaming = CallFakes.METHOD.toBuilder()
        .setType(MethodDescriptor.MethodType.CLIENT_STREAMING).build();
    LimitedCall<String, String> call = new LimitedCall<>(channel, limiter, owner, "a", streaming, CallOptions.DEFAULT,
        false, timer);
    RecordingListener listener = startOnly(call);
    call.sendMessage("a");
    channel.onSend = fake -> {
      call.abort(Status.UNAVAILABLE.withDescription("shutting down"));
      assertThat(fake.cancelled).as("not cancelled while the caller is in the call").isFalse();
    };

    call.sendMessage("b");
    assertThat(channel.call(0).ops).containsExactly("start", "send a", "send b", "cancel");
    call.sendMessage("c"); // after the cancel: a no-op, the call closed with it
    call.halfClose();
    assertThat(channel.call(0).ops).containsExactly("start", "send a", "send b", "cancel");
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertNoPermitHeld();
  }

  @Test
  void anOwnersCancelOfAQueuedCallWhoseReplayedRequestAwaitsItsHalfCloseWaitsForIt() {
    startUnary(newCall());
    List<LimitedCall<String, String>> waitingRef = new ArrayList<>();
    LimitedCall<String, String> waiting = newCall();
    waitingRef.add(waiting);
    RecordingListener listener = startOnly(waiting);
    waiting.sendMessage("x"); // buffered: the half-close comes after the grant
    channel.call(0).close(Status.OK);
    channel.onStart = fake -> waitingRef.get(0).abort(Status.UNAVAILABLE.withDescription("shutting down"));

    grants.runAll();
    assertThat(channel.call(1).ops).containsExactly("start", "send x");
    waiting.halfClose();
    assertThat(channel.call(1).ops).containsExactly("start", "send x", "halfClose", "cancel");
    assertThat(listener.onlyClose().getCode()).isEqualTo(Status.Code.CANCELLED);
    assertNoPermitHeld();
  }

  @Test
  void anExpiryRacingTheGrantFailsTheCallAndTheGrantReturnsThePermit() {
    startUnary(newCall());
    LimitedCall<String, String> waiting = newCall();
    RecordingListener listener = startUnary(waiting);
    channel.call(0).close(Status.OK); // granted: withdrawing is too late now

    Status expired = Status.DEADLINE_EXCEEDED.withDescription("default deadline");
    waiting.expire(expired);
    Status closed = listener.onlyClose();
    assertThat(closed.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(closed.getDescription()).isEqualTo("default deadline");
    assertThat(closed.getCause()).as("it never reached the server").isInstanceOf(LocalCauses.PermitWaitExpired.class);
    assertThat(limiter.inFlight()).isEqualTo(1);

    grants.runAll();
    assertThat(channel.calls).hasSize(1);
    assertNoPermitHeld();
  }

  @Test
  void aSecondCloseOfTheRealCallReturnsNoSecondPermit() {
    LimitedCall<String, String> call = newCall();
    RecordingListener listener = startUnary(call);
    FakeCall fake = channel.call(0);
    fake.listener.onClose(Status.OK, new Metadata());
    fake.listener.onClose(Status.CANCELLED, new Metadata());

    assertThat(listener.onlyClose().isOk()).isTrue();
    assertNoPermitHeld();
    // the freed permit is there exactly once
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
  }

  @Test
  void aNewCallThatThrowsFailsTheCallAndReturnsItsPermit() {
    channel.newCallFails = new IllegalStateException("channel broken");
    RecordingListener listener = startUnary(newCall());

    assertThat(listener.onlyClose().getCause()).isSameAs(channel.newCallFails);
    assertNoPermitHeld();
  }

  @Test
  void aCallRefusedByBothLimitsClosesWithResourceExhaustedWithoutWaiting() {
    CallLimiter small = new CallLimiter(1, 1, grants);
    startUnary(new LimitedCall<>(channel, small, owner, "a", CallFakes.METHOD, CallOptions.DEFAULT, false, timer));
    startUnary(new LimitedCall<>(channel, small, owner, "a", CallFakes.METHOD, CallOptions.DEFAULT, false, timer));
    RecordingListener third = startUnary(
        new LimitedCall<>(channel, small, owner, "a", CallFakes.METHOD, CallOptions.DEFAULT, false, timer));

    assertThat(third.onlyClose().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(owner.rejected).isEqualTo(1);
    assertThat(small.inFlight()).isEqualTo(1);
    assertThat(small.pending()).isEqualTo(1);
  }

  @Test
  void aCallStartedAfterItsOwnerShutDownFailsWithTheShutdownStatusWithoutAPermit() {
    owner.shutDown = true;
    RecordingListener listener = startUnary(newCall());

    assertThat(listener.onlyClose().getDescription()).contains("was disconnected");
    assertNoPermitHeld();
  }

  @Test
  void queuedCallsWhoseGrantTheExecutorRefusesFailWithTheShutdownStatusAndThePermitComesBack() {
    startUnary(newCall());
    List<RecordingListener> waiting = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      waiting.add(startUnary(newCall()));
    }
    grants.shutdown();

    channel.call(0).close(Status.OK);
    for (RecordingListener listener : waiting) {
      Status status = listener.onlyClose();
      assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(status.getDescription()).contains("was disconnected");
    }
    assertThat(channel.calls).hasSize(1);
    assertNoPermitHeld();
  }

  /** A clock for {@link Deadline}s that moves only when the test moves it (here never: the timer is virtual). */
  static final class FakeTicker extends Deadline.Ticker {
    long now;

    @Override
    public long nanoTime() {
      return now;
    }
  }
}
