package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.internal.EventLoops;
import io.github.reactivemilvus.testing.FaultServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where call results arrive: on the event loop by default, on the user's executor when one is set. */
class CallbackExecutorTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private FaultServer server;
  private ExecutorService executor;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "user-callbacks"));
  }

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
    server.close();
  }

  private static String threadOfResult(ReactiveConnections registry) {
    return registry.stub("a").getVersion().map(v -> Thread.currentThread().getName()).block(WAIT);
  }

  @Test
  void byDefaultResultsArriveOnTheRegistrysEventLoop() {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
      assertThat(threadOfResult(registry)).startsWith(EventLoops.THREAD_PREFIX + "-loop");
    }
  }

  @Test
  void aCallbackExecutorGetsEveryCallback() {
    AtomicInteger tasks = new AtomicInteger();
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of())
        .callbackExecutor(task -> {
          tasks.incrementAndGet();
          executor.execute(task);
        }).build()) {
      registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
      assertThat(threadOfResult(registry)).isEqualTo("user-callbacks");
      assertThat(tasks).hasPositiveValue();
    }
  }
}
