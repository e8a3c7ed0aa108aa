package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.LeakCheck;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import io.github.reactivemilvus.testing.RoundRobinProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code max_connection_age} behind an L4 load balancer: three Milvus Lite servers behind one
 * round-robin TCP proxy address, an alias with a pool of three channels, callers running all the
 * time. A fourth server joins the proxy; as the pool's channels age out, their successors connect
 * anew and one reaches the new server. No call fails throughout, and the registry leaves no thread
 * behind.
 */
@ExtendWith(MilvusLiteExtension.class)
class ConnectionRebalanceAgainstMilvusLiteTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration AGE = Duration.ofSeconds(2);
  private static final double JITTER = 0.1;

  @Test
  void aServerThatJoinsTheBalancerGetsCallsWithinOneConnectionAgeAndNoCallFails(MilvusLiteServer shared) throws Exception {
    List<MilvusLiteServer> started = new ArrayList<>();
    try {
      List<CompletableFuture<MilvusLiteServer>> starting = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        starting.add(CompletableFuture.supplyAsync(MilvusLiteServer::start));
      }
      for (CompletableFuture<MilvusLiteServer> s : starting) {
        started.add(s.join());
      }
      MilvusLiteServer joining = started.get(2);
      List<Integer> first = List.of(shared.port(), started.get(0).port(), started.get(1).port());
      LeakCheck before = LeakCheck.snapshot();
      try (RoundRobinProxy proxy = RoundRobinProxy.over(first)) {
        try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
          registry.addConnection("balanced", Map.of("uri", proxy.uri(), "pool_size", 3,
              "max_connection_age", AGE, "max_connection_age_jitter", JITTER)).block(WAIT);
          MilvusStub stub = registry.stub("balanced");
          AtomicBoolean running = new AtomicBoolean(true);
          AtomicInteger ok = new AtomicInteger();
          AtomicInteger failed = new AtomicInteger();
          List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
          CompletableFuture<Void> callers = Flux.range(0, 8)
              .flatMap(i -> Mono.defer(stub::getVersion)
                  .doOnSuccess(v -> ok.incrementAndGet())
                  .doOnError(e -> {
                    failed.incrementAndGet();
                    failures.add(e);
                  })
                  .onErrorResume(e -> Mono.empty())
                  .repeat(running::get).subscribeOn(Schedulers.parallel()), 8)
              .then().toFuture();

          Thread.sleep(1_500);
          for (int port : first) {
            assertThat(proxy.connectionsTo(port)).as("before the join, connections to " + port).isPositive();
          }
          long joined = System.nanoTime();
          proxy.add(joining.port());
          // liveness bound: every channel is replaced within AGE * (1 + JITTER) of its last replacement,
          // and the next new connection goes to the new server; 3 s more for the new channel to connect
          // and get a call on a loaded 2-core machine
          long bound = AGE.toNanos() + (long) (AGE.toNanos() * JITTER) + Duration.ofSeconds(3).toNanos();
          while (proxy.firstCallTo(joining.port()) == null && System.nanoTime() - joined < bound) {
            Thread.sleep(50);
          }
          Long firstCall = proxy.firstCallTo(joining.port());
          Thread.sleep(AGE.toMillis());
          running.set(false);
          callers.join();

          assertThat(firstCall).as("a call reached the server that joined").isNotNull();
          assertThat(failures).as("failed calls").isEmpty();
          assertThat(failed.get()).isZero();
          assertThat(ok.get()).isPositive();
          System.out.printf("rebalance: %d calls, 0 failed; first call on the new server %d ms after it joined; calls per "
                  + "server %d/%d/%d/%d; connections %d/%d/%d/%d%n", ok.get(), (firstCall - joined) / 1_000_000,
              proxy.callsTo(first.get(0)), proxy.callsTo(first.get(1)), proxy.callsTo(first.get(2)),
              proxy.callsTo(joining.port()), proxy.connectionsTo(first.get(0)), proxy.connectionsTo(first.get(1)),
              proxy.connectionsTo(first.get(2)), proxy.connectionsTo(joining.port()));
          assertThat(registry.openChannels()).isEqualTo(3);
        }
      }
      before.assertNoNewThreads(Duration.ofSeconds(10), LeakCheck.DEFAULT_PREFIXES);
    } finally {
      started.forEach(MilvusLiteServer::close);
    }
  }
}
