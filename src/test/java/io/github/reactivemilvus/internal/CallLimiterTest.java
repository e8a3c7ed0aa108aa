package io.github.reactivemilvus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.internal.CallFakes.ManualExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** {@link CallLimiter} alone, with a grant executor run by hand. */
class CallLimiterTest {
  private final ManualExecutor grants = new ManualExecutor();
  private final List<String> log = new ArrayList<>();

  /** Logs its grant or refusal; with {@code releaseOnGrant} it finishes at once, as a call failing inside start does. */
  private final class Waiter implements CallLimiter.Waiter {
    final String name;
    final CallLimiter limiter;
    final boolean releaseOnGrant;
    int depth;

    Waiter(String name, CallLimiter limiter, boolean releaseOnGrant) {
      this.name = name;
      this.limiter = limiter;
      this.releaseOnGrant = releaseOnGrant;
    }

    @Override
    public void granted() {
      log.add("granted " + name);
      depth = Thread.currentThread().getStackTrace().length;
      if (releaseOnGrant) {
        limiter.release();
      }
    }

    @Override
    public void refused(RejectedExecutionException cause) {
      log.add("refused " + name);
      depth = Thread.currentThread().getStackTrace().length;
    }
  }

  @Test
  void permitsAreGrantedUpToTheLimitAndReturnedToThePool() {
    CallLimiter limiter = new CallLimiter(2, 2, grants);
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
    assertThat(limiter.inFlight()).isEqualTo(2);

    limiter.release();
    assertThat(limiter.inFlight()).isEqualTo(1);
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(grants.queued()).isZero();
  }

  @Test
  void aFreedPermitGoesToTheOldestWaiterOnTheGrantExecutorNeverInline() {
    CallLimiter limiter = new CallLimiter(1, 3, grants);
    limiter.tryAcquire();
    Waiter a = new Waiter("a", limiter, false);
    Waiter b = new Waiter("b", limiter, false);
    assertThat(limiter.enqueue(a)).isEqualTo(CallLimiter.Admission.QUEUED);
    assertThat(limiter.enqueue(b)).isEqualTo(CallLimiter.Admission.QUEUED);

    limiter.release();
    assertThat(log).as("not run on the releasing stack").isEmpty();
    assertThat(limiter.inFlight()).as("the permit is a's, not the pool's").isEqualTo(1);
    assertThat(limiter.tryAcquire()).isFalse();
    grants.runAll();
    assertThat(log).containsExactly("granted a");
    assertThat(limiter.pending()).isEqualTo(1);

    limiter.release();
    grants.runAll();
    assertThat(log).containsExactly("granted a", "granted b");
    limiter.release();
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void aCallIsRefusedWhenBothLimitsAreFullAndGrantedWhenAPermitFreedBeforeItQueued() {
    CallLimiter limiter = new CallLimiter(1, 1, grants);
    limiter.tryAcquire();
    assertThat(limiter.enqueue(new Waiter("a", limiter, false))).isEqualTo(CallLimiter.Admission.QUEUED);
    assertThat(limiter.enqueue(new Waiter("b", limiter, false))).isEqualTo(CallLimiter.Admission.REJECTED);

    CallLimiter free = new CallLimiter(1, 1, grants);
    assertThat(free.enqueue(new Waiter("c", free, false))).isEqualTo(CallLimiter.Admission.GRANTED);
    assertThat(free.pending()).isZero();
  }

  @Test
  void aWithdrawnWaiterIsNeverGrantedAndAGrantedOneCannotBeWithdrawn() {
    CallLimiter limiter = new CallLimiter(1, 2, grants);
    limiter.tryAcquire();
    Waiter a = new Waiter("a", limiter, false);
    Waiter b = new Waiter("b", limiter, false);
    limiter.enqueue(a);
    limiter.enqueue(b);

    assertThat(limiter.withdraw(a)).isTrue();
    assertThat(limiter.withdraw(a)).isFalse();
    limiter.release();
    assertThat(limiter.withdraw(b)).as("granted, being handed over").isFalse();
    grants.runAll();
    assertThat(log).containsExactly("granted b");
    assertThat(limiter.inFlight()).isEqualTo(1);
  }

  @Test
  void waitersThatFinishInsideTheirGrantEachStartOnAFreshTaskAtTheSameStackDepth() {
    CallLimiter limiter = new CallLimiter(1, 10_000, grants);
    limiter.tryAcquire();
    List<Waiter> waiters = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      Waiter w = new Waiter("w" + i, limiter, true);
      waiters.add(w);
      limiter.enqueue(w);
    }

    limiter.release();
    assertThat(grants.runAll()).isEqualTo(10_000);
    assertThat(waiters.stream().mapToInt(w -> w.depth).distinct().count()).isEqualTo(1);
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.pending()).isZero();
  }

  @Test
  void whenTheExecutorRefusesEveryWaiterIsRefusedInOneLoopAndThePermitReturnsToThePool() {
    CallLimiter limiter = new CallLimiter(1, 10_000, grants);
    limiter.tryAcquire();
    List<Waiter> waiters = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      Waiter w = new Waiter("w" + i, limiter, false);
      waiters.add(w);
      limiter.enqueue(w);
    }
    grants.shutdown();

    limiter.release();
    assertThat(log).hasSize(10_000).allMatch(line -> line.startsWith("refused"));
    assertThat(log.get(0)).isEqualTo("refused w0");
    assertThat(waiters.stream().mapToInt(w -> w.depth).distinct().count()).as("no nesting").isEqualTo(1);
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.pending()).isZero();
  }

  @Test
  void aPermitReturnedThatWasNotTakenDoesNotMakeTheCountNegative() {
    CallLimiter limiter = new CallLimiter(1, 1, grants);
    limiter.release();
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
  }

  @Test
  void theLimitIsDescribedWithBothNumbers() {
    assertThat(new CallLimiter(8, 16, grants).describeLimit()).contains("8 in flight", "16 pending");
  }
}
