package io.github.reactivemilvus.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * A unary call as a cold {@link Mono}: nothing is sent before subscription, each subscription makes
 * one call, cancellation cancels the gRPC call, and signals arrive on the channel's callback
 * executor. Bridged directly over {@link ClientCall}: per call one object is the subscription, the
 * call's listener and its state, so the overhead stays next to raw grpc-java.
 */
public final class UnaryCalls {
  private UnaryCalls() {}

  /**
   * One unary call of {@code method} per subscription, emitting the response; a non-OK gRPC status fails the
   * Mono with a {@link io.grpc.StatusRuntimeException}. The deadline of {@code options}, if any, covers that
   * one call; cancelling cancels it.
   */
  public static <Q, R> Mono<R> call(Channel channel, MethodDescriptor<Q, R> method, Q request, CallOptions options) {
    return new UnaryMono<>(channel, method, request, options, null);
  }

  /**
   * As {@link #call(Channel, MethodDescriptor, Object, CallOptions)}; a response for which
   * {@code failureOf} returns an exception fails the {@code Mono} with it instead of being emitted.
   */
  public static <Q, R> Mono<R> call(Channel channel, MethodDescriptor<Q, R> method, Q request, CallOptions options,
      Function<? super R, ? extends RuntimeException> failureOf) {
    return new UnaryMono<>(channel, method, request, options, failureOf);
  }

  private static final class UnaryMono<Q, R> extends Mono<R> {
    final Channel channel;
    final MethodDescriptor<Q, R> method;
    final Q request;
    final CallOptions options;
    final Function<? super R, ? extends RuntimeException> failureOf;

    UnaryMono(Channel channel, MethodDescriptor<Q, R> method, Q request, CallOptions options,
        Function<? super R, ? extends RuntimeException> failureOf) {
      this.channel = channel;
      this.method = method;
      this.request = request;
      this.options = options;
      this.failureOf = failureOf;
    }

    @Override
    public void subscribe(CoreSubscriber<? super R> actual) {
      new UnaryCall<>(this, actual).start();
    }
  }

  /** One call: the downstream's subscription and the gRPC listener in one object. */
  private static final class UnaryCall<Q, R> extends ClientCall.Listener<R> implements Subscription {
    private static final int REQUESTED = 1;
    private static final int HAS_VALUE = 2;
    private static final int DONE = 4;
    private static final int CANCELLED = 8;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<UnaryCall> STATE =
        AtomicIntegerFieldUpdater.newUpdater(UnaryCall.class, "state");

    private final UnaryMono<Q, R> source;
    private final CoreSubscriber<? super R> actual;
    private volatile ClientCall<Q, R> call;
    private R value;
    private volatile int state;

    UnaryCall(UnaryMono<Q, R> source, CoreSubscriber<? super R> actual) {
      this.source = source;
      this.actual = actual;
    }

    void start() {
      actual.onSubscribe(this);
      if ((state & CANCELLED) != 0) {
        return;
      }
      ClientCall<Q, R> c;
      try {
        c = source.channel.newCall(source.method, source.options);
      } catch (RuntimeException | Error e) {
        // signalled, not thrown: a thrown LinkageError would lose the call
        fail(e);
        return;
      }
      call = c;
      try {
        c.start(this, new Metadata());
        c.request(2);
        c.sendMessage(source.request);
        c.halfClose();
      } catch (RuntimeException | Error e) {
        c.cancel(null, e);
        fail(e);
        return;
      }
      // a cancel that came while the call was being set up
      if ((state & CANCELLED) != 0) {
        c.cancel("cancelled by subscriber", null);
      }
    }

    @Override
    public void onMessage(R message) {
      value = message;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      if ((state & CANCELLED) != 0) {
        return; // after a cancel the call still closes (CANCELLED); nobody is listening
      }
      if (!status.isOk()) {
        fail(status.asRuntimeException(trailers));
        return;
      }
      R v = value;
      if (v == null) {
        fail(Status.INTERNAL.withDescription("no response message for " + source.method.getFullMethodName())
            .asRuntimeException());
        return;
      }
      RuntimeException failure = source.failureOf == null ? null : source.failureOf.apply(v);
      if (failure != null) {
        fail(failure);
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

    private void emit(R v) {
      value = null;
      actual.onNext(v);
      actual.onComplete();
    }

    private void fail(Throwable e) {
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

    @Override
    public void request(long n) {
      if (!Operators.validate(n)) {
        return;
      }
      for (;;) {
        int s = state;
        if ((s & (REQUESTED | DONE | CANCELLED)) != 0) {
          return;
        }
        if ((s & HAS_VALUE) != 0) {
          if (STATE.compareAndSet(this, s, s | REQUESTED | DONE)) {
            emit(value);
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
        if ((s & (DONE | CANCELLED)) != 0) {
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
}
