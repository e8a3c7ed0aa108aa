package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionInfo;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.testing.LeakCheck;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One alias naming three real Milvus Lite servers (the proxies of a cluster): calls spread over
 * them, a killed one is skipped while reads keep succeeding, and once it is back it takes calls
 * again. Each server holds a database of its own name, so every answer tells which server gave it.
 */
class SeveralProxiesTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int CALLERS = 16;
  private static final int READS_AFTER_KILL = 200;
  private static final RetryPolicy RIDE_THROUGH = RetryPolicy.builder()
      .maxRetries(10).initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(500))
      .multiplier(2).jitter(0.5)
      // the outage is the point: a budget that outlasts it (the default, 100 tokens, is spent in about a second)
      .retryBudget(1000, 0.1).build();

  private final List<MilvusLiteServer> servers = new ArrayList<>();
  private ReactiveConnections registry;

  @BeforeEach
  void startThreeServers() {
    for (int i = 0; i < 3; i++) {
      servers.add(MilvusLiteServer.start());
    }
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    for (int i = 0; i < 3; i++) {
      String direct = "direct-" + i;
      registry.addConnection(direct, ConnectionConfig.builder().uri(servers.get(i).uri()).build()).block(WAIT);
      registry.stub(direct).createDatabase(marker(i)).block(WAIT);
      registry.removeConnection(direct).block(WAIT);
    }
  }

  @AfterEach
  void stopServers() {
    if (registry != null) {
      registry.close();
    }
    servers.forEach(MilvusLiteServer::close);
  }

  @Test
  void callsSpreadOverEveryProxyAndTheAddressListsThemAll() {
    String address = servers.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    registry.addConnection("cluster", Map.of("address", address)).block(WAIT);

    ConnectionInfo info = registry.getConnectionAddr("cluster").orElseThrow();
    assertThat(info.address()).isEqualTo(address);
    assertThat(info.addresses()).hasSize(3).containsExactly(address.split(","));

    Set<String> seen = Flux.range(0, 60)
        .concatMap(i -> registry.stub("cluster").listDatabases())
        .map(SeveralProxiesTest::markerIn)
        .collect(Collectors.toSet())
        .block(WAIT);
    assertThat(seen).containsExactlyInAnyOrder(marker(0), marker(1), marker(2));
    assertThat(registry.openChannels()).isEqualTo(1);
  }

  /**
   * Counted, not timed: reads run continuously from {@value #CALLERS} callers; once every proxy has
   * answered one is killed (-9, with reads in flight on it), the next {@value #READS_AFTER_KILL}
   * reads all succeed and both survivors answer some of them; once the killed proxy is restarted it
   * answers again. No read fails at any point. The waits are liveness bounds only.
   */
  @Test
  void readsKeepSucceedingWhileOneProxyIsDownAndTheRestartedOneTakesCallsAgain() throws Exception {
    LeakCheck before = LeakCheck.snapshot();
    String address = servers.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","));
    registry.addConnection("cluster", ConnectionConfig.builder().address(address)
        .retryPolicy(RIDE_THROUGH).callTimeout(Duration.ofSeconds(10)).build()).block(WAIT);
    registry.channel("cluster").block(WAIT);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong succeeded = new AtomicLong();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Map<String, AtomicLong> answersFrom = new ConcurrentHashMap<>();
    for (int i = 0; i < 3; i++) {
      answersFrom.put(marker(i), new AtomicLong());
    }
    Mono<Void> caller = Mono.defer(() -> registry.stub("cluster").listDatabases())
        .doOnNext(dbs -> {
          answersFrom.get(markerIn(dbs)).incrementAndGet();
          succeeded.incrementAndGet();
        })
        .doOnError(failures::add)
        .onErrorResume(e -> Mono.empty())
        .repeat(() -> !stop.get())
        .subscribeOn(Schedulers.parallel())
        .then();
    var done = Flux.range(0, CALLERS).flatMap(i -> caller).then().toFuture();

    try {
      await().atMost(WAIT).until(() -> answersFrom.values().stream().allMatch(n -> n.get() > 0));
      MilvusLiteServer victim = servers.get(1);
      victim.kill9();
      long atKill = succeeded.get();
      long firstAtKill = answersFrom.get(marker(0)).get();
      long thirdAtKill = answersFrom.get(marker(2)).get();
      await().atMost(WAIT).until(() -> succeeded.get() >= atKill + READS_AFTER_KILL || !failures.isEmpty());
      assertThat(failures).as("reads while a proxy is down").isEmpty();
      assertThat(answersFrom.get(marker(0)).get()).as("the first survivor answers").isGreaterThan(firstAtKill);
      assertThat(answersFrom.get(marker(2)).get()).as("the second survivor answers").isGreaterThan(thirdAtKill);

      victim.restartOnSamePort();
      long victimBeforeRestart = answersFrom.get(marker(1)).get();
      await().atMost(WAIT).until(() -> answersFrom.get(marker(1)).get() > victimBeforeRestart || !failures.isEmpty());
      assertThat(failures).as("reads while the proxy restarts").isEmpty();
      assertThat(answersFrom.get(marker(1)).get()).as("the restarted proxy answers again").isGreaterThan(victimBeforeRestart);
    } finally {
      stop.set(true); // the callers stop however the test ends
    }
    done.get();

    assertThat(failures).as("reads are retried on another proxy").isEmpty();
    registry.close();
    assertThat(registry.openChannels()).isZero();
    before.assertNoNewThreads(Duration.ofSeconds(10), LeakCheck.DEFAULT_PREFIXES);
  }

  private static String marker(int server) {
    return "proxy_marker_" + server;
  }

  /** The marker database of the server that answered. */
  private static String markerIn(List<String> databases) {
    Set<String> markers = new HashSet<>(databases);
    markers.removeIf(db -> !db.startsWith("proxy_marker_"));
    assertThat(markers).as("one marker per server: " + databases).hasSize(1);
    return markers.iterator().next();
  }
}
