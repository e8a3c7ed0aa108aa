package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.internal.EventLoops;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.LeakCheck;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Closing a registry runs every step (disconnect the aliases, shut down the channels, shut down the
 * event loops) even when one fails, reports the failures together once all ran, and is bounded by the
 * close timeout: the event loops are shut down and their threads end in every case. Faults are
 * injected into a step through the registry's close-step hook.
 */
class RegistryShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  // threads end asynchronously after their loop terminated; generous for a loaded machine
  private static final Duration THREADS_END = Duration.ofSeconds(15);
  private static final String LOOP_THREADS = EventLoops.THREAD_PREFIX;
  private FaultServer server;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private ReactiveConnections connectedRegistry(ReactiveConnections.Builder builder) {
    ReactiveConnections registry = builder.environment(Map.of()).build();
    registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
    assertThat(registry.stub("a").getVersion().block(WAIT)).isEqualTo(FaultServer.VERSION);
    return registry;
  }

  @Test
  void aFailingChannelStepIsReportedAfterTheEventLoopsWereShutDown() {
    LeakCheck before = LeakCheck.snapshot();
    ReactiveConnections registry = connectedRegistry(ReactiveConnections.builder());
    IllegalStateException injected = new IllegalStateException("injected channel failure");
    registry.closeStepHook((name, step) -> name.equals(RegistryShutdown.CHANNELS) ? step.then(Mono.error(injected)) : step);
    CompletableFuture<Void> events = registry.events().then().toFuture();

    assertThatThrownBy(registry::close)
        .isInstanceOfSatisfying(MilvusConnectionException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.CLIENT);
          assertThat(e.getMessage()).contains("shutting down the channels (IllegalStateException)");
        })
        .hasCause(injected);

    before.assertNoNewThreads(THREADS_END, LOOP_THREADS);
    // events are delivered on the registry's scheduler: the completion follows the close, it does not precede it
    assertThat(events).succeedsWithin(WAIT);
    assertThat(registry.openChannels()).isZero();
    // later calls get the same outcome
    StepVerifier.create(registry.closeGracefully()).expectErrorMatches(e -> e.getCause() == injected).verify(WAIT);
  }

  @Test
  void failuresOfSeveralStepsAreReportedTogetherOnceEveryStepRan() {
    LeakCheck before = LeakCheck.snapshot();
    ReactiveConnections registry = connectedRegistry(ReactiveConnections.builder());
    RuntimeException aliases = new RuntimeException("injected alias failure");
    IllegalStateException loops = new IllegalStateException("injected loop failure");
    AtomicInteger stepsRun = new AtomicInteger();
    registry.closeStepHook((name, step) -> {
      stepsRun.incrementAndGet();
      return switch (name) {
        case RegistryShutdown.ALIASES -> step.then(Mono.error(aliases));
        // a step that throws instead of returning a failed Mono
        case RegistryShutdown.CHANNELS -> throw new UnsupportedOperationException("injected, thrown");
        default -> step.then(Mono.error(loops));
      };
    });

    assertThatThrownBy(registry::close)
        .isInstanceOf(MilvusConnectionException.class)
        .hasMessageContaining("failed in 3 steps")
        .hasCause(aliases)
        .satisfies(e -> assertThat(e.getSuppressed()).contains(loops)
            .anySatisfy(s -> assertThat(s).isInstanceOf(UnsupportedOperationException.class).hasMessage("injected, thrown")));

    assertThat(stepsRun).hasValue(3);
    before.assertNoNewThreads(THREADS_END, LOOP_THREADS);
  }

  @Test
  void aCloseWhoseChannelsNeverTerminateCompletesAtTheCloseTimeoutOnTheRegistrysScheduler() {
    LeakCheck before = LeakCheck.snapshot();
    VirtualTimeScheduler time = VirtualTimeScheduler.create();
    ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of())
        .scheduler(time).closeTimeout(Duration.ofSeconds(10)).build();
    registry.closeStepHook((name, step) -> name.equals(RegistryShutdown.CHANNELS) ? Mono.never() : step);

    CompletableFuture<Void> closed = registry.closeGracefully().toFuture();
    time.advanceTimeBy(Duration.ofSeconds(9));
    assertThat(closed).isNotDone();
    time.advanceTimeBy(Duration.ofSeconds(1));

    assertThat(closed).succeedsWithin(WAIT);
    assertThat(registry.leftAtCloseTimeout()).isNotNull();
    before.assertNoNewThreads(THREADS_END, LOOP_THREADS);
    time.dispose();
  }

  @Test
  void closeReturnsWithinItsTimeoutWhileACallOutlivesTheGracePeriodAndSaysWhatItLeft() {
    LeakCheck before = LeakCheck.snapshot();
    server.hang(FaultServer.Method.GET_VERSION);
    ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of())
        .shutdownGracePeriod(Duration.ofMinutes(10)).closeTimeout(Duration.ofMillis(500)).build();
    registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
    registry.channel("a").block(WAIT);
    CompletableFuture<String> call = registry.stub("a").getVersion().toFuture();
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> server.hanging(FaultServer.Method.GET_VERSION) == 1);

    long start = System.nanoTime();
    registry.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // liveness bound: 0.5 s of timeout plus scheduling on a shared 2-core machine, far below the 10 min grace
    assertThat(took).isLessThan(Duration.ofSeconds(20));
    assertThat(registry.leftAtCloseTimeout()).as("took %s, call %s", took, call).anySatisfy(left -> assertThat(left).contains("[a]"));
    // the loops were shut down anyway: the call fails instead of hanging, and no loop thread is left
    assertThat(call).failsWithin(WAIT);
    before.assertNoNewThreads(THREADS_END, LOOP_THREADS);
  }

  @Test
  void aCloseTimeoutMustBePositive() {
    assertThatThrownBy(() -> ReactiveConnections.builder().closeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closeTimeout");
    assertThatThrownBy(() -> ReactiveConnections.builder().closeTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closeTimeout");
  }
}
