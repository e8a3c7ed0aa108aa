package io.github.reactivemilvus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.internal.EventLoops;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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

  @Test
  void sleepingOnARegistryEventLoopThreadIsReported() {
    EventLoops loops = EventLoops.create(1);
    try {
      Future<Object> slept = loops.group.submit(() -> {
        Thread.sleep(1);
        return null;
      });

      assertThat(slept).failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(ExecutionException.class)
          .havingCause()
          .isInstanceOf(BlockingOperationError.class)
          .withMessageContaining("java.lang.Thread.sleep");
    } finally {
      loops.close().block(Duration.ofSeconds(30));
    }
  }
}
