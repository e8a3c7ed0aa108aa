package io.github.reactivemilvus.internal;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A call on an alias's channel that starts only once the alias's {@link CallLimiter} admits it.
 * Until then, request/send/halfClose are buffered in order and replayed on the real call (the
 * same idea as grpc-java's internal DelayedClientCall). The permit is returned exactly once:
 * when the real call closes, or when a waiting call is cancelled.
 */
final class LimitedCall<Q, R> extends ClientCall<Q, R> {
  private final AliasChannel owner;
  private final MethodDescriptor<Q, R> method;
  private final CallOptions options;
  private final Runnable onGrant = this::startReal;
  private final AtomicBoolean permitReturned = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private final Object lock = new Object();
  private Listener<R> listener;
  private Metadata headers;
  private ClientCall<Q, R> real;
  private List<Runnable> buffered = new ArrayList<>(4);
  private volatile boolean passThrough;
  private boolean cancelled;
  // grpc-java calls are not thread-safe: a cancel that arrives while another thread starts the
  // real call and replays buffered operations is handed to that thread instead of racing it
  private boolean starting;
  private boolean cancelRequested;
  private String cancelMessage;
  private Throwable cancelCause;

  public LimitedCall(AliasChannel owner, MethodDescriptor<Q, R> method, CallOptions options) {
    this.owner = owner;
    this.method = method;
    this.options = options;
  }

  @Override
  public void start(Listener<R> responseListener, Metadata requestHeaders) {
    boolean cancelledBeforeStart;
    boolean opened = false;
    // registering with the owner happens under the same lock that cancel() takes, so a call is
    // either tracked and later untracked, or never tracked
    synchronized (lock) {
      this.listener = responseListener;
      this.headers = requestHeaders;
      cancelledBeforeStart = cancelled;
      if (!cancelled) {
        opened = owner.onCallOpened(this);
      }
    }
    if (cancelledBeforeStart) {
      closeOnce(Status.CANCELLED.withDescription("call cancelled before start"));
      return;
    }
    if (!opened) {
      closeOnce(owner.shutdownStatus());
      return;
    }
    switch (owner.limiter.acquire(onGrant)) {
      case GRANTED -> startReal();
      case QUEUED -> { }
      case REJECTED -> {
        owner.onCallRejected();
        closeOnce(Status.RESOURCE_EXHAUSTED.withDescription(owner.limiter.describeLimit() + " for alias '" + owner.alias + "'"));
      }
    }
  }

  private void startReal() {
    ClientCall<Q, R> call;
    synchronized (lock) {
      if (cancelled) {
        returnPermit();
        return;
      }
      call = owner.group.newCall(method, options);
      real = call;
      starting = true;
    }
    try {
      call.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<R>(listener) {
        @Override
        public void onClose(Status status, Metadata trailers) {
          returnPermit();
          if (closed.compareAndSet(false, true)) {
            owner.onCallClosed(LimitedCall.this);
            super.onClose(status, trailers);
          }
        }
      }, owner.decorate(headers));
    } catch (RuntimeException e) {
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
        if (buffered.isEmpty()) {
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
        } catch (RuntimeException e) {
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
      owner.limiter.release();
    }
  }

  private void closeOnce(Status status) {
    if (closed.compareAndSet(false, true)) {
      owner.onCallClosed(this);
      Listener<R> l;
      synchronized (lock) {
        l = listener;
      }
      if (l != null) {
        l.onClose(status, new Metadata());
      }
    }
  }

  /** Runs {@code op} on the real call now, or buffers it until the call is admitted. */
  private void whenStarted(java.util.function.Consumer<ClientCall<Q, R>> op) {
    if (!passThrough) {
      synchronized (lock) {
        if (!passThrough) {
          if (buffered != null && !cancelled) {
            buffered.add(() -> op.accept(real));
          }
          return;
        }
      }
    }
    op.accept(real);
  }

  @Override
  public void request(int numMessages) {
    whenStarted(c -> c.request(numMessages));
  }

  @Override
  public void sendMessage(Q message) {
    whenStarted(c -> c.sendMessage(message));
  }

  @Override
  public void halfClose() {
    whenStarted(ClientCall::halfClose);
  }

  @Override
  public void setMessageCompression(boolean enabled) {
    whenStarted(c -> c.setMessageCompression(enabled));
  }

  @Override
  public boolean isReady() {
    return passThrough && real.isReady();
  }

  @Override
  public void cancel(String message, Throwable cause) {
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
    if (owner.limiter.withdraw(onGrant)) {
      // never admitted: nothing to return
      permitReturned.set(true);
    }
    Status status = Status.CANCELLED.withDescription(message != null ? message : "call cancelled");
    closeOnce(cause != null ? status.withCause(cause) : status);
  }

  /** Ends the call from the owner's side: cancels it if running, fails it if still waiting. */
  public void abort(Status status) {
    ClientCall<Q, R> call;
    synchronized (lock) {
      call = real;
    }
    if (call != null) {
      cancel(status.getDescription(), null);
    } else {
      abortIfWaiting(status);
    }
  }

  private void abortIfWaiting(Status status) {
    boolean waiting;
    synchronized (lock) {
      waiting = real == null && !cancelled;
      if (waiting) {
        cancelled = true;
      }
    }
    if (waiting) {
      owner.limiter.withdraw(onGrant);
      closeOnce(status);
    }
  }
}
