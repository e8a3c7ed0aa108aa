package io.github.reactivemilvus.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * Per-alias admission: at most {@code maxInFlight} calls run, at most {@code maxPending} wait;
 * beyond that a call is refused at once. A finished call hands its permit straight to the oldest
 * waiter. Thread-safe; the critical sections are a few field updates.
 *
 * <p>Threads. A call that gets a permit at once ({@link #tryAcquire}) starts on its caller's thread,
 * with no hand-over and no allocation. A call that waited starts on the grant executor (the
 * registry's scheduler, non-blocking threads), never on the thread that returned the permit:
 * grpc-java fails a call on a dead transport synchronously inside {@code start}, and that close
 * returns the permit again; started on the releasing stack, each queued call would add stack frames
 * to the previous one's (a thousand queued calls on a dead server overflowed the stack). A release
 * only moves the permit under the lock and queues the waiter for hand-over; the hand-overs are
 * drained in a loop ({@code wip}, the drain idiom of reactor-pool's {@code SimpleDequePool}), so a
 * release that happens during a hand-over (a refused one, below) is picked up by the loop already
 * running instead of nesting. Waiter code never runs under the limiter's lock.
 *
 * <p>When the grant executor refuses a hand-over (it is shutting down), the limiter takes the permit
 * back (for the next waiter, handed over by the same loop) and tells the waiter through
 * {@link Waiter#refused}, on the releasing thread since no other is left: the call fails, it is never
 * lost.
 */
@Internal
public final class CallLimiter {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CallLimiter.class);

  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<CallLimiter> WIP =
      AtomicIntegerFieldUpdater.newUpdater(CallLimiter.class, "wip");

  enum Admission { GRANTED, QUEUED, REJECTED }

  /** A call waiting for a permit. */
  interface Waiter {
    /**
     * The permit is this waiter's: it starts, and returns the permit with {@link #release()} exactly
     * once. Runs on the grant executor.
     */
    void granted();

    /**
     * The grant executor refused to run {@link #granted()}: the limiter has taken the permit back, the
     * waiter fails without starting (and must not release). Runs on the releasing thread, outside locks.
     */
    void refused(RejectedExecutionException cause);
  }

  private final int maxInFlight;
  private final int maxPending;
  private final Executor grants;
  private @Nullable ArrayDeque<Waiter> waiters; // guarded by this; made when the first call has to wait
  private @Nullable ArrayDeque<Waiter> handOffs; // guarded by this; granted, not yet given to the executor
  private int inFlight; // guarded by this; includes the permits of waiters being handed over
  private volatile int wip;

  /**
   * A limiter letting {@code maxInFlight} calls run and {@code maxPending} wait; calls that waited
   * start on {@code grants}, which must not block (it is called from event loops).
   */
  public CallLimiter(int maxInFlight, int maxPending, Executor grants) {
    this.maxInFlight = maxInFlight;
    this.maxPending = maxPending;
    this.grants = grants;
  }

  /** Takes a permit if one is free; the hot path: one short lock, nothing allocated. */
  public synchronized boolean tryAcquire() {
    if (inFlight < maxInFlight) {
      inFlight++;
      return true;
    }
    return false;
  }

  /**
   * Takes a permit if one is free (GRANTED: the caller starts now), else queues {@code waiter} to be
   * {@link Waiter#granted granted} on the grant executor (QUEUED), else REJECTED when the queue is full.
   */
  public synchronized Admission enqueue(Waiter waiter) {
    if (inFlight < maxInFlight) {
      inFlight++;
      return Admission.GRANTED;
    }
    if (waiters == null) {
      waiters = new ArrayDeque<>(Math.min(maxPending, 16));
    }
    if (waiters.size() < maxPending) {
      waiters.addLast(waiter);
      return Admission.QUEUED;
    }
    return Admission.REJECTED;
  }

  /** Returns a permit: to the oldest waiter if any (started on the grant executor), else to the pool. */
  public void release() {
    synchronized (this) {
      Waiter next = waiters == null ? null : waiters.pollFirst();
      if (next == null) {
        if (inFlight == 0) {
          // a caller's bug; thrown here it would break that call's close
          LOG.error("a permit was returned that was not taken", new IllegalStateException("permit returned twice"));
          return;
        }
        inFlight--;
        return;
      }
      if (handOffs == null) {
        handOffs = new ArrayDeque<>();
      }
      handOffs.addLast(next); // the permit is next's now: inFlight stays
    }
    drainHandOffs();
  }

  /** Gives granted waiters to the executor, one at a time, in one loop whoever released their permits. */
  private void drainHandOffs() {
    if (WIP.getAndIncrement(this) != 0) {
      return; // the thread draining now picks this one up
    }
    int missed = 1;
    for (;;) {
      for (;;) {
        Waiter next;
        synchronized (this) {
          next = handOffs == null ? null : handOffs.pollFirst();
        }
        if (next == null) {
          break;
        }
        handOver(next);
      }
      missed = WIP.addAndGet(this, -missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void handOver(Waiter next) {
    try {
      grants.execute(next::granted);
      return;
    } catch (RuntimeException e) {
      release(); // the permit comes back; another waiter's hand-over joins this loop
      try {
        next.refused(e instanceof RejectedExecutionException r ? r : new RejectedExecutionException(e));
      } catch (RuntimeException | Error thrown) {
        LOG.warn("failing a queued call refused by the grant executor failed", thrown);
      }
    }
  }

  /** Withdraws a waiter; false when it was already granted (or never queued). */
  public synchronized boolean withdraw(Waiter waiter) {
    return waiters != null && waiters.remove(waiter);
  }

  /** Calls holding a permit now (those being handed over included). */
  public synchronized int inFlight() {
    return inFlight;
  }

  /** Calls waiting for a permit now. */
  public synchronized int pending() {
    return waiters == null ? 0 : waiters.size();
  }

  /** The limit as said in a refused call's RESOURCE_EXHAUSTED description. */
  public String describeLimit() {
    return "call limit exceeded (" + maxInFlight + " in flight and " + maxPending + " pending)";
  }
}
