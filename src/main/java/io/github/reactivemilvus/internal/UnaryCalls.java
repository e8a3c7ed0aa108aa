package io.github.reactivemilvus.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A unary call as a cold {@link Mono}: nothing is sent before subscription, each subscription makes
 * one call, cancellation cancels the gRPC call, and signals arrive on the channel's callback
 * executor. Bridged directly over {@link ClientCall}: per call one object is the subscription, the
 * call's listener and its state, so the overhead stays next to raw grpc-java. {@link #start} goes one
 * step further for callers that would put operators behind the call: it maps the response and
 * continues after a failure inside that same object.
 */
@Internal
public final class UnaryCalls {
  private UnaryCalls() {}

  /**
   * One unary call of {@code method} per subscription, emitting the response; a non-OK gRPC status fails the
   * Mono with a {@link io.grpc.StatusRuntimeException}. The deadline of {@code options}, if any, covers that
   * one call; cancelling cancels it.
   */
  public static <Q, R> Mono<R> call(Channel channel, MethodDescriptor<Q, R> method, Q request, CallOptions options) {
    return new UnaryMono<>(channel, method, request, options, Function.identity());
  }

  /**
   * As {@link #call(Channel, MethodDescriptor, Object, CallOptions)}, emitting {@code onResponse} of the
   * response; when {@code onResponse} throws, the call fails with that exception.
   */
  public static <Q, R, T> Mono<T> call(Channel channel, MethodDescriptor<Q, R> method, Q request, CallOptions options,
      Function<? super R, ? extends T> onResponse) {
    return new UnaryMono<>(channel, method, request, options, onResponse);
  }

  /**
   * Starts one call for {@code actual} at once (its subscription), without a {@code Mono} in between:
   * emits {@code onResponse} of the response. On a failure (a non-OK gRPC status, or {@code onResponse}
   * throwing) {@code actual} is handed over to the {@code Mono} that {@code onFailure} returns for it, with
   * its demand and cancellation; when {@code onFailure} throws, {@code actual} gets that error.
   */
  public static <Q, R, T> void start(Channel channel, MethodDescriptor<Q, R> method, Q request, CallOptions options,
      Function<? super R, ? extends T> onResponse, Function<? super Throwable, ? extends Mono<? extends T>> onFailure,
      CoreSubscriber<? super T> actual) {
    new UnaryCall<>(method, onResponse, onFailure, actual).start(channel, request, options);
  }

  private static final class UnaryMono<Q, R, T> extends Mono<T> {
    final Channel channel;
    final MethodDescriptor<Q, R> method;
    final Q request;
    final CallOptions options;
    final Function<? super R, ? extends T> onResponse;

    UnaryMono(Channel channel, MethodDescriptor<Q, R> method, Q request, CallOptions options,
        Function<? super R, ? extends T> onResponse) {
      this.channel = channel;
      this.method = method;
      this.request = request;
      this.options = options;
      this.onResponse = onResponse;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      new UnaryCall<>(method, onResponse, null, actual).start(channel, request, options);
    }
  }

  /**
   * One call: the downstream's subscription and the gRPC listener in one object. After a failure with
   * a fallback it stays the downstream's subscription and passes demand and cancellation on to the
   * fallback's.
   */
  private static final class UnaryCall<Q, R, T> extends ClientCall.Listener<R> implements Subscription {
    private static final int REQUESTED = 1;
    private static final int HAS_VALUE = 2;
    private static final int DONE = 4;
    private static final int CANCELLED = 8;
    private static final int FALLBACK = 16;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<UnaryCall> STATE =
        AtomicIntegerFieldUpdater.newUpdater(UnaryCall.class, "state");

    private final MethodDescriptor<Q, R> method;
    private final Function<? super R, ? extends T> onResponse;
    private final @Nullable Function<? super Throwable, ? extends Mono<? extends T>> onFailure;
    private final CoreSubscriber<? super T> actual;
    private volatile @Nullable ClientCall<Q, R> call;
    private @Nullable T value;
    /** What {@code onResponse} threw, reported when the call closes. */
    private @Nullable RuntimeException failure;
    private volatile int state;
    /** The fallback's subscription, set before the FALLBACK bit. */
    private Operators.@Nullable DeferredSubscription fallback;

    UnaryCall(MethodDescriptor<Q, R> method, Function<? super R, ? extends T> onResponse,
        @Nullable Function<? super Throwable, ? extends Mono<? extends T>> onFailure, CoreSubscriber<? super T> actual) {
      this.method = method;
      this.onResponse = onResponse;
      this.onFailure = onFailure;
      this.actual = actual;
    }

    void start(Channel channel, Q request, CallOptions options) {
      actual.onSubscribe(this);
      if ((state & CANCELLED) != 0) {
        return;
      }
      ClientCall<Q, R> c;
      try {
        c = channel.newCall(method, options);
      } catch (RuntimeException | Error e) {
        // signalled, not thrown: a thrown LinkageError would lose the call
        fail(e);
        return;
      }
      try {
        c.start(this, new Metadata());
        c.request(2);
        c.sendMessage(request);
        c.halfClose();
      } catch (RuntimeException | Error e) {
        if ((state & CANCELLED) != 0 && e instanceof IllegalStateException) {
          // the subscriber cancelled while the call was being set up, and grpc-java refuses what
          // follows a cancel: the outcome of the cancel, not a failure anyone should hear about
          c.cancel("cancelled by subscriber", null);
          return;
        }
        // failed first, so that a close the cancel delivers at once finds the call done
        fail(e);
        c.cancel(null, e);
        return;
      }
      // published only now: a cancel from another thread while sendMessage is still framing the
      // request races grpc-java's MessageFramer, whose buffer then leaks (a Netty LEAK report);
      // a cancel that came during the set-up is seen below instead (either side may cancel, or both)
      call = c;
      if ((state & CANCELLED) != 0) {
        c.cancel("cancelled by subscriber", null);
      }
    }

