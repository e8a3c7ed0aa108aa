package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.internal.SharedChannels;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.PingRecordingProxy;
import io.github.reactivemilvus.testing.PingRecordingProxy.Ping;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Keepalive: a ping every 20 s, 5 s to answer, only while calls are open (a connection without
 * calls is never pinged: gRPC's own servers allow that once per 2 h), and the configured interval is
 * what the channel really does. grpc-java never pings more often than every 10 s, so the wire test
 * takes about 30 s of real time: keepalive runs on the transport's own timer, which virtual time
 * cannot drive.
 */
class KeepAliveDefaultsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Quieter than this before a ping: a keepalive ping (bandwidth probes follow data at once). */
  private static final Duration KEEPALIVE_QUIET = Duration.ofSeconds(1);

  @Test
  void aConfigWithoutKeepAliveKeysPingsEveryTwentySecondsWithAFiveSecondTimeout() {
    ConnectionConfig config = ConnectionConfig.fromMap(Map.of("uri", "http://127.0.0.1:19530"));
    assertThat(config.keepAlive()).isTrue();
    assertThat(config.keepAliveTime()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aCallOpenLongerThanTheIntervalIsPingedAtItWhileAnIdleConnectionAndKeepAliveFalseAreNot() {
    try (FaultServer server = FaultServer.start();
        PingRecordingProxy everyTen = PingRecordingProxy.to(server.port());
        PingRecordingProxy everyFourteen = PingRecordingProxy.to(server.port());
        PingRecordingProxy off = PingRecordingProxy.to(server.port());
        PingRecordingProxy idle = PingRecordingProxy.to(server.port());
        ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of())
            .shutdownGracePeriod(Duration.ofMillis(100)).build()) {
      registry.addConnection("ten", Map.of("uri", everyTen.uri(), "keep_alive_time", 10)).block(WAIT);
      registry.addConnection("fourteen", Map.of("uri", everyFourteen.uri(), "keep_alive_time", 14)).block(WAIT);
      registry.addConnection("off", Map.of("uri", off.uri(), "keep_alive", false, "keep_alive_time", 10)).block(WAIT);
      registry.addConnection("idle", Map.of("uri", idle.uri(), "keep_alive_time", 10)).block(WAIT);
      for (String alias : List.of("ten", "fourteen", "off", "idle")) {
        registry.channel(alias).block(WAIT);
      }
      // one call each, held open by the server, on every alias but the idle one
      server.hang(FaultServer.Method.GET_VERSION);
      List<Disposable> calls = List.of("ten", "fourteen", "off").stream()
          .map(alias -> registry.stub(alias).withDeadline(Duration.ofSeconds(60)).getVersion().subscribe(v -> { }, e -> { }))
          .toList();
      await().atMost(WAIT).until(() -> server.hanging(FaultServer.Method.GET_VERSION) == 3);

      // the first ping comes keepAliveTime after the last headers or data read (the server may have
      // sent other frames since); the second one keepAliveTime after the first one's ack
      await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100)).until(() ->
          everyTen.pingsAfterQuiet(KEEPALIVE_QUIET).size() >= 2 && everyFourteen.pingsAfterQuiet(KEEPALIVE_QUIET).size() >= 2);

      assertSecondKeepalivePingAfter(everyTen, Duration.ofSeconds(10));
      assertSecondKeepalivePingAfter(everyFourteen, Duration.ofSeconds(14));
      // By now the off alias has had a call open for 28 s and more, the idle one has been without
      // calls as long: a channel that pings either would have
      assertThat(off.pingsAfterQuiet(KEEPALIVE_QUIET)).isEmpty();
      assertThat(idle.pingsAfterQuiet(KEEPALIVE_QUIET)).isEmpty();
      assertThat(List.of(everyTen.connections(), everyFourteen.connections(), off.connections(), idle.connections()))
          .containsOnly(1);
      server.releaseAll();
      calls.forEach(Disposable::dispose);
    }
  }

  private static void assertSecondKeepalivePingAfter(PingRecordingProxy proxy, Duration interval) {
    Ping second = proxy.pingsAfterQuiet(KEEPALIVE_QUIET).get(1);
    // Never before the interval; after it, within what a loaded machine adds.
    assertThat(second.quiet()).isBetween(interval, interval.plusSeconds(2));
  }

  @Test
  void keepAliveSettingsTellPhysicalChannelsApart() {
    ConnectionConfig defaults = ConnectionConfig.builder().uri("http://127.0.0.1:19530").build();
    ConnectionConfig slower = ConnectionConfig.builder().uri("http://127.0.0.1:19530")
        .keepAliveTime(Duration.ofSeconds(30)).build();
    ConnectionConfig otherDb = ConnectionConfig.builder().uri("http://127.0.0.1:19530").dbName("db2").build();
    assertThat(SharedChannels.Key.of(slower)).isNotEqualTo(SharedChannels.Key.of(defaults));
    assertThat(SharedChannels.Key.of(otherDb)).isEqualTo(SharedChannels.Key.of(defaults));
  }
}
