package io.github.reactivemilvus;

import io.github.reactivemilvus.config.NamedConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.testing.LeakCheck;
import io.grpc.ManagedChannel;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.resources.LoopResources;
import reactor.test.StepVerifier;

/** close() releases what the registry created, on success and error paths, and nothing it borrowed. */
class RegistryCloseTest {
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
  void closeLeavesNoThreadEventLoopOrChannelBehind() {
    LeakCheck before = LeakCheck.snapshot();
    ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnections(Flux.range(0, 3).map(i -> NamedConfig.of("a" + i,
        Map.of("uri", server.uri(), "db_name", "default", "pool_size", 2)))).block(WAIT);
    registry.addConnection("down", Map.of("address", "127.0.0.1:" + FreePorts.closedPort(), "timeout", 1)).block(WAIT);
    ManagedChannel channel = registry.channel("a0").block(WAIT);
    for (int i = 0; i < 3; i++) {
      assertThat(registry.stub("a" + i).getVersion().block(WAIT)).isEqualTo(FaultServer.VERSION);
    }
    StepVerifier.create(registry.channel("down")).expectError(MilvusConnectionException.class).verify(WAIT);
    assertThat(registry.openChannels()).isEqualTo(2);

    registry.close();

    assertThat(registry.openChannels()).isZero();
    assertThat(channel.isShutdown()).isTrue();
    assertThat(channel.isTerminated()).isTrue();
    before.assertNoNewThreads(Duration.ofSeconds(10), "milvus-conn");
    StepVerifier.create(registry.channel("a0"))
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).kind()).isEqualTo(FailureKind.CLOSED))
        .verify(WAIT);
  }

  @Test
  void closeLetsACallInFlightFinishWithinTheGracePeriod() {
    server.delay(FaultServer.Method.GET_VERSION, Duration.ofMillis(300));
    ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
    registry.channel("a").block(WAIT);
    var version = registry.stub("a").getVersion().toFuture();
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> server.calls(FaultServer.Method.GET_VERSION) == 1);
    registry.close();
    assertThat(version).isCompletedWithValue(FaultServer.VERSION);
  }

  @Test
  void aBorrowedEventLoopGroupIsNotShutDown() throws Exception {
    MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of())
          .eventLoopGroup(group, NioSocketChannel.class).build();
      registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
      assertThat(registry.stub("a").getVersion().block(WAIT)).isEqualTo(FaultServer.VERSION);
      registry.close();
      assertThat(group.isShuttingDown()).isFalse();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void reactorNettyLoopResourcesAreSharedAndLeftOpen() {
    LoopResources loops = LoopResources.create("shared-loops", 1, true);
    try {
      ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).loopResources(loops).build();
      registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
      assertThat(registry.stub("a").getVersion().block(WAIT)).isEqualTo(FaultServer.VERSION);
      registry.close();
      assertThat(loops.isDisposed()).isFalse();
    } finally {
      loops.disposeLater().block(WAIT);
    }
  }

  @Test
  void removeConnectionForgetsTheConfigAndReleasesTheChannel() {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
      registry.channel("a").block(WAIT);
      registry.removeConnection("a").block(WAIT);
      assertThat(registry.getConnectionAddr("a")).isEmpty();
      assertThat(registry.openChannels()).isZero();
      registry.removeConnection("never-added").block(WAIT);
      registry.disconnect("never-added").block(WAIT);
    }
  }
}
