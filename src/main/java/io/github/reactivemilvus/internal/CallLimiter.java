package io.github.reactivemilvus.internal;

import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * Per-alias admission: at most {@code maxInFlight} calls run, at most {@code maxPending} wait;
 * beyond that a call is refused at once. A finished call hands its permit straight to the oldest
 * waiter. Thread-safe; the critical sections are a few field updates.
 */
@Internal
public final class CallLimiter {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CallLimiter.class);
  /** Appears in the RESOURCE_EXHAUSTED description of a refused call. */
  public static final String LIMIT_MARKER = "call limit exceeded";

  enum Admission { GRANTED, QUEUED, REJECTED }

  private final int maxInFlight;
  private final int maxPending;
  private @Nullable ArrayDeque<Runnable> waiters; // made when the first call has to wait
  private int inFlight;

  /** A limiter letting {@code maxInFlight} calls run and {@code maxPending} wait. */
  public CallLimiter(int maxInFlight, int maxPending) {
    this.maxInFlight = maxInFlight;
    this.maxPending = maxPending;
  }

  /** Takes a permit, or queues {@code onGrant} to run (on the releasing thread) when one frees up. */
  public synchronized Admission acquire(Runnable onGrant) {
    if (inFlight < maxInFlight) {
      inFlight++;
      return Admission.GRANTED;
    }
    if (waiters == null) {
      waiters = new ArrayDeque<>(Math.min(maxPending, 16));
    }
    if (waiters.size() < maxPending) {
      waiters.addLast(onGrant);
      return Admission.QUEUED;
    }
    return Admission.REJECTED;
  }

  /** Returns a permit: to the oldest waiter if any, else to the pool. */
  public void release() {
    Runnable next;
    synchronized (this) {
      next = waiters == null ? null : waiters.pollFirst();
      if (next == null) {
        inFlight--;
      }
    }
    if (next != null) {
      // the waiter starts its call on this thread; its failure must not break the caller's close
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        LOG.warn("starting a queued call failed", e);
      }
    }
  }

  /** Withdraws a waiter; false when it was already granted (or never queued). */
  public synchronized boolean withdraw(Runnable onGrant) {
    return waiters != null && waiters.remove(onGrant);
  }

  /** Calls holding a permit now. */
  public synchronized int inFlight() {
    return inFlight;
  }

  /** Calls waiting for a permit now. */
  public synchronized int pending() {
    return waiters == null ? 0 : waiters.size();
  }

  /** The limit as said in a refused call's RESOURCE_EXHAUSTED description, starting with {@link #LIMIT_MARKER}. */
  public String describeLimit() {
    return LIMIT_MARKER + " (" + maxInFlight + " in flight and " + maxPending + " pending)";
  }
}
