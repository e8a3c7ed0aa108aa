package io.github.reactivemilvus.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/**
 * Lincheck explores the interleavings of a unary call's caller (send, then half-close, or its own
 * cancel before the send or after the half-close, as UnaryCalls does, all on one thread) with the
 * owner's cancels from other threads ({@link LimitedCall#expire} by the deadline sweeper,
 * {@link LimitedCall#abort} by a shutdown) over one running {@link LimitedCall}, and checks:
 * the real call is never entered by two threads at once (a grpc-java call is not thread-safe), it is
 * never cancelled between its request and the end of its half-close (grpc-java would keep the framed
 * request unreleased), it is cancelled at most once, and a cancel is never lost: once the caller has
 * finished, a cancelled call has been cancelled and closed, exactly once.
 */
public class LimitedCallRequestLincheckTest {
  private final RealCall real = new RealCall();
  private final AtomicInteger closes = new AtomicInteger();
  private final AtomicBoolean ownerCancelled = new AtomicBoolean();
  private final LimitedCall<String, String> call;
  // the caller's own progress: touched only by the caller's operations (one thread) and the validation
  private boolean sent;
  private boolean halfClosed;
  private boolean callerCancelled;

  public LimitedCallRequestLincheckTest() {
    Channel next = new Channel() {
      @Override
      public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
        @SuppressWarnings("unchecked")
        ClientCall<Q, R> typed = (ClientCall<Q, R>) real;
        return typed;
      }

      @Override
      public String authority() {
        return "model";
      }
    };
    CallLimiter limiter = new CallLimiter(1, 1, Runnable::run);
    call = new LimitedCall<>(next, limiter, new CallFakes.FakeOwner(), "a", CallFakes.METHOD, CallOptions.DEFAULT,
        false, Schedulers.immediate());
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closes.incrementAndGet();
      }
    }, new Metadata());
  }

  /** A grpc-java call as far as this check goes: refuses concurrent use and a cancel inside the request. */
  private static final class RealCall extends ClientCall<String, String> {
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger cancels = new AtomicInteger();
    private volatile boolean framing;
    private volatile boolean cancelled;
    private volatile @Nullable Listener<String> listener;

    private void enter() {
      if (!busy.compareAndSet(false, true)) {
        throw new IllegalStateException("the real call was entered by two threads at once");
      }
    }

    private void leave() {
      busy.set(false);
    }

    @Override
    public void start(Listener<String> responseListener, Metadata headers) {
      listener = responseListener;
    }

    @Override
    public void request(int numMessages) { }

    @Override
    public void sendMessage(String message) {
      enter();
      try {
        if (cancelled) {
          throw new IllegalStateException("call was cancelled");
        }
        framing = true; // held in the framer until halfClose, as grpc-java does for a unary request
      } finally {
        leave();
      }
    }

    @Override
    public void halfClose() {
      enter();
      try {
        if (cancelled) {
          throw new IllegalStateException("call was cancelled");
        }
        framing = false;
      } finally {
        leave();
      }
    }

    @Override
    public void cancel(@Nullable String message, @Nullable Throwable cause) {
      enter();
      try {
        if (framing) {
          throw new IllegalStateException("cancelled between the request and its half-close: the framed request leaks");
        }
        cancelled = true;
        cancels.incrementAndGet();
      } finally {
        leave();
      }
      Listener<String> l = listener;
      if (l != null) {
        l.onClose(Status.CANCELLED, new Metadata());
      }
    }
  }

  @Operation(nonParallelGroup = "caller")
  public void send() {
    if (!sent && !callerCancelled) {
      sent = true;
      call.sendMessage("x");
    }
  }

  @Operation(nonParallelGroup = "caller")
  public void halfClose() {
    if (sent && !halfClosed) {
      halfClosed = true;
      call.halfClose();
    }
  }

  @Operation(nonParallelGroup = "caller")
  public void callerCancel() {
    if (!sent || halfClosed) { // never inside its own request, as UnaryCalls publishes the call only after it
      callerCancelled = true;
      call.cancel("caller gave up", null);
    }
  }

  @Operation
  public void expire() {
    ownerCancelled.set(true);
    call.expire(Status.DEADLINE_EXCEEDED.withDescription("default deadline"));
  }

  @Operation
  public void abort() {
    ownerCancelled.set(true);
    call.abort(Status.UNAVAILABLE.withDescription("shutting down"));
  }

  @Validate
  public void noCancelInsideTheRequestNoneLostNoneDoubled() {
    // the caller always finishes what it started
    send();
    halfClose();
    if (real.cancels.get() > 1) {
      throw new IllegalStateException("the real call was cancelled " + real.cancels.get() + " times");
    }
    boolean cancelled = ownerCancelled.get() || callerCancelled;
    if (cancelled && real.cancels.get() != 1) {
      throw new IllegalStateException("a cancel was lost");
    }
    if (closes.get() != (cancelled ? 1 : 0)) {
      throw new IllegalStateException("the caller heard " + closes.get() + " closes");
    }
  }

  @Test
  void noOwnerCancelFallsInsideAUnaryRequestOrIsLostInAnyInterleaving() {
    new ModelCheckingOptions()
        .iterations(30)
        .invocationsPerIteration(500)
        .threads(3)
        .actorsPerThread(2)
        .actorsBefore(0)
        .actorsAfter(1)
        .check(LimitedCallRequestLincheckTest.class);
  }
}
