package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;

/** BlockHound is installed in the starter's test JVMs: a sleep on a Reactor thread is caught. */
class BlockHoundCanaryTest {

  @Test
  void aBlockingCallOnAReactorThreadFails() {
    Mono<Long> blocking = Mono.delay(Duration.ofMillis(1)).doOnNext(x -> {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(10))).hasCauseInstanceOf(BlockingOperationError.class);
  }
}
