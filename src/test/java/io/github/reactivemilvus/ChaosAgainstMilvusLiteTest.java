package io.github.reactivemilvus;

import io.github.reactivemilvus.ConnectionEvent.Type;
import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.testing.GrpcProbe;
import io.github.reactivemilvus.testing.LeakCheck;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A real Milvus Lite server is SIGKILLed under load and restarted on the same port 2 s later.
 *
 * <p>32 callers (4 aliases x 8) loop CheckHealth. Two aliases ("ride-*") have a retry budget
 * longer than the outage (20 retries, 100 ms doubling up to 1 s: at least ~10 s of backoff even
 * with full negative jitter), so their calls ride through it; two ("default-*") keep the default
 * policy (5 retries, about 3 s), so their calls during the outage fail with a
 * {@link MilvusConnectionException} once the budget is spent, and the callers go on. Each alias
 * pair uses a different pool size, so both a single shared connection and a pool are exercised.
 * Every call has the alias's call timeout as deadline (5 s, so that a hang would show quickly).
 *
 * <p>Per alias: the "ride-*" aliases lose no call; every alias redoes its handshake
 * ({@code RECONNECTED}) after the kill and serves again after the restart; failures of the
 * "default-*" aliases are classified as unreachable (or a failed call).
 */
class ChaosAgainstMilvusLiteTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final RetryPolicy RIDE_THROUGH = RetryPolicy.builder()
      .maxRetries(20).initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1))
      .multiplier(2).jitter(0.5)
      // the outage is the point: a budget that outlasts it (the default, 100 tokens, is spent in about a second)
      .retryBudget(1000, 0.1).build();
  private static final List<String> ALIASES = List.of("ride-1", "ride-2", "default-1", "default-2");
  private static final int CALLERS_PER_ALIAS = 8;

  private MilvusLiteServer server;

  @BeforeEach
  void startServer() {
    server = MilvusLiteServer.start();
  }

  /** Set by the test so that a failed run still stops its callers and closes its registry. */
  private final AtomicBoolean stopCallers = new AtomicBoolean();
  private ReactiveConnections registryToClose;

  @AfterEach
  void stopServer() {
    stopCallers.set(true);
    try {
      if (registryToClose != null) {
        registryToClose.close();
      }
    } finally {
      server.close();
    }
  }

  @Test
  void callsEndInSuccessOrAClassifiedErrorAcrossAKillAndEveryAliasServesAgainAfterTheRestart() throws Exception {
    LeakCheck before = LeakCheck.snapshot();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build();
    registryToClose = registry;
    new ReactiveConnectionsMetrics(registry).bindTo(meters);
    AtomicLong retryingEvents = new AtomicLong();
    List<ConnectionEvent> reconnects = new CopyOnWriteArrayList<>();
    AtomicLong killedAtNanos = new AtomicLong(Long.MAX_VALUE);
    Map<String, LongAdder> reconnectedAfterKill = new ConcurrentHashMap<>();
    Disposable events = registry.events().subscribe(e -> {
      if (e.type() == Type.RETRYING) {
        retryingEvents.incrementAndGet();
      } else if (e.type() == Type.RECONNECTED || e.type() == Type.FAILED) {
        reconnects.add(e);
        if (e.type() == Type.RECONNECTED && System.nanoTime() > killedAtNanos.get()) {
          reconnectedAfterKill.computeIfAbsent(e.alias(), a -> new LongAdder()).increment();
        }
      }
    });
    for (String alias : ALIASES) {
      ConnectionConfig.Builder config = ConnectionConfig.builder().uri(server.uri()).callTimeout(CALL_TIMEOUT)
          .poolSize(alias.endsWith("1") ? 1 : 2);
      if (alias.startsWith("ride")) {
        config.retryPolicy(RIDE_THROUGH);
      }
      registry.addConnection(alias, config.build()).block(WAIT);
      registry.channel(alias).block(WAIT);
    }

    Counts counts = new Counts();
    AtomicBoolean stop = stopCallers;
    List<Mono<Void>> callers = new ArrayList<>();
    for (String alias : ALIASES) {
      for (int i = 0; i < CALLERS_PER_ALIAS; i++) {
        callers.add(caller(registry.stub(alias), counts, stop));
      }
    }
    var done = Flux.merge(callers).then().toFuture();

    await().atMost(WAIT).until(() -> counts.everyAliasSucceededSince(0));
    long killedAt = System.nanoTime();
    killedAtNanos.set(killedAt);
    server.kill9();
    Thread.sleep(2_000); // the point of the test: the server is gone for 2 s before it restarts
    Thread restarter = new Thread(server::restartOnSamePort, "restart-milvus-lite");
    restarter.start();
    long backAt = awaitRawProbe();
    counts.backAt = backAt;
    try {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
          .until(() -> ALIASES.stream().allMatch(counts.firstSuccessAfterBack::containsKey));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("aliases serving again 30 s after the server answered: " + counts.firstSuccessAfterBack.keySet()
          + "; succeeded " + counts.succeeded + ", failed " + counts.failed + " " + counts.failureKinds
          + "; connections " + registry.listConnections() + "\nthreads:\n" + threadDump(), e);
    }
    long recoveredAt = counts.firstSuccessAfterBack.values().stream().mapToLong(AtomicLong::get).max().orElseThrow();
    restarter.join(WAIT.toMillis());
    assertThat(restarter.isAlive()).isFalse();

    Thread.sleep(1_000); // a little steady state after the recovery
    stop.set(true);
    try {
      done.get(CALL_TIMEOUT.multipliedBy(RIDE_THROUGH.maxRetries() + 1).plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("callers did not finish; threads:\n" + threadDump(), e);
    }

    double retriesMeter = meters.find("milvus.connections.retries").counters().stream().mapToDouble(c -> c.count()).sum();
    System.out.printf("chaos: aliases=%d callers=%d calls=%d succeeded=%s failed=%s (%s) retried=%d (meter %.0f) "
            + "reconnected=%s outage=%d ms recovery=%d ms (server answering raw probe -> every alias succeeded)%n",
        ALIASES.size(), callers.size(), counts.calls.sum(), counts.succeeded, counts.failed,
        counts.failureKinds, retryingEvents.get(), retriesMeter, reconnectedAfterKill,
        TimeUnit.NANOSECONDS.toMillis(backAt - killedAt), TimeUnit.NANOSECONDS.toMillis(recoveredAt - backAt));
    reconnects.forEach(e -> System.out.println("chaos event: " + e));

    assertThat(counts.unexpected).as("errors that are not MilvusConnectionException").isEmpty();
    for (String alias : ALIASES) {
      assertThat(counts.succeeded.get(alias).sum()).as("calls of %s that succeeded", alias).isPositive();
      assertThat(reconnectedAfterKill.get(alias)).as("%s redid its handshake after the kill", alias).isNotNull();
      if (alias.startsWith("ride")) {
        // its retry budget outlasts the outage: not one call lost
        assertThat(counts.failed.get(alias)).as("failed calls of %s (%s)", alias, counts.failureKinds).isNull();
      }
    }
    assertThat(counts.failureKinds.keySet()).isSubsetOf(FailureKind.UNREACHABLE, FailureKind.RPC);
    assertThat(retryingEvents.get()).isPositive();
    // events reach the subscriber on the registry's scheduler; what a burst beyond its buffer drops is counted
    await().atMost(Duration.ofSeconds(10)).until(() -> retryingEvents.get() + registry.droppedEvents() >= (long) retriesMeter);
    assertThat(retryingEvents.get()).isLessThanOrEqualTo((long) retriesMeter)
        .isGreaterThanOrEqualTo((long) retriesMeter - registry.droppedEvents());

    events.dispose();
    registry.close();
    assertThat(registry.openChannels()).isZero();
    before.assertNoNewThreads(Duration.ofSeconds(10), "milvus-conn");
  }

  /** Loops CheckHealth until told to stop; every call ends in success or a classified error. */
  private static Mono<Void> caller(MilvusStub stub, Counts counts, AtomicBoolean stop) {
    return Mono.defer(() -> {
      counts.calls.increment();
      return stub.checkHealth()
          .doOnNext(r -> counts.success(stub.alias()))
          .then()
          .onErrorResume(e -> {
            counts.failure(stub.alias(), e);
            // a caller pauses after a failure instead of spinning, as a service's request loop would:
            // once an alias's retry budget is spent its calls fail at once
            return Mono.delay(Duration.ofMillis(10)).then();
          });
    }).repeat(() -> !stop.get()).then();
  }

  /** Polls the restarted server with a plain grpc-java channel; returns when it first answers. */
  private long awaitRawProbe() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try {
        GrpcProbe.getVersion(server.port(), null, 250);
        return System.nanoTime();
      } catch (io.grpc.StatusRuntimeException notYet) {
        // not listening yet
      }
    }
    throw new AssertionError("Milvus Lite did not come back:\n" + server.logTail(30));
  }

  private static String threadDump() {
    StringBuilder b = new StringBuilder();
    Thread.getAllStackTraces().forEach((t, stack) -> {
      b.append(t.getName()).append(" [").append(t.getState()).append("]\n");
      for (StackTraceElement e : stack) {
        b.append("    at ").append(e).append('\n');
      }
    });
    return b.toString();
  }

  private static final class Counts {
    final LongAdder calls = new LongAdder();
    final Map<String, LongAdder> succeeded = new ConcurrentHashMap<>();
    final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    final Map<FailureKind, LongAdder> failureKinds = new ConcurrentHashMap<>();
    final List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> firstSuccessAfterBack = new ConcurrentHashMap<>();
    volatile long backAt = Long.MAX_VALUE;

    void success(String alias) {
      long now = System.nanoTime();
      succeeded.computeIfAbsent(alias, a -> new LongAdder()).increment();
      lastSuccess.computeIfAbsent(alias, a -> new AtomicLong()).accumulateAndGet(now, Math::max);
      if (now > backAt) {
        firstSuccessAfterBack.computeIfAbsent(alias, a -> new AtomicLong()).compareAndSet(0, now);
      }
    }

    void failure(String alias, Throwable e) {
      failed.computeIfAbsent(alias, a -> new LongAdder()).increment();
      if (e instanceof MilvusConnectionException m) {
        failureKinds.computeIfAbsent(m.kind(), k -> new LongAdder()).increment();
      } else {
        unexpected.add(e);
      }
    }

    boolean everyAliasSucceededSince(long nanos) {
      return ALIASES.stream().allMatch(a -> lastSuccess.containsKey(a) && lastSuccess.get(a).get() > nanos);
    }
  }
}
