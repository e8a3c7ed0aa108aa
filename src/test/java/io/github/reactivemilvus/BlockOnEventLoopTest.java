package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.internal.EventLoops;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.LeakCheck;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * User code downstream of a call runs on the registry's event loop: a {@code block()} there fails at
 * once with Reactor's own error (the loop is a Reactor non-blocking thread) instead of waiting for an
 * answer only that loop could deliver, and the registry then closes promptly.
 */
class BlockOnEventLoopTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private FaultServer server;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void aNestedBlockOnTheEventLoopFailsAtOnceAndCloseReturnsPromptly() {
    LeakCheck before = LeakCheck.snapshot();
    long closeStarted;
    try (ReactiveConnections m = ReactiveConnections.builder().environment(Map.of()).build()) {
      m.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
      MilvusStub stub = m.stub("a");

      StepVerifier.create(stub.getVersion().map(v -> stub.hasCollection("x").block()))
          .expectErrorSatisfies(e -> assertThat(e)
              .isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("block()/blockFirst()/blockLast() are blocking, which is not supported in thread "
                  + EventLoops.THREAD_PREFIX + "-loop-"))
          .verify(WAIT);
      closeStarted = System.nanoTime();
    }
    // liveness bound: nothing is stuck, so the close takes well under its 30 s timeout
    assertThat(Duration.ofNanos(System.nanoTime() - closeStarted)).isLessThan(Duration.ofSeconds(20));
    before.assertNoNewThreads(Duration.ofSeconds(15), EventLoops.THREAD_PREFIX);
  }
}
