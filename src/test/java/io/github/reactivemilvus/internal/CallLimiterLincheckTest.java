package io.github.reactivemilvus.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Lincheck explores the interleavings of acquire, release and withdraw from several threads over
 * one {@link CallLimiter} (2 in flight, 2 pending, grants handed over inline so that a grant is part
 * of the release that makes it) and checks after every step and at the end:
 * a permit is never doubled ({@code inFlight <= max}, {@code pending <= max}, no waiter granted twice
 * or granted after it was withdrawn) and never lost (at the end the limiter counts exactly the
 * permits its callers hold, and nobody waits while a permit is free).
 *
 * <p>The operations model callers: {@code acquire} is a call starting (admitted, queued or refused),
 * {@code release} a call holding a permit finishing, {@code withdraw} a waiting call giving up. Their
 * results depend on the harness's own bookkeeping as well as the limiter, so they return nothing:
 * the check is the invariants, which a wrong interleaving breaks with an exception.
 */
public class CallLimiterLincheckTest {
  private static final int MAX_IN_FLIGHT = 2;
  private static final int MAX_PENDING = 2;

  private final CallLimiter limiter = new CallLimiter(MAX_IN_FLIGHT, MAX_PENDING, Runnable::run);
  /** Permits the callers hold (admitted calls and granted waiters), not yet released. */
  private final AtomicInteger held = new AtomicInteger();
  private final ConcurrentLinkedQueue<Waiter> waiting = new ConcurrentLinkedQueue<>();
  /** Every waiter that was queued. */
  private final ConcurrentLinkedQueue<Waiter> queued = new ConcurrentLinkedQueue<>();

  private final class Waiter implements CallLimiter.Waiter {
    private final AtomicInteger grants = new AtomicInteger();
    private volatile boolean withdrawn;

    @Override
    public void granted() {
      if (withdrawn) {
        throw new IllegalStateException("a withdrawn waiter was granted");
      }
      if (grants.incrementAndGet() > 1) {
        throw new IllegalStateException("a waiter was granted twice");
      }
      held.incrementAndGet();
    }

    @Override
    public void refused(RejectedExecutionException cause) {
      throw new IllegalStateException("the inline executor never refuses", cause);
    }
  }

  @Operation
  public void acquire() {
    if (limiter.tryAcquire()) {
      held.incrementAndGet();
    } else {
      Waiter w = new Waiter();
      switch (limiter.enqueue(w)) {
        case GRANTED -> held.incrementAndGet();
        case QUEUED -> {
          queued.add(w);
          waiting.add(w);
        }
        case REJECTED -> { }
      }
    }
    checkBounds();
  }

  @Operation
  public void release() {
    int h;
    do {
      h = held.get();
      if (h == 0) {
        return; // this caller holds no permit
      }
    } while (!held.compareAndSet(h, h - 1));
    limiter.release();
    checkBounds();
  }

  @Operation
  public void withdraw() {
    Waiter w = waiting.poll();
    if (w != null && limiter.withdraw(w)) {
      w.withdrawn = true;
      if (w.grants.get() > 0) {
        throw new IllegalStateException("a granted waiter was withdrawn");
      }
    }
    checkBounds();
  }

  private void checkBounds() {
    int inFlight = limiter.inFlight();
    int pending = limiter.pending();
    if (inFlight < 0 || inFlight > MAX_IN_FLIGHT || pending < 0 || pending > MAX_PENDING) {
      throw new IllegalStateException("out of bounds: " + inFlight + " in flight, " + pending + " pending");
    }
  }

  @Validate
  public void noPermitLostOrDoubled() {
    checkBounds();
    if (limiter.inFlight() != held.get()) {
      throw new IllegalStateException("the limiter counts " + limiter.inFlight() + " permits, callers hold " + held.get());
    }
    long stillWaiting = queued.stream().filter(w -> w.grants.get() == 0 && !w.withdrawn).count();
    if (limiter.pending() != stillWaiting) {
      throw new IllegalStateException("the limiter has " + limiter.pending() + " waiters, " + stillWaiting + " wait");
    }
    if (limiter.pending() > 0 && limiter.inFlight() < MAX_IN_FLIGHT) {
      throw new IllegalStateException("a waiter waits while a permit is free");
    }
  }

  @Test
  void permitsAreNeverLostOrDoubledInAnyInterleaving() {
    new ModelCheckingOptions()
        .iterations(20)
        .invocationsPerIteration(500)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(2)
        .actorsAfter(1)
        .check(CallLimiterLincheckTest.class);
  }
}
