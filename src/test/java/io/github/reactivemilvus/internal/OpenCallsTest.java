package io.github.reactivemilvus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.internal.CallFakes.FakeChannel;
import io.github.reactivemilvus.internal.CallFakes.FakeOwner;
import io.github.reactivemilvus.internal.CallFakes.ManualExecutor;
import io.grpc.CallOptions;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** {@link OpenCalls}: start order kept, removal idempotent, the sweep's scan stops at the first call not due. */
class OpenCallsTest {
  private final OpenCalls calls = new OpenCalls();

  private static LimitedCall<String, String> call() {
    return new LimitedCall<>(new FakeChannel(), new CallLimiter(1, 1, new ManualExecutor()), new FakeOwner(), "a",
        CallFakes.METHOD, CallOptions.DEFAULT, false, VirtualTimeScheduler.create());
  }

  @Test
  void callsAreKeptInStartOrderAndARemovalTwiceIsANoOp() {
    LimitedCall<String, String> a = call();
    LimitedCall<String, String> b = call();
    LimitedCall<String, String> c = call();
    calls.add(a, 1);
    OpenCalls.Entry eb = calls.add(b, 2);
    calls.add(c, 3);

    calls.remove(eb);
    calls.remove(eb);
    assertThat(calls.size()).isEqualTo(2);
    assertThat(calls.all()).containsExactly(a, c);
    assertThat(calls.isEmpty()).isFalse();
  }

  @Test
  void removingTheHeadAndTheTailLeavesAConsistentList() {
    LimitedCall<String, String> a = call();
    LimitedCall<String, String> b = call();
    OpenCalls.Entry ea = calls.add(a, 1);
    OpenCalls.Entry eb = calls.add(b, 1);
    calls.remove(ea);
    assertThat(calls.all()).containsExactly(b);
    calls.remove(eb);
    assertThat(calls.all()).isEmpty();
    assertThat(calls.isEmpty()).isTrue();
    LimitedCall<String, String> c = call();
    calls.add(c, 1);
    assertThat(calls.all()).containsExactly(c);
  }

  @Test
  void expiredCallsAreThoseDueAtTheTickSkippingCallsWithTheirOwnDeadline() {
    LimitedCall<String, String> a = call();
    LimitedCall<String, String> own = call();
    LimitedCall<String, String> b = call();
    LimitedCall<String, String> later = call();
    calls.add(a, 5);
    calls.add(own, Long.MAX_VALUE);
    calls.add(b, 6);
    calls.add(later, 9);

    assertThat(calls.expiredAt(4)).isEmpty();
    assertThat(calls.expiredAt(5)).containsExactly(a);
    assertThat(calls.expiredAt(8)).containsExactly(a, b);
    assertThat(calls.expiredAt(100)).containsExactly(a, b, later);
  }
}
