package io.github.reactivemilvus.internal;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Replaces each channel of a {@link ChannelGroup} once it is older than {@code max_connection_age}
 * (each age drawn within plus or minus {@code max_connection_age_jitter}, so the pool's channels are
 * not replaced together): a new channel is built and connected, and only when it is READY it takes
 * the old one's place ({@link ChannelGroup#replace}); the old one is shut down gracefully and finishes
 * its calls. A new connection is what lets an L4 load balancer in front of several servers spread the
 * client over them, servers that joined later included.
 *
 * <p>A new channel that is not READY within the time allowed ({@code timeout}) is dropped, the old one
 * stays, and the slot is tried again after another age. Timers run on the registry's scheduler (virtual
 * time in tests); a channel's state callbacks run on grpc-java's threads and only schedule work. After
 * {@link #stop()} nothing is replaced and a channel being readied is shut down. Thread-safe.
 */
@Internal
public final class ChannelAging {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelAging.class);

  private final ChannelGroup group;
  private final ConnectionConfig config;
  private final ChannelFactory factory;
  private final Scheduler scheduler;
  private final DoubleSupplier random;
  private final long ageNanos;
  private final double jitter;
  private final long readyTimeoutNanos;
  private final Disposable.Composite timers = Disposables.composite();
  private final @Nullable ManagedChannel[] readying;
  private boolean stopped; // guarded by this
  private @Nullable ManagedChannel[] abandoned = new ManagedChannel[0]; // guarded by this

  ChannelAging(ChannelGroup group, ConnectionConfig config, ChannelFactory factory, Scheduler scheduler,
      DoubleSupplier random, Duration readyTimeout) {
    this.group = group;
    this.config = config;
    this.factory = factory;
    this.scheduler = scheduler;
    this.random = random;
    this.ageNanos = Objects.requireNonNull(config.maxConnectionAge(), "max_connection_age").toNanos();
    this.jitter = config.maxConnectionAgeJitter();
    this.readyTimeoutNanos = readyTimeout.toNanos();
    this.readying = new ManagedChannel[group.size()];
  }

  /** Starts the age of every channel of the group now. */
  void start() {
    for (int i = 0; i < readying.length; i++) {
      scheduleRenewal(i);
    }
  }

  /** The age drawn for one channel: {@code max_connection_age} times 1 plus or minus the jitter. */
  long drawAgeNanos() {
    double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
    return Math.max(1, (long) (ageNanos * factor));
  }

  private void scheduleRenewal(int index) {
    long delay = drawAgeNanos();
    synchronized (this) {
      if (!stopped) {
        timers.add(scheduler.schedule(() -> renew(index), delay, TimeUnit.NANOSECONDS));
      }
    }
  }

  /** Builds the slot's successor (off the event loops when TLS files are read) and connects it. */
  private void renew(int index) {
    if (config.secure()) {
      Schedulers.boundedElastic().schedule(() -> build(index));
    } else {
      build(index);
    }
  }

  private void build(int index) {
    ManagedChannel fresh;
    try {
      fresh = factory.build(config);
    } catch (RuntimeException e) {
      LOG.warn("building a channel to {} to replace an aged one failed; the old one stays", config.address(), e);
      scheduleRenewal(index);
      return;
    }
    Disposable giveUp;
    synchronized (this) {
      if (stopped) {
        fresh.shutdownNow();
        return;
      }
      readying[index] = fresh;
      giveUp = scheduler.schedule(() -> notReady(index, fresh), readyTimeoutNanos, TimeUnit.NANOSECONDS);
      timers.add(giveUp);
    }
    awaitReady(index, fresh, giveUp, fresh.getState(true));
  }

  private void awaitReady(int index, ManagedChannel fresh, Disposable giveUp, ConnectivityState state) {
    if (state == ConnectivityState.READY) {
      swap(index, fresh, giveUp);
    } else if (state != ConnectivityState.SHUTDOWN) {
      if (state == ConnectivityState.IDLE) {
        fresh.getState(true);
      }
      fresh.notifyWhenStateChanged(state, () -> awaitReady(index, fresh, giveUp, fresh.getState(false)));
    }
  }

  private void swap(int index, ManagedChannel fresh, Disposable giveUp) {
    synchronized (this) {
      if (readying[index] != fresh) {
        return; // given up on, or stopped: already shut down
      }
      readying[index] = null;
      timers.remove(giveUp);
    }
    giveUp.dispose();
    if (group.replace(index, fresh) == null) {
      fresh.shutdownNow(); // the group was shut down meanwhile
      return;
    }
    scheduleRenewal(index);
  }

  private void notReady(int index, ManagedChannel fresh) {
    synchronized (this) {
      if (readying[index] != fresh) {
        return;
      }
      readying[index] = null;
    }
    fresh.shutdownNow();
    LOG.info("a channel to {} meant to replace an aged one was not ready in time; the old one stays", config.address());
    scheduleRenewal(index);
  }

  /** Stops every timer and shuts down the channels being readied; nothing is replaced afterwards. */
  void stop() {
    ManagedChannel[] left;
    synchronized (this) {
      stopped = true;
      left = readying.clone();
      abandoned = left;
      java.util.Arrays.fill(readying, null);
    }
    timers.dispose();
    ChannelFactory.shutdownNow(left);
  }

  /** Whether no channel is being readied (after {@link #stop()}: all of them shut down and terminated). */
  synchronized boolean isTerminated() {
    for (ManagedChannel c : readying) {
      if (c != null && !c.isTerminated()) {
        return false;
      }
    }
    for (ManagedChannel c : abandoned) {
      if (c != null && !c.isTerminated()) {
        return false;
      }
    }
    return true;
  }
}
