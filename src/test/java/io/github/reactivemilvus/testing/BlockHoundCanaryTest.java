package io.github.reactivemilvus.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Proves BlockHound is installed for the test JVM (by blockhound-junit-platform). */
class BlockHoundCanaryTest {

  @Test
  void sleepingOnAParallelSchedulerThreadIsReported() {
    Mono<Void> blocking = Mono.<Void>fromRunnable(() -> {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).subscribeOn(Schedulers.parallel());

    assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(10)))
        .hasRootCauseInstanceOf(BlockingOperationError.class)
        .rootCause().hasMessageContaining("java.lang.Thread.sleep");
  }
}
