package io.github.reactivemilvus.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Enforces the default call deadline ({@code call_timeout}) of every alias of one registry with one
 * coarse periodic task instead of one timer per call. The task runs every {@link #PERIOD} on the
 * registry's scheduler (so a virtual clock drives it in tests) while at least one alias channel is
 * open, and cancels each call that has been open longer than its alias's default deadline; the call
 * then fails with {@code DEADLINE_EXCEEDED}. A call is cancelled no earlier than its deadline and at
 * most two periods after it.
 *
 * <p>Only deadlines of at least {@link #MIN_SWEPT_TIMEOUT} are swept (the period would be too coarse
 * for shorter ones); calls with a shorter default deadline, and calls whose caller set a deadline,
 * keep grpc-java's exact per-call deadline. Thread-safe.
 */
@Internal
public final class DeadlineSweeper {
  /** How often the open calls are checked. */
  public static final Duration PERIOD = Duration.ofMillis(100);
  /** Shorter default deadlines are left to grpc-java's exact per-call timer. */
  public static final Duration MIN_SWEPT_TIMEOUT = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(DeadlineSweeper.class);

  private final Scheduler scheduler;
  private final Set<AliasChannel> channels = ConcurrentHashMap.newKeySet();
  private volatile long tick;
  private @Nullable Disposable task; // guarded by this
  private int registered; // guarded by this

  /** A sweeper whose periodic task, while channels are registered, runs on {@code scheduler}. */
  public DeadlineSweeper(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** Whether {@code timeout} is enforced here rather than by a per-call timer. */
  public static boolean sweeps(Duration timeout) {
    return timeout != null && timeout.compareTo(MIN_SWEPT_TIMEOUT) >= 0;
  }

  /** The current tick; a call started now is due at {@code now() + ticksFor(timeout)}. */
  long now() {
    return tick;
  }

  /**
   * Ticks after which a call started at some tick is surely older than {@code timeout}: the start
   * may have been just before the next tick, so one tick more than the timeout's length.
   */
  static long ticksFor(Duration timeout) {
    long period = PERIOD.toNanos();
    return (timeout.toNanos() + period - 1) / period + 1;
  }

  synchronized void register(AliasChannel channel) {
    if (channels.add(channel) && registered++ == 0) {
      long period = PERIOD.toNanos();
      task = scheduler.schedulePeriodically(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }
  }

  synchronized void unregister(AliasChannel channel) {
    if (channels.remove(channel) && --registered == 0) {
      Objects.requireNonNull(task).dispose(); // started with the first registration
      task = null;
    }
  }

  private void sweep() {
    long now = ++tick;
    for (AliasChannel channel : channels) {
      try {
        channel.expireCallsDueAt(now);
      } catch (RuntimeException e) {
        // the periodic task must survive one bad channel; the next sweep tries again
        LOG.warn("expiring calls past their default deadline failed on {}", channel, e);
      }
    }
  }
}
