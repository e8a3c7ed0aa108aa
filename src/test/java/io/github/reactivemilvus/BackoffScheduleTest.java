package io.github.reactivemilvus;

import io.github.reactivemilvus.config.RetryPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The retry schedule in virtual time: exponential, jittered within bounds, capped. */
class BackoffScheduleTest {
  private static final RetryPolicy POLICY = RetryPolicy.builder()
      .maxRetries(6).initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1))
      .multiplier(2).jitter(0.5).build();

  @RepeatedTest(20)
  void delaysGrowExponentiallyWithinTheJitterBoundsAndTheCap() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    List<Long> attempts = new CopyOnWriteArrayList<>();
    Mono<String> failing = Mono.defer(() -> {
      attempts.add(time.now(TimeUnit.MILLISECONDS));
      return Mono.error(Status.UNAVAILABLE.asRuntimeException());
    });
    StepVerifier.withVirtualTime(() -> failing.retryWhen(
            Backoff.spec(POLICY, time, Failures::isRetryableCallFailure, s -> { })), () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofMinutes(1))
        .expectError(io.grpc.StatusRuntimeException.class)
        .verify(Duration.ofSeconds(10));
    assertThat(attempts).hasSize(7);
    for (int retry = 1; retry < attempts.size(); retry++) {
      long delay = attempts.get(retry) - attempts.get(retry - 1);
      long nominal = Math.min(100L << (retry - 1), 1000);
      long low = Math.max(100, nominal - nominal / 2);
      long high = Math.min(1000, nominal + nominal / 2);
      assertThat(delay).as("delay before retry %d", retry).isBetween(low, high);
    }
    time.dispose();
  }

  @Test
  void nominalDelaysDoubleUpToTheCap() {
    assertThat(Backoff.nominal(POLICY, 0)).isEqualTo(Duration.ofMillis(100));
    assertThat(Backoff.nominal(POLICY, 1)).isEqualTo(Duration.ofMillis(200));
    assertThat(Backoff.nominal(POLICY, 3)).isEqualTo(Duration.ofMillis(800));
    assertThat(Backoff.nominal(POLICY, 4)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Backoff.nominal(POLICY, 40)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aNonRetryableErrorIsNotDelayed() {
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    List<Long> attempts = new CopyOnWriteArrayList<>();
    Mono<String> failing = Mono.defer(() -> {
      attempts.add(time.now(TimeUnit.MILLISECONDS));
      return Mono.error(Status.UNAUTHENTICATED.asRuntimeException());
    });
    StepVerifier.withVirtualTime(() -> failing.retryWhen(
            Backoff.spec(POLICY, time, Failures::isRetryableCallFailure, s -> { })), () -> time, Long.MAX_VALUE)
        .expectError(io.grpc.StatusRuntimeException.class)
        .verify(Duration.ofSeconds(10));
    assertThat(attempts).containsExactly(0L);
    time.dispose();
  }
}
