package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.client.Polling.Probe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The waiting of load, index and flush operations, in virtual time. */
class PollingTest {
  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

  @AfterEach
  void tearDown() {
    time.dispose();
  }

  @Test
  void pollsWithDoublingDelaysUntilDone() {
    List<Long> at = new ArrayList<>();
    AtomicInteger polls = new AtomicInteger();
    WaitOptions options = WaitOptions.upTo(Duration.ofSeconds(60)).withBackoff(Duration.ofMillis(100), Duration.ofMillis(300));
    Mono<Void> wait = Polling.until(() -> Mono.fromCallable(() -> {
      at.add(time.now(java.util.concurrent.TimeUnit.MILLISECONDS));
      return polls.incrementAndGet() < 5 ? Probe.pending("LOADING") : Probe.finished();
    }), options, time, "loading");
    StepVerifier.withVirtualTime(() -> wait, () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofSeconds(1))
        .verifyComplete();
    // first at once, then 100, 200, 300 (capped), 300 ms apart
    assertThat(at).containsExactly(0L, 100L, 300L, 600L, 900L);
  }

  @Test
  void failsWithATimeoutNamingTheLastState() {
    AtomicInteger polls = new AtomicInteger();
    Mono<Void> wait = Polling.until(() -> Mono.fromCallable(() -> {
      polls.incrementAndGet();
      return Probe.pending("IN_PROGRESS");
    }), WaitOptions.upTo(Duration.ofSeconds(10)), time, "index 'v'");
    StepVerifier.withVirtualTime(() -> wait, () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofSeconds(10))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TimeoutException.class)
            .hasMessageContaining("index 'v' not done within PT10S").hasMessageContaining("IN_PROGRESS"))
        .verify(Duration.ofSeconds(5));
    // 0, 0.1, 0.3, 0.7, 1.5, 3.1, 5.1, 7.1, 9.1 s
    assertThat(polls).hasValue(9);
  }

  @Test
  void aFailingProbeEndsTheWaitAtOnce() {
    AtomicInteger polls = new AtomicInteger();
    Mono<Void> wait = Polling.until(() -> Mono.defer(() -> {
      polls.incrementAndGet();
      return Mono.error(new IllegalStateException("index build failed: out of memory"));
    }), WaitOptions.DEFAULTS, time, "index");
    StepVerifier.withVirtualTime(() -> wait, () -> time, Long.MAX_VALUE)
        .expectErrorMessage("index build failed: out of memory")
        .verify(Duration.ofSeconds(5));
    assertThat(polls).hasValue(1);
  }

  @Test
  void noWaitNeverPolls() {
    AtomicInteger polls = new AtomicInteger();
    StepVerifier.create(Polling.until(() -> Mono.fromCallable(() -> {
      polls.incrementAndGet();
      return Probe.finished();
    }), WaitOptions.NO_WAIT, time, "x")).verifyComplete();
    assertThat(polls).hasValue(0);
  }

  @Test
  void cancellingStopsPolling() {
    AtomicInteger polls = new AtomicInteger();
    Mono<Void> wait = Polling.until(() -> Mono.fromCallable(() -> {
      polls.incrementAndGet();
      return Probe.pending("LOADING");
    }), WaitOptions.DEFAULTS, time, "loading");
    StepVerifier.withVirtualTime(() -> wait, () -> time, Long.MAX_VALUE)
        .thenAwait(Duration.ofMillis(350))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
    time.advanceTimeBy(Duration.ofSeconds(30));
    assertThat(polls).hasValue(3);
  }
}
