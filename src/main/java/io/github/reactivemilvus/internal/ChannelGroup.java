package io.github.reactivemilvus.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The physical channels (HTTP/2 connections) of one endpoint, shared by every alias with the same
 * endpoint, credentials and TLS settings. Each call goes to the channel with the fewest
 * outstanding calls. Shared and reference counted by {@link SharedChannels}; thread-safe.
 */
@Internal
public final class ChannelGroup extends Channel {
  private final SharedChannels.Key key;
  private final ManagedChannel[] channels;
  private final AtomicIntegerArray outstanding;

  /** A group over {@code channels} (at least one, taken as is, not copied), built for {@code key}. */
  public ChannelGroup(SharedChannels.Key key, ManagedChannel[] channels) {
    this.key = key;
    this.channels = channels;
    this.outstanding = new AtomicIntegerArray(channels.length);
  }

  /** What the channels were built for (endpoint, TLS, credentials, transport settings). */
  public SharedChannels.Key key() {
    return key;
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    if (channels.length == 1) {
      return channels[0].newCall(method, options);
    }
    int index = leastOutstanding();
    return new CountedCall<>(channels[index].newCall(method, options), index);
  }

  private int leastOutstanding() {
    int best = 0;
    int bestCount = outstanding.get(0);
    for (int i = 1; i < channels.length && bestCount > 0; i++) {
      int count = outstanding.get(i);
      if (count < bestCount) {
        best = i;
        bestCount = count;
      }
    }
    return best;
  }

  /**
   * Calls started on channel {@code index} and not yet closed (counted only when the group has more than one
   * channel).
   */
  public int outstandingOn(int index) {
    return outstanding.get(index);
  }

  /** The number of channels (the pool size). */
  public int size() {
    return channels.length;
  }

  @Override
  public String authority() {
    return channels[0].authority();
  }

  /** Channel {@code index} of the group, from 0. */
  public ManagedChannel channel(int index) {
    return channels[index];
  }

  /** The most connected state among the channels (READY beats CONNECTING beats the rest). */
  public ConnectivityState state(boolean requestConnection) {
    ConnectivityState best = ConnectivityState.SHUTDOWN;
    for (ManagedChannel c : channels) {
      ConnectivityState s = c.getState(requestConnection);
      if (rank(s) > rank(best)) {
        best = s;
      }
    }
    return best;
  }

  private static int rank(ConnectivityState s) {
    return switch (s) {
      case READY -> 4;
      case CONNECTING -> 3;
      case IDLE -> 2;
      case TRANSIENT_FAILURE -> 1;
      case SHUTDOWN -> 0;
    };
  }

  /** Makes every channel in backoff reconnect now instead of waiting out gRPC's reconnect backoff; does not block. */
  public void resetConnectBackoff() {
    for (ManagedChannel c : channels) {
      c.resetConnectBackoff();
    }
  }

  /**
   * Shuts every channel down (in-flight calls were already drained or cancelled by the aliases),
   * waits for termination off the event loops, then forces what is left.
   */
  public Mono<Void> shutdown() {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
    return Flux.fromArray(channels)
        .flatMap(c -> Mono.fromCallable(() -> c.awaitTermination(5, TimeUnit.SECONDS))
            .subscribeOn(Schedulers.boundedElastic()))
        .then();
  }

  /** Whether every channel of the group has terminated (after {@link #shutdown()}). */
  public boolean isTerminated() {
    for (ManagedChannel c : channels) {
      if (!c.isTerminated()) {
        return false;
      }
    }
    return true;
  }

  private final class CountedCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
    private final int index;

    CountedCall(ClientCall<Q, R> delegate, int index) {
      super(delegate);
      this.index = index;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      outstanding.incrementAndGet(index);
      try {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<R>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            outstanding.decrementAndGet(index);
            super.onClose(status, trailers);
          }
        }, headers);
      } catch (RuntimeException e) {
        outstanding.decrementAndGet(index);
        throw e;
      }
    }
  }
}
