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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The physical channels (HTTP/2 connections) of one endpoint, shared by every alias with the same
 * endpoint, credentials and TLS settings. Each call goes to the channel with the fewest
 * outstanding calls. Shared and reference counted by {@link SharedChannels}; thread-safe.
 *
 * <p>A channel can be {@link #replace replaced} (see {@link ChannelAging}): new calls go to the new
 * one at once, the old one is shut down gracefully (its calls finish) and counted here until it
 * terminated.
 */
@Internal
public final class ChannelGroup extends Channel {
  private final SharedChannels.Key key;
  private final AtomicReferenceArray<ManagedChannel> channels;
  private final int size;
  private final AtomicIntegerArray outstanding;
  /** Replaced channels, shut down and finishing their calls. */
  private final Set<ManagedChannel> draining = ConcurrentHashMap.newKeySet();
  private @Nullable ChannelAging aging; // guarded by this
  private boolean shutdown; // guarded by this

  /** A group over {@code channels} (at least one, copied), built for {@code key}. */
  public ChannelGroup(SharedChannels.Key key, ManagedChannel[] channels) {
    this.key = key;
    this.channels = new AtomicReferenceArray<>(channels);
    this.size = channels.length;
    this.outstanding = new AtomicIntegerArray(channels.length);
  }

  /** Has {@code aging} replace this group's channels until the group is shut down. */
  synchronized void age(ChannelAging aging) {
    this.aging = aging;
  }

  /**
   * Puts {@code fresh} in place of channel {@code index} (new calls go to it from now on) and shuts
   * the old one down gracefully: its calls in flight finish, none is cut. Returns the old channel, or
   * null (and {@code fresh} is left to the caller) when the group was shut down meanwhile.
   */
  @Nullable ManagedChannel replace(int index, ManagedChannel fresh) {
    ManagedChannel old;
    synchronized (this) {
      if (shutdown) {
        return null;
      }
      old = channels.getAndSet(index, fresh);
      draining.add(old);
    }
    old.shutdown();
    draining.removeIf(ManagedChannel::isTerminated);
    return old;
  }

  /** Replaced channels still finishing their calls (shut down, not terminated yet). */
  public int draining() {
    draining.removeIf(ManagedChannel::isTerminated);
    return draining.size();
  }

  /** What the channels were built for (endpoint, TLS, credentials, transport settings). */
  public SharedChannels.Key key() {
    return key;
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    if (size == 1) {
      return channels.get(0).newCall(method, options);
    }
    int index = leastOutstanding();
    return new CountedCall<>(channels.get(index).newCall(method, options), index);
  }

  private int leastOutstanding() {
    int best = 0;
    int bestCount = outstanding.get(0);
    for (int i = 1; i < size && bestCount > 0; i++) {
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
    return size;
  }

  @Override
  public String authority() {
    return channels.get(0).authority();
  }

  /** Channel {@code index} of the group now, from 0. */
  public ManagedChannel channel(int index) {
    return channels.get(index);
  }

  private List<ManagedChannel> current() {
    List<ManagedChannel> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(channels.get(i));
    }
    return list;
  }

  /** The most connected state among the channels (READY beats CONNECTING beats the rest). */
  public ConnectivityState state(boolean requestConnection) {
    ConnectivityState best = ConnectivityState.SHUTDOWN;
    for (ManagedChannel c : current()) {
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
    for (ManagedChannel c : current()) {
      c.resetConnectBackoff();
    }
  }

  /**
   * Shuts every channel down (in-flight calls were already drained or cancelled by the aliases),
   * waits for termination off the event loops, then forces what is left.
   */
  public Mono<Void> shutdown() {
    ChannelAging stopping;
    synchronized (this) {
      shutdown = true;
      stopping = aging;
    }
    if (stopping != null) {
      stopping.stop(); // no channel is replaced from here on; one being readied is shut down
    }
    List<ManagedChannel> all = current();
    all.addAll(draining);
    for (ManagedChannel c : all) {
      c.shutdownNow();
    }
    return Flux.fromIterable(all)
        .flatMap(c -> Mono.fromCallable(() -> c.awaitTermination(5, TimeUnit.SECONDS))
            .subscribeOn(Schedulers.boundedElastic()))
        .then();
  }

  /** Whether every channel of the group has terminated (after {@link #shutdown()}). */
  public boolean isTerminated() {
    for (ManagedChannel c : current()) {
      if (!c.isTerminated()) {
        return false;
      }
    }
    ChannelAging a;
    synchronized (this) {
      a = aging;
    }
    return draining.stream().allMatch(ManagedChannel::isTerminated) && (a == null || a.isTerminated());
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
