package io.github.reactivemilvus.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Streaming calls as cold {@link Flux}es, bridged directly over {@link ClientCall} like {@link UnaryCalls}:
 * nothing is sent before subscription, each subscription makes one call, cancelling cancels the gRPC call,
 * and signals arrive on the channel's callback executor.
 *
 * <p>Demand is gRPC's: a response message is requested from the call ({@link ClientCall#request}) only when
 * the subscriber asked for one, so a slow subscriber leaves the messages in the transport's flow-control
 * window instead of a queue here (a demand above {@code Integer.MAX_VALUE} is passed on as
 * {@code Integer.MAX_VALUE}, which is unbounded in practice). Request messages of a bidirectional call are
 * pulled one at a time from their publisher, the next only once the call is ready for it
 * ({@link ClientCall#isReady}); their completion half-closes the call, their failure cancels it.
 */
@Internal
public final class StreamingCalls {
  private StreamingCalls() {}

  /** A server-streaming call of {@code method} per subscription: sends {@code request}, emits the responses. */
  public static <Q, R> Flux<R> serverStreaming(Channel channel, MethodDescriptor<Q, R> method, Q request, CallOptions options) {
    return new Flux<R>() {
      @Override
      public void subscribe(CoreSubscriber<? super R> actual) {
        new StreamCall<>(method, actual, null).start(channel, request, options);
      }
    };
  }

  /**
   * A bidirectional call of {@code method} per subscription: sends what {@code requests} emits (subscribed to
   * once the call started), emits the responses.
   */
  public static <Q, R> Flux<R> bidiStreaming(Channel channel, MethodDescriptor<Q, R> method, Publisher<Q> requests,
      CallOptions options) {
    return new Flux<R>() {
      @Override
      public void subscribe(CoreSubscriber<? super R> actual) {
        new StreamCall<>(method, actual, requests).start(channel, null, options);
      }
    };
  }

  /** One call: the downstream's subscription, the gRPC listener and (bidirectional) the requests' subscriber. */
  private static final class StreamCall<Q, R> extends ClientCall.Listener<R> implements Subscription {
    private final MethodDescriptor<Q, R> method;
    private final CoreSubscriber<? super R> actual;
    private final @Nullable Publisher<Q> requests;
    /** Demand not yet passed to the call: requests that came before it was published. */
    private final AtomicLong pendingDemand = new AtomicLong();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile @Nullable ClientCall<Q, R> call;
    private final Outbound outbound = new Outbound();

    StreamCall(MethodDescriptor<Q, R> method, CoreSubscriber<? super R> actual, @Nullable Publisher<Q> requests) {
      this.method = method;
      this.actual = actual;
      this.requests = requests;
    }

    void start(Channel channel, @Nullable Q request, CallOptions options) {
      actual.onSubscribe(this);
      if (cancelled) {
        return;
      }
      ClientCall<Q, R> c;
      try {
        c = channel.newCall(method, options);
      } catch (RuntimeException | Error e) {
        fail(e);
        return;
      }
      try {
        c.start(this, new Metadata());
        if (request != null) {
          c.sendMessage(request);
          c.halfClose();
        }
      } catch (RuntimeException | Error e) {
        if (cancelled && e instanceof IllegalStateException) {
          c.cancel("cancelled by subscriber", null);
          return;
        }
        fail(e);
        c.cancel(null, e);
        return;
      }
      // published only after the request is framed: a cancel racing sendMessage would leak its buffer
      call = c;
      if (cancelled) {
        c.cancel("cancelled by subscriber", null);
        return;
      }
      passDemand(c);
      if (requests != null) {
        requests.subscribe(outbound);
      }
    }

    @Override
    public void request(long n) {
      if (!Operators.validate(n)) {
        return;
      }
      pendingDemand.getAndUpdate(p -> Operators.addCap(p, n));
      ClientCall<Q, R> c = call;
      if (c != null) {
        passDemand(c);
      }
    }

    /** Passes the demand gathered so far to the call; each unit of demand is passed exactly once. */
    private void passDemand(ClientCall<Q, R> c) {
      long n = pendingDemand.getAndSet(0);
      if (n > 0 && !cancelled) {
        c.request((int) Math.min(n, Integer.MAX_VALUE)); // request(int) may be called from any thread
      }
    }

    @Override
    public void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      outbound.cancel();
      ClientCall<Q, R> c = call;
      if (c != null) {
        c.cancel("cancelled by subscriber", null);
      }
    }

    @Override
    public void onMessage(R message) {
      if (!cancelled && !done.get()) {
        actual.onNext(message);
      }
    }

    @Override
    public void onReady() {
      outbound.ready();
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      outbound.cancel();
      if (cancelled || done.get()) {
        return; // the subscriber's own cancel, or a failure already reported (the requests' own)
      }
      if (status.isOk()) {
        if (done.compareAndSet(false, true)) {
          actual.onComplete();
        }
        return;
      }
      fail(status.asRuntimeException(trailers));
    }

    private void fail(Throwable e) {
      if (done.compareAndSet(false, true) && !cancelled) {
        actual.onError(e);
      } else {
        Operators.onErrorDropped(e, actual.currentContext());
      }
    }

    /** The subscriber of a bidirectional call's requests: one message at a time, as the call becomes ready. */
    private final class Outbound implements CoreSubscriber<Q> {
      private final AtomicBoolean wantsMore = new AtomicBoolean();
      private final Operators.DeferredSubscription upstream = new Operators.DeferredSubscription();
      private volatile boolean over;

      @Override
      public Context currentContext() {
        return actual.currentContext();
      }

      @Override
      public void onSubscribe(Subscription s) {
        if (upstream.set(s)) {
          wantsMore.set(true);
          ready();
        }
      }

      @Override
      public void onNext(Q q) {
        ClientCall<Q, R> c = call;
        if (over || c == null) {
          return;
        }
        try {
          c.sendMessage(q);
        } catch (RuntimeException e) {
          onError(e);
          return;
        }
        wantsMore.set(true);
        ready();
      }

      /** Asks for the next request message once the call can take it and one is wanted. */
      void ready() {
        ClientCall<Q, R> c = call;
        if (!over && c != null && c.isReady() && wantsMore.compareAndSet(true, false)) {
          upstream.request(1);
        }
      }

      @Override
      public void onError(Throwable t) {
        if (over) {
          Operators.onErrorDropped(t, currentContext());
          return;
        }
        over = true;
        ClientCall<Q, R> c = call;
        if (c != null) {
          c.cancel("the request stream failed", t);
        }
        fail(t);
      }

      @Override
      public void onComplete() {
        if (over) {
          return;
        }
        over = true;
        ClientCall<Q, R> c = call;
        if (c != null) {
          c.halfClose();
        }
      }

      void cancel() {
        over = true;
        upstream.cancel();
      }
    }
  }
}
