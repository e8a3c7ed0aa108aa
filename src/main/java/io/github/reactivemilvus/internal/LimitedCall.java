package io.github.reactivemilvus.internal;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
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
 *
 * <p>Threads. A call admitted at once starts the real call on its caller's thread, inside
 * {@link #start}: the hot path has no hand-over and allocates nothing beyond the call. A call that
 * had to wait starts on the limiter's grant executor (the registry's scheduler), in the
 * {@link Context} that was current when {@link #start} was called (as grpc-java's DelayedClientCall
 * keeps it), and never on the stack of the call whose close freed its permit: that close may itself
 * be a synchronous failure inside {@code start} on a dead transport, and starting the next waiter
 * there would nest one call per queued call (see {@link CallLimiter}). Listeners are never called
 * under this call's lock or the limiter's.
 *
 * <p>Cancels from this side. The caller's own {@link #cancel} is ordered with its other operations
 * (a {@link ClientCall} is not thread-safe), but {@link #abort} and {@link #expire} come from other
 * threads (shutdown, the deadline sweeper), and must neither enter the real call while the caller is
 * in it nor cut a request short: for a method whose client sends one message, grpc-java keeps the
 * framed request in its MessageFramer until {@code halfClose}, and a cancel in between leaves that
 * buffer unreleased. So such a cancel that finds the caller in {@code sendMessage} or
 * {@code halfClose} (for a one-message method: anywhere from the start of {@code sendMessage} to the
 * end of {@code halfClose}) is handed to the caller's thread, which applies it as soon as that
 * returns or throws. After a cancel from either side, sending and half-closing are no-ops (the call
 * closes with the cancel), and the other side's cancel does not reach the real call again.
 */
@Internal
final class LimitedCall<Q, R> extends ClientCall<Q, R> implements CallLimiter.Waiter {
  private final Channel next;
  private final CallLimiter limiter;
  private final CallOwner owner;
  private final String alias;
  private final MethodDescriptor<Q, R> method;
  private final CallOptions options;
  private final boolean sweptDeadline;
  private final Scheduler timer;
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
  /** The caller's context, captured before the call queues; the grant hand-over publishes it. */
  private @Nullable Context waitingContext;
  private boolean cancelled;
  /** Ends a waiting call at its own deadline (grpc-java's timer starts only with the real call). */
  private @Nullable Disposable waitTimer;
  // grpc-java calls are not thread-safe: a cancel that arrives while another thread starts the
  // real call and replays buffered operations is handed to that thread instead of racing it
  private boolean starting;
  private boolean cancelRequested;
  private @Nullable String cancelMessage;
  private @Nullable Throwable cancelCause;
  /** Whether the cancel asked for while starting came from the owner (abort, expire) rather than the caller. */
  private boolean cancelRequestedByOwner;

  /**
   * The caller is in {@code sendMessage} or {@code halfClose}; for a one-message method, from the
   * start of {@code sendMessage} to the end of {@code halfClose}.
   */
  private static final Object FRAMING = new Object();
  /** A cancel went to the real call: sending and half-closing are no-ops from then on. */
  private static final Object CANCELLED = new Object();
  @SuppressWarnings("rawtypes")
  private static final AtomicReferenceFieldUpdater<LimitedCall, Object> REQUEST =
      AtomicReferenceFieldUpdater.newUpdater(LimitedCall.class, Object.class, "request");
  /** Null, {@link #FRAMING}, {@link #CANCELLED} or a {@link PendingCancel} (see the class comment). */
  private volatile @Nullable Object request;
  private final boolean oneRequest;

  /** An owner's cancel that waits for the request's half-close. */
  private record PendingCancel(@Nullable String message, @Nullable Throwable cause) { }

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
    this.oneRequest = method.getType().clientSendsOneMessage();
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
    switch (admit()) {
      case GRANTED -> startReal();
      case QUEUED -> expireWhileWaiting();
      case REJECTED -> {
        owner.rejected();
        String description = limiter.describeLimit() + " for alias '" + alias + "'";
        closeOnce(Status.RESOURCE_EXHAUSTED.withDescription(description).withCause(new LocalCauses.CallLimit(description)));
      }
    }
  }

  /** A permit at once (the hot path), else a place in the queue, with the caller's context kept for the start. */
  private CallLimiter.Admission admit() {
    if (limiter.tryAcquire()) {
      return CallLimiter.Admission.GRANTED;
    }
    waitingContext = Context.current();
    return limiter.enqueue(this);
  }

  /** The queued call's permit came: starts it in its caller's context (on the grant executor). */
  @Override
  public void granted() {
    Context context = Objects.requireNonNull(waitingContext, "set before the call queued");
    Context previous = context.attach();
    try {
      startReal();
    } finally {
      context.detach(previous);
    }
  }

  /** The grant executor is shutting down: the call fails as the alias's calls do after shutdown. */
  @Override
  public void refused(RejectedExecutionException cause) {
    permitReturned.set(true); // the limiter took it back
    synchronized (lock) {
      cancelled = true;
    }
    // the shutdown status keeps its Disconnected cause: the call is classified CLOSED, as any call after shutdown
    closeOnce(owner.shutdownStatus());
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
    String description = "deadline exceeded while waiting for a call permit of alias '" + alias + "'";
    Disposable scheduled = timer.schedule(() -> abortIfWaiting(Status.DEADLINE_EXCEEDED.withDescription(description)
        .withCause(new LocalCauses.PermitWaitExpired(description, null))),
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
    boolean cancelledMeanwhile;
    synchronized (lock) {
      cancelledMeanwhile = cancelled;
      call = null;
      if (!cancelledMeanwhile) {
        stopWaitTimer();
        try {
          call = next.newCall(method, options);
        } catch (RuntimeException e) {
          failedNewCall = e;
        }
        if (call != null) {
          real = call;
          starting = true;
        }
      }
    }
    if (cancelledMeanwhile) {
      // cancelled after the grant: it closed already; the permit goes on, outside the lock
      returnPermit();
      return;
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
    boolean fromOwner;
    synchronized (lock) {
      starting = false;
      cancelNow = cancelRequested;
      fromOwner = cancelRequestedByOwner;
    }
    if (cancelNow) {
      if (fromOwner) {
        cancelFromOwner(call, cancelMessage, cancelCause);
      } else {
        cancelByCaller(call, cancelMessage, cancelCause);
      }
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
    if (passThrough || !buffer(() -> sendToReal(message))) {
      sendToReal(message);
    }
  }

  @Override
  public void halfClose() {
    if (passThrough || !buffer(this::halfCloseReal)) {
      halfCloseReal();
    }
  }

  private void sendToReal(Q message) {
    ClientCall<Q, R> call = started();
    if (!enterRequest()) {
      return; // cancelled: the call closes with the cancel
    }
    boolean sent = false;
    try {
      call.sendMessage(message);
      sent = true;
    } finally {
      if (!sent || !oneRequest) { // a one-message request stays open until its half-close
        endRequest(call);
      }
    }
  }

  private void halfCloseReal() {
    ClientCall<Q, R> call = started();
    if (!enterRequest()) {
      return;
    }
    try {
      call.halfClose();
    } finally {
      endRequest(call);
    }
  }

  /** The caller enters the real call; false when a cancel went to it first. */
  private boolean enterRequest() {
    Object state = request; // read once: a cancel may change it any moment
    if (state == null) {
      // only a cancel moves it away from null meanwhile
      return REQUEST.compareAndSet(this, null, FRAMING);
    }
    return state != CANCELLED; // already inside a one-message request (sent, not yet half-closed)
  }

  /** The caller leaves the real call, applying an owner's cancel that waited for it. */
  private void endRequest(ClientCall<Q, R> call) {
    if (REQUEST.compareAndSet(this, FRAMING, null)) {
      return;
    }
    // only this thread leaves a pending cancel, so a plain read and write are enough
    if (request instanceof PendingCancel pending) {
      request = CANCELLED;
      call.cancel(pending.message(), pending.cause());
    }
  }

  /** An owner's cancel of the started call: at once, or handed to the caller's thread while it is in the call. */
  private void cancelFromOwner(ClientCall<Q, R> call, @Nullable String message, @Nullable Throwable cause) {
    for (;;) {
      Object state = request;
      if (state == null) {
        if (REQUEST.compareAndSet(this, null, CANCELLED)) {
          call.cancel(message, cause);
          return;
        }
      } else if (state == FRAMING) {
        if (REQUEST.compareAndSet(this, FRAMING, new PendingCancel(message, cause))) {
          return;
        }
      } else {
        return; // cancelled already, or a cancel waits for the caller
      }
    }
  }

  /**
   * The caller's cancel of the started call: at once (it is ordered with the caller's own sends), but
   * not again after an owner's cancel reached the real call, which it would enter at the same time.
   */
  private void cancelByCaller(ClientCall<Q, R> call, @Nullable String message, @Nullable Throwable cause) {
    if (REQUEST.getAndSet(this, CANCELLED) != CANCELLED) {
      call.cancel(message, cause);
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
    cancel(message, cause, false);
  }

  private void cancel(@Nullable String message, @Nullable Throwable cause, boolean fromOwner) {
    ClientCall<Q, R> call;
    boolean started;
    synchronized (lock) {
      call = real;
      started = listener != null;
      if (call == null) {
        cancelled = true;
      } else if (starting) {
        if (!cancelRequested || !fromOwner) { // the caller's cancel wins over an owner's
          cancelRequested = true;
          cancelRequestedByOwner = fromOwner;
          cancelMessage = message;
          cancelCause = cause;
        }
        return;
      }
    }
    if (call != null) {
      if (fromOwner) {
        cancelFromOwner(call, message, cause);
      } else {
        cancelByCaller(call, message, cause);
      }
      return;
    }
    if (!started) {
      return; // start() reports the cancellation to its listener
    }
    if (limiter.withdraw(this)) {
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
      cancel(status.getDescription(), status.getCause(), true);
    }
  }

  /**
   * Ends a call past its default deadline: the caller sees {@code status} (DEADLINE_EXCEEDED), with a
   * {@link LocalCauses.PermitWaitExpired} cause when the call was still waiting for its permit.
   */
  void expire(Status status) {
    expiredStatus = status;
    if (!abortIfWaiting(status.withCause(new LocalCauses.PermitWaitExpired(status.getDescription(), status.getCause())))) {
      cancel(status.getDescription(), status.getCause(), true);
    }
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
      if (limiter.withdraw(this)) {
        permitReturned.set(true); // never admitted: nothing to return
      }
      closeOnce(status);
    }
    return waiting;
  }
}
