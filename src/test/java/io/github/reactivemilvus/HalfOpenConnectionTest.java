package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.testing.BlackholeProxy;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;

/**
 * Half-open connections against a real Milvus Lite: a proxy between client and server stops
 * forwarding in both directions without closing anything (a blackhole), so nothing but keepalive can
 * tell the connection is gone.
 *
 * <p>The bound: grpc-java pings when a call is open and nothing was read for {@code keep_alive_time}
 * (at once, when a call starts on a transport that has been quiet that long) and closes the
 * transport when no ack comes within {@code keep_alive_timeout}; the calls on it fail UNAVAILABLE,
 * {@link FailureKind#UNREACHABLE}. So a call in flight fails at most {@code keep_alive_time +
 * keep_alive_timeout} after the last bytes read (25 s with the defaults, before the 30 s
 * {@code call_timeout}), or {@code call_timeout} if that comes first; a call started on a connection
 * quiet for longer than {@code keep_alive_time} fails within {@code keep_alive_timeout}. The asserted
 * bounds add 5 s for a loaded machine: liveness bounds, not timing measurements. Retries are off on
 * these aliases so that the first attempt's failure is what the caller sees. Real time: keepalive runs
 * on the transport's own timer, which virtual time cannot drive (about a minute for the class).
 */
@ExtendWith(MilvusLiteExtension.class)
class HalfOpenConnectionTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration SLACK = Duration.ofSeconds(5);

  private record Outcome(long atNanos, Throwable error) {}

  @Test
  void callsInFlightOnABlackholedPathFailUnreachableWithinKeepAliveTimePlusTimeoutAndTheAliasComesBackWhenItHeals(
      MilvusLiteServer server) {
    try (BlackholeProxy proxy = BlackholeProxy.to(server.port());
        ReactiveConnections registry = registry()) {
      List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
      Disposable watching = registry.events().subscribe(events::add);
      registry.addConnection("half", config(proxy, Map.of("keep_alive_time", 10, "keep_alive_timeout", 1))).block(WAIT);
      MilvusStub stub = registry.stub("half");
      assertThat(stub.getVersion().block(WAIT)).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
      long lastRead = System.nanoTime();

      proxy.blackhole();
      List<Outcome> outcomes = callAndWait(stub, 3);

      Duration bound = Duration.ofSeconds(10 + 1).plus(SLACK);
      report("in flight, keep_alive_time 10 s + keep_alive_timeout 1 s, after the last read", outcomes, lastRead);
      for (Outcome o : outcomes) {
        assertUnreachable(o);
        assertThat(Duration.ofNanos(o.atNanos() - lastRead)).isLessThan(bound);
      }

      proxy.heal();
      assertThat(stub.getVersion().block(WAIT)).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
      await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.type() == ConnectionEvent.Type.RECONNECTED));
      assertThat(registry.hasConnection("half")).isTrue();
      watching.dispose();
    }
  }

  @Test
  void aCallStartedOnAConnectionQuietForLongerThanKeepAliveTimeFailsWithinTheKeepAliveTimeout(MilvusLiteServer server)
      throws InterruptedException {
    try (BlackholeProxy proxy = BlackholeProxy.to(server.port());
        ReactiveConnections registry = registry()) {
      registry.addConnection("quiet", config(proxy, Map.of("keep_alive_time", 10, "keep_alive_timeout", 1))).block(WAIT);
      MilvusStub stub = registry.stub("quiet");
      assertThat(stub.getVersion().block(WAIT)).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
      TimeUnit.SECONDS.sleep(11); // the transport is idle (no pings without calls) for longer than keep_alive_time

      proxy.blackhole();
      long start = System.nanoTime();
      List<Outcome> outcomes = callAndWait(stub, 2);

      report("started on a quiet transport, keep_alive_timeout 1 s, after the start", outcomes, start);
      for (Outcome o : outcomes) {
        assertUnreachable(o);
        assertThat(Duration.ofNanos(o.atNanos() - start)).isLessThan(Duration.ofSeconds(1).plus(SLACK));
      }
      proxy.heal();
      assertThat(stub.getVersion().block(WAIT)).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
    }
  }

  @Test
  void withTheDefaultKeepAliveACallInFlightOnABlackholedPathFailsUnreachableBeforeItsCallTimeout(MilvusLiteServer server) {
    try (BlackholeProxy proxy = BlackholeProxy.to(server.port());
        ReactiveConnections registry = registry()) {
      registry.addConnection("defaults", config(proxy, Map.of())).block(WAIT);
      MilvusStub stub = registry.stub("defaults");
      assertThat(stub.getVersion().block(WAIT)).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
      long lastRead = System.nanoTime();

      proxy.blackhole();
      List<Outcome> outcomes = callAndWait(stub, 1);

      // 20 s + 5 s by default, inside the 30 s call_timeout: the failure is keepalive's (UNREACHABLE), not the
      // deadline's; the slack is not needed to tell them apart
      Duration bound = ConnectionConfig.DEFAULT_KEEP_ALIVE_TIME.plus(ConnectionConfig.DEFAULT_KEEP_ALIVE_TIMEOUT);
      assertThat(bound).isLessThan(ConnectionConfig.DEFAULT_CALL_TIMEOUT);
      bound = bound.plus(SLACK);
      report("in flight, default keepalive, after the last read", outcomes, lastRead);
      assertUnreachable(outcomes.get(0));
      assertThat(Duration.ofNanos(outcomes.get(0).atNanos() - lastRead)).isLessThan(bound);
      proxy.heal();
      assertThat(stub.getVersion().block(WAIT)).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
    }
  }

  private static ReactiveConnections registry() {
    return ReactiveConnections.builder().environment(Map.of()).shutdownGracePeriod(Duration.ofMillis(100)).build();
  }

  private static Map<String, Object> config(BlackholeProxy proxy, Map<String, Object> keepAlive) {
    Map<String, Object> config = new HashMap<>(keepAlive);
    config.put("uri", proxy.uri());
    config.put("retry_max_retries", 0);
    return config;
  }

  /** Starts {@code n} calls and waits until each failed or succeeded, with when. */
  private static List<Outcome> callAndWait(MilvusStub stub, int n) {
    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    IntStream.range(0, n).forEach(i -> stub.getVersion().subscribe(
        v -> outcomes.add(new Outcome(System.nanoTime(), null)),
        e -> outcomes.add(new Outcome(System.nanoTime(), e))));
    await().atMost(WAIT).until(() -> outcomes.size() == n);
    return List.copyOf(outcomes);
  }

  private static void report(String what, List<Outcome> outcomes, long from) {
    System.out.println("half-open " + what + ": failed after " + outcomes.stream()
        .map(o -> TimeUnit.NANOSECONDS.toMillis(o.atNanos() - from) + " ms").toList());
  }

  private static void assertUnreachable(Outcome o) {
    assertThat(o.error()).as("a call on a blackholed path").isInstanceOf(MilvusConnectionException.class);
    assertThat(((MilvusConnectionException) o.error()).kind()).as(String.valueOf(o.error())).isEqualTo(FailureKind.UNREACHABLE);
  }
}
