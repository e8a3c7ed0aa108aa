package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.BlackholeProxy;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;

/**
 * The default keepalive against a real Milvus Lite (a Python grpcio server with gRPC's default
 * ping policy: no more than one ping per 5 minutes while it sends nothing, one per 2 hours without
 * calls, GOAWAY {@code too_many_pings} after the third ping too early): the connection is never
 * told to go away, neither idle nor under light load with gaps longer than the keepalive interval.
 *
 * <p>Both run at once for {@code keepalive.soak.seconds} (surefire: 90 s; the old default
 * of a ping every 10 s also without calls was sent away after 38 s; {@code scripts/run-keepalive-soak}
 * runs 600 s). Real time: the pings run on the transport's own timer, which virtual time cannot drive.
 * A GOAWAY is seen on the wire by a proxy between client and server, a reconnect as a second TCP
 * connection and a {@code RECONNECTED} event. Tagged {@code keepalive-soak}: {@code .ci/run} leaves
 * it out of the main build because it runs the 600 s soak beside it.
 */
@Tag("keepalive-soak")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeepAliveSoakTest {
  private static final Duration PHASE = Duration.ofSeconds(Long.getLong("keepalive.soak.seconds", 90));
  private static final Duration WAIT = Duration.ofSeconds(30);

  private MilvusLiteServer server;

  @BeforeAll
  void startServer() {
    server = MilvusLiteServer.start();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** Both at once (each on its own connection), so that the long run takes one phase, not two. */
  @Test
  void neitherAnIdleAliasNorOneUnderLightLoadWithLongGapsIsSentAwayForPingingTooOften() throws Exception {
    CompletableFuture<String> idle = CompletableFuture.supplyAsync(() -> soak(false), r -> new Thread(r, "soak-idle").start());
    String loaded = soak(true);
    assertThat(idle.get()).isNotEmpty();
    assertThat(loaded).isNotEmpty();
  }

  /** Runs one phase and asserts: no GOAWAY, one connection, no RECONNECTED. Returns what it saw. */
  private String soak(boolean load) {
    List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
    try (BlackholeProxy proxy = BlackholeProxy.to(server.port());
        ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of())
            .shutdownGracePeriod(Duration.ofMillis(100)).build()) {
      Disposable watching = registry.events().subscribe(events::add);
      registry.addConnection("soak", Map.of("uri", proxy.uri())).block(WAIT);
      MilvusStub stub = registry.stub("soak");
      assertThat(stub.getVersion().block(WAIT)).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
      long start = System.nanoTime();
      long end = start + PHASE.toNanos();
      int calls = 0;
      while (System.nanoTime() < end && proxy.goAways().isEmpty()) {
        if (load) {
          // 3 calls a second for 20 s, then 25 s without calls: longer than the keepalive interval,
          // so the next call finds the transport quiet and starts with a ping
          long burstEnd = Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
          while (System.nanoTime() < burstEnd) {
            assertThat(stub.getVersion().block(WAIT)).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
            calls++;
            sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(330));
          }
          sleepUntil(Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(25)));
        } else {
          sleepUntil(Math.min(end, System.nanoTime() + TimeUnit.SECONDS.toNanos(1)));
        }
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      String summary = (load ? "under load (" + calls + " calls)" : "idle") + " for " + seconds + " s: goaways "
          + proxy.goAways().stream().map(g -> TimeUnit.NANOSECONDS.toSeconds(g.atNanos() - start) + " s " + g).toList()
          + ", connections " + proxy.connections() + ", events " + events;
      System.out.println("keepalive soak " + summary);
      watching.dispose();

      assertThat(proxy.goAways()).as(summary).isEmpty();
      assertThat(proxy.connections()).as(summary).isEqualTo(1);
      assertThat(events).as(summary).noneMatch(e -> e.type() == ConnectionEvent.Type.RECONNECTED);
      assertThat(stub.getVersion().block(WAIT)).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
      return summary;
    }
  }

  private static void sleepUntil(long nanoTime) {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