    @Override
    public void onMessage(R message) {
      if (value != null || failure != null) {
        return; // a unary method has one response: a second one is not the answer
      }
      try {
        value = onResponse.apply(message);
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if ((state & (CANCELLED | DONE)) != 0) {
        // after a cancel, or a failure to start, the call still closes; nobody is listening
        return;
      }
      if (!status.isOk()) {
        fail(status.asRuntimeException(trailers));
        return;
      }
      if (failure != null) {
        fail(failure);
        return;
      }
      T v = value;
      if (v == null) {
        fail(Status.INTERNAL.withDescription("no response message for " + method.getFullMethodName())
            .asRuntimeException());
        return;
      }
      for (;;) {
        int s = state;
        if ((s & (DONE | CANCELLED)) != 0) {
          return;
        }
        if ((s & REQUESTED) != 0) {
          if (STATE.compareAndSet(this, s, s | HAS_VALUE | DONE)) {
            emit(v);
            return;
          }
        } else if (STATE.compareAndSet(this, s, s | HAS_VALUE)) {
          return; // request() emits it
        }
      }
    }

    private void emit(T v) {
      value = null;
      actual.onNext(v);
      actual.onComplete();
    }

    private void fail(Throwable e) {
      if (onFailure != null) {
        handOver(e, onFailure);
        return;
      }
      failTerminally(e);
    }

    private void failTerminally(Throwable e) {
      for (;;) {
        int s = state;
        if ((s & (DONE | CANCELLED)) != 0) {
          Operators.onErrorDropped(e, actual.currentContext());
          return;
        }
        if (STATE.compareAndSet(this, s, s | DONE)) {
          actual.onError(e);
          return;
        }
      }
    }

    /** Subscribes the downstream, through this subscription, to what follows the failure {@code e}. */
    private void handOver(Throwable e, Function<? super Throwable, ? extends Mono<? extends T>> next) {
      if ((state & (DONE | CANCELLED)) != 0) {
        Operators.onErrorDropped(e, actual.currentContext());
        return;
      }
      Mono<? extends T> continuation;
      try {
        continuation = next.apply(e);
      } catch (RuntimeException | Error thrown) {
        if (thrown != e) {
          thrown.addSuppressed(e);
        }
        failTerminally(thrown);
        return;
      }
      Operators.DeferredSubscription handedOver = new Operators.DeferredSubscription();
      fallback = handedOver;
      for (;;) {
        int s = state;
        if ((s & (DONE | CANCELLED)) != 0) {
          return;
        }
        if (STATE.compareAndSet(this, s, s | FALLBACK | DONE)) {
          if ((s & REQUESTED) != 0) {
            handedOver.request(Long.MAX_VALUE);
          }
          break;
        }
      }
      continuation.subscribe(new Fallback<>(actual, handedOver));
    }

    @Override
    public void request(long n) {
      if (!Operators.validate(n)) {
        return;
      }
      for (;;) {
        int s = state;
        if ((s & FALLBACK) != 0) {
          if ((s & REQUESTED) == 0 && STATE.compareAndSet(this, s, s | REQUESTED)) {
            Objects.requireNonNull(fallback).request(Long.MAX_VALUE); // set before FALLBACK
            return;
          }
          if ((s & REQUESTED) != 0) {
            return;
          }
          continue;
        }
        if ((s & (REQUESTED | DONE | CANCELLED)) != 0) {
          return;
        }
        if ((s & HAS_VALUE) != 0) {
          if (STATE.compareAndSet(this, s, s | REQUESTED | DONE)) {
            emit(Objects.requireNonNull(value)); // set before HAS_VALUE
            return;
          }
        } else if (STATE.compareAndSet(this, s, s | REQUESTED)) {
          return;
        }
      }
    }

    @Override
    public void cancel() {
      for (;;) {
        int s = state;
        if ((s & CANCELLED) != 0) {
          return;
        }
        if ((s & FALLBACK) != 0) {
          if (STATE.compareAndSet(this, s, s | CANCELLED)) {
            Objects.requireNonNull(fallback).cancel(); // set before FALLBACK
            return;
          }
          continue;
        }
        if ((s & DONE) != 0) {
          return;
        }
        if (STATE.compareAndSet(this, s, s | CANCELLED)) {
          ClientCall<Q, R> c = call;
          if (c != null) {
            c.cancel("cancelled by subscriber", null);
          }
          return;
        }
      }
    }
  }

  /** The downstream's subscriber on the fallback: passes the signals on, takes the subscription over. */
  private static final class Fallback<T> implements CoreSubscriber<T> {
    private final CoreSubscriber<? super T> actual;
    private final Operators.DeferredSubscription subscription;

    Fallback(CoreSubscriber<? super T> actual, Operators.DeferredSubscription subscription) {
      this.actual = actual;
      this.subscription = subscription;
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription.set(s);
    }

    @Override
    public void onNext(T t) {
      actual.onNext(t);
    }

    @Override
    public void onError(Throwable t) {
      actual.onError(t);
    }

    @Override
    public void onComplete() {
      actual.onComplete();
    }
  }
}
