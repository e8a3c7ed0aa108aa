package io.github.reactivemilvus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.config.NamedConfig;
import io.github.reactivemilvus.ReactiveConnections;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

/**
 * The first use of the library in a fresh JVM, as a WebFlux handler makes it: a registry built on
 * the caller's thread, then the first {@code channel()} and call of each alias subscribed on a
 * non-blocking thread (a reactor-netty event loop or {@link Schedulers#parallel()}), all aliases at
 * once. Meant for the {@code *ColdStartTest} classes, each of which runs in a JVM of its own with
 * BlockHound installed before anything of gRPC is loaded (see the {@code cold-start} surefire
 * execution).
 *
 * <p>Threading: blocks the calling test thread until every call answered or the wait is over.
 */
public final class ColdStart {
  /** Where the first subscription happens. */
  public enum Origin { NETTY_EVENT_LOOP, REACTOR_PARALLEL }

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int CONNECT_TIMEOUT_SECONDS = 60;

  private ColdStart() {}

  /**
   * Registers {@code configs} in a new registry, subscribes {@code channel(alias)} then GetVersion
   * for every alias at once from {@code origin}, and asserts that every alias answered, that each
   * subscription really ran on a non-blocking thread, and that the registry released every thread
   * it started once closed. Blocking calls are failed by BlockHound and reported by
   * {@link BlockingCallRecorder}.
   */
  public static void firstCallsSucceed(Origin origin, Map<String, Map<String, Object>> configs) {
    LeakCheck before = LeakCheck.snapshot();
    LoopResources loops = LoopResources.create("cold-start", 1, true);
    try {
      Scheduler subscribeOn = origin == Origin.REACTOR_PARALLEL
          ? Schedulers.parallel()
          : Schedulers.fromExecutor(loops.onClient(true).next());
      ConcurrentLinkedQueue<String> blockingCapable = new ConcurrentLinkedQueue<>();
      try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
        // a generous connect timeout: a cold JVM under BlockHound on a loaded machine is slow, and
        // what is tested is that nothing blocks, not how fast the first handshake is
        registry.addConnections(Flux.fromIterable(configs.entrySet())
            .map(e -> NamedConfig.of(e.getKey(), withTimeout(e.getValue())))).block(WAIT);
        List<String> versions = Flux.fromIterable(configs.keySet())
            .flatMap(alias -> Mono.defer(() -> {
              if (!Schedulers.isInNonBlockingThread()) {
                blockingCapable.add(Thread.currentThread().getName());
              }
              return registry.channel(alias).then(registry.stub(alias).getVersion());
            }).subscribeOn(subscribeOn), configs.size())
            .collectList()
            .block(WAIT);
        assertThat(blockingCapable).as("subscriptions on blocking-capable threads").isEmpty();
        assertThat(versions).hasSize(configs.size()).allSatisfy(v -> assertThat(v).isEqualTo(FaultServer.VERSION));
      }
    } finally {
      loops.disposeLater().block(WAIT);
    }
    before.assertNoNewThreads(Duration.ofSeconds(10), LeakCheck.DEFAULT_PREFIXES);
  }

  private static Map<String, Object> withTimeout(Map<String, Object> config) {
    Map<String, Object> copy = new java.util.HashMap<>(config);
    copy.putIfAbsent("timeout", CONNECT_TIMEOUT_SECONDS);
    return copy;
  }
}
