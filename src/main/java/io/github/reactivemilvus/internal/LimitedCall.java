package io.github.reactivemilvus.internal;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * One call on an alias's channel, from its start to its close: it starts on {@code next} only once
 * the alias's {@link CallLimiter} admits it. Until then, request/send/halfClose are buffered in order
 * and replayed on the real call (the same idea as grpc-java's internal DelayedClientCall). The permit
 * is returned exactly once: when the real call closes, or when a waiting call is cancelled. A call
 * whose default deadline the {@link DeadlineSweeper} enforces closes with {@code DEADLINE_EXCEEDED}
 * when {@link #expire} ends it. Everything it needs is handed to it; it reports to its
 * {@link CallOwner}.
 */
@Internal
final class LimitedCall<Q, R> extends ClientCall<Q, R> {
  private final Channel next;
  private final CallLimiter limiter;
  private final CallOwner owner;
  private final String alias;
  private final MethodDescriptor<Q, R> method;
  private final CallOptions options;
  private final boolean sweptDeadline;
  private final Scheduler timer;
  private final Runnable onGrant = this::startReal;
  private final AtomicBoolean permitReturned = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private final Object lock = new Object();
  private @Nullable Listener<R> listener;
  private @Nullable Metadata headers;
  private OpenCalls.@Nullable Entry entry;
  private @Nullable ClientCall<Q, R> real;
  private @Nullable List<Runnable> buffered; // created on the first operation that has to wait
  private volatile boolean passThrough;
  private volatile @Nullable Status expiredStatus;
  private boolean cancelled;
  /** Ends a waiting call at its own deadline (grpc-java's timer starts only with the real call). */
  private @Nullable Disposable waitTimer;
  // grpc-java calls are not thread-safe: a cancel that arrives while another thread starts the
  // real call and replays buffered operations is handed to that thread instead of racing it
  private boolean starting;
  private boolean cancelRequested;
  private @Nullable String cancelMessage;
  private @Nullable Throwable cancelCause;

  LimitedCall(Channel next, CallLimiter limiter, CallOwner owner, String alias, MethodDescriptor<Q, R> method,
      CallOptions options, boolean sweptDeadline, Scheduler timer) {
    this.next = next;
    this.limiter = limiter;
    this.owner = owner;
    this.alias = alias;
    this.method = method;
    this.options = options;
    this.sweptDeadline = sweptDeadline;
    this.timer = timer;
  }

  @Override
  public void start(Listener<R> responseListener, Metadata requestHeaders) {
    boolean cancelledBeforeStart;
    OpenCalls.Entry opened = null;
    // registering with the owner happens under the same lock that cancel() takes, so a call is
    // either tracked and later untracked, or never tracked
    synchronized (lock) {
      this.listener = responseListener;
      this.headers = requestHeaders;
      cancelledBeforeStart = cancelled;
      if (!cancelled) {
        opened = owner.opened(this, sweptDeadline);
        entry = opened;
      }
    }
    if (cancelledBeforeStart) {
      closeOnce(Status.CANCELLED.withDescription("call cancelled before start"));
      return;
    }
    if (opened == null) {
      closeOnce(owner.shutdownStatus());
      return;
    }
    switch (limiter.acquire(onGrant)) {
      case GRANTED -> startReal();
      case QUEUED -> expireWhileWaiting();
      case REJECTED -> {
        owner.rejected();
        closeOnce(Status.RESOURCE_EXHAUSTED.withDescription(limiter.describeLimit() + " for alias '" + alias + "'"));
      }
    }
  }

  /**
   * A call with a deadline of its own fails with {@code DEADLINE_EXCEEDED} if it is still waiting for a
   * permit when the deadline passes (a swept default deadline is the sweeper's).
   */
  private void expireWhileWaiting() {
    Deadline deadline = options.getDeadline();
    if (deadline == null) {
      return;
    }
    Disposable scheduled = timer.schedule(() -> abortIfWaiting(Status.DEADLINE_EXCEEDED.withDescription(
        "deadline exceeded while waiting for a call permit of alias '" + alias + "'")),
        Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS)), TimeUnit.NANOSECONDS);
    boolean over;
    synchronized (lock) {
      over = real != null || cancelled;
      if (!over) {
        waitTimer = scheduled;
      }
    }
    if (over) {
      scheduled.dispose();
    }
  }

  private void startReal() {
    ClientCall<Q, R> call;
    RuntimeException failedNewCall = null;
    synchronized (lock) {
      if (cancelled) {
        returnPermit();
        return;
      }
      stopWaitTimer();
      try {
        call = next.newCall(method, options);
      } catch (RuntimeException e) {
        call = null;
        failedNewCall = e;
      }
      if (call != null) {
        real = call;
        starting = true;
      }
    }
    if (call == null) {
      returnPermit();
      closeOnce(Status.fromThrowable(failedNewCall));
      return;
    }
    try {
      call.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<R>(listener) {
        @Override
        public void onClose(Status status, Metadata trailers) {
          returnPermit();
          if (closed.compareAndSet(false, true)) {
            owner.closed(Objects.requireNonNull(entry)); // opened before the real call starts
            Status expired = expiredStatus;
            // the sweeper cancelled it: the caller sees the deadline, not a cancellation
            super.onClose(expired != null && status.getCode() == Status.Code.CANCELLED ? expired : status, trailers);
          }
        }
      }, headers);
    } catch (RuntimeException | Error e) {
      synchronized (lock) {
        starting = false;
      }
      returnPermit();
      closeOnce(Status.fromThrowable(e));
      return;
    }
    drain(call);
    boolean cancelNow;
    synchronized (lock) {
      starting = false;
      cancelNow = cancelRequested;
    }
    if (cancelNow) {
      call.cancel(cancelMessage, cancelCause);
    }
  }

  private void drain(ClientCall<Q, R> call) {
    while (true) {
      List<Runnable> ops;
      synchronized (lock) {
        if (buffered == null || buffered.isEmpty()) {
          buffered = null;
          passThrough = true;
          return;
        }
        ops = buffered;
        buffered = new ArrayList<>(4);
      }
      for (Runnable op : ops) {
        try {
          op.run();
        } catch (RuntimeException | Error e) {
          // the call was cancelled while its buffered operations were replayed (grpc-java refuses
          // sendMessage/halfClose after cancel); it closes through its listener either way
          call.cancel("replaying a buffered operation failed", e);
          return;
        }
      }
    }
  }

  private void returnPermit() {
    if (permitReturned.compareAndSet(false, true)) {
      limiter.release();
    }
  }

  /** Called under the lock. */
  private void stopWaitTimer() {
    if (waitTimer != null) {
      waitTimer.dispose();
      waitTimer = null;
    }
  }

  private void closeOnce(Status status) {
    if (closed.compareAndSet(false, true)) {
      Listener<R> l;
      OpenCalls.Entry e;
      synchronized (lock) {
        l = listener;
        e = entry;
        stopWaitTimer();
      }
      if (e != null) {
        owner.closed(e);
      }
      if (l != null) {
        l.onClose(status, new Metadata());
      }
    }
  }

  /** Buffers {@code op} unless the real call took over meanwhile; true when it was buffered. */
  private boolean buffer(Runnable op) {
    synchronized (lock) {
      if (passThrough) {
        return false;
      }
      if (!cancelled) {
        if (buffered == null) {
          buffered = new ArrayList<>(4);
        }
        buffered.add(op);
      }
      return true;
    }
  }

  @Override
  public void request(int numMessages) {
    if (passThrough || !buffer(() -> started().request(numMessages))) {
      started().request(numMessages);
    }
  }

  @Override
  public void sendMessage(Q message) {
    if (passThrough || !buffer(() -> started().sendMessage(message))) {
      started().sendMessage(message);
    }
  }

  @Override
  public void halfClose() {
    if (passThrough || !buffer(() -> started().halfClose())) {
      started().halfClose();
    }
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    if (passThrough || !buffer(() -> started().setMessageCompression(enabled))) {
      started().setMessageCompression(enabled);
    }
  }

  @Override
  public boolean isReady() {
    return passThrough && started().isReady();
  }

  /** The real call's attributes (remote address, TLS session) once it started; empty while waiting. */
  @Override
  public Attributes getAttributes() {
    return passThrough ? started().getAttributes() : Attributes.EMPTY;
  }
  /** The real call: set before {@code passThrough}, and before any buffered operation runs. */
  private ClientCall<Q, R> started() {
    return Objects.requireNonNull(real, "the real call");
  }


  @Override
  public void cancel(@Nullable String message, @Nullable Throwable cause) {
    ClientCall<Q, R> call;
    boolean started;
    synchronized (lock) {
      call = real;
      started = listener != null;
      if (call == null) {
        cancelled = true;
      } else if (starting) {
        cancelRequested = true;
        cancelMessage = message;
        cancelCause = cause;
        return;
      }
    }
    if (call != null) {
      call.cancel(message, cause);
      return;
    }
    if (!started) {
      return; // start() reports the cancellation to its listener
    }
    if (limiter.withdraw(onGrant)) {
      // never admitted: nothing to return
      permitReturned.set(true);
    }
    Status status = Status.CANCELLED.withDescription(message != null ? message : "call cancelled");
    closeOnce(cause != null ? status.withCause(cause) : status);
  }

  /** Ends the call from the owner's side: cancels it if running, fails it if still waiting. */
  void abort(Status status) {
    // decided in one step: a permit granted between a check and the abort must not let the call run on
    if (!abortIfWaiting(status)) {
      cancel(status.getDescription(), null);
    }
  }

  /** Ends a call past its default deadline: the caller sees {@code status} (DEADLINE_EXCEEDED). */
  void expire(Status status) {
    expiredStatus = status;
    abort(status);
  }

  /** Fails the call with {@code status} if it is still waiting for a permit; true when it was. */
  private boolean abortIfWaiting(Status status) {
    boolean waiting;
    synchronized (lock) {
      waiting = real == null && !cancelled;
      if (waiting) {
        cancelled = true;
      }
    }
    if (waiting) {
      if (limiter.withdraw(onGrant)) {
        permitReturned.set(true); // never admitted: nothing to return
      }
      closeOnce(status);
    }
    return waiting;
  }
}
