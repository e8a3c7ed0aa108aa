package io.github.reactivemilvus;

import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.ChannelGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Physical channel pools: least-outstanding spreading, sharing between aliases, per-alias headers. */
class PoolingTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final Map<SocketAddress, Integer> versionCallsByPeer = new ConcurrentHashMap<>();
  private FaultServer server;
  private ReactiveConnections registry;

  @BeforeEach
  void setUp() {
    server = FaultServer.builder().databases("db2").interceptor(new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getFullMethodName().equals(Method.GET_VERSION.fullMethodName())) {
          versionCallsByPeer.merge(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), 1, Integer::sum);
        }
        return next.startCall(call, headers);
      }
    }).start();
    registry = ReactiveConnections.builder().environment(Map.of())
        .shutdownGracePeriod(Duration.ofMillis(200)).build();
  }

  @AfterEach
  void tearDown() {
    server.releaseAll();
    registry.close();
    server.close();
  }

  private void add(String alias, Map<String, ?> extra) {
    Map<String, Object> config = new java.util.HashMap<>(extra);
    config.put("uri", server.uri());
    registry.addConnection(alias, config).block(WAIT);
  }

  private ChannelGroup group(String alias) {
    return registry.entry(alias).current().group();
  }

  @Test
  void concurrentCallsSpreadEvenlyOverThePoolsThreePhysicalChannels() {
    add("p", Map.of("pool_size", 3));
    registry.channel("p").block(WAIT);
    assertThat(registry.openChannels()).isEqualTo(3);
    server.hang(Method.GET_VERSION);

    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      calls.add(registry.stub("p").getVersion().toFuture());
    }
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 9);

    ChannelGroup group = group("p");
    assertThat(IntStream.range(0, 3).map(group::outstandingOn)).containsExactly(3, 3, 3);
    // three HTTP/2 connections seen from the server, three calls on each
    assertThat(versionCallsByPeer).hasSize(3).allSatisfy((peer, n) -> assertThat(n).isEqualTo(3));

    server.release(Method.GET_VERSION);
    calls.forEach(c -> assertThat(c.join()).isEqualTo(FaultServer.VERSION));
    await().atMost(WAIT).until(() -> IntStream.range(0, 3).allMatch(i -> group.outstandingOn(i) == 0));
  }

  @Test
  void aNewCallGoesToTheChannelWithTheFewestOutstandingCalls() {
    add("p", Map.of("pool_size", 3));
    registry.channel("p").block(WAIT);
    server.hang(Method.GET_VERSION);
    List<Disposable> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(registry.stub("p").getVersion().subscribe(v -> { }, e -> { }));
    }
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 3);
    ChannelGroup group = group("p");
    assertThat(IntStream.range(0, 3).map(group::outstandingOn)).containsExactly(1, 1, 1);

    // the call on the second channel ends: the next call goes there, not to the first
    calls.get(1).dispose();
    await().atMost(WAIT).until(() -> group.outstandingOn(1) == 0);
    calls.add(registry.stub("p").getVersion().subscribe(v -> { }, e -> { }));
    assertThat(IntStream.range(0, 3).map(group::outstandingOn)).containsExactly(1, 1, 1);
    calls.add(registry.stub("p").getVersion().subscribe(v -> { }, e -> { }));
    assertThat(IntStream.range(0, 3).map(group::outstandingOn)).containsExactly(2, 1, 1);
    calls.forEach(Disposable::dispose);
    await().atMost(WAIT).until(() -> IntStream.range(0, 3).allMatch(i -> group.outstandingOn(i) == 0));
  }

  @Test
  void aliasesDifferingOnlyInDatabaseShareOneGroupAndEachCallCarriesItsOwnDbname() {
    add("x", Map.of("db_name", "default"));
    add("y", Map.of("db_name", "db2"));
    registry.channel("x").block(WAIT);
    registry.channel("y").block(WAIT);
    assertThat(group("x")).isSameAs(group("y"));
    assertThat(registry.openChannels()).isEqualTo(1);

    server.reset();
    Flux.range(0, 40)
        .flatMap(i -> registry.stub(i % 2 == 0 ? "x" : "y").showCollections(), 40)
        .then()
        .block(WAIT);

    List<String> dbnames = server.headers(Method.SHOW_COLLECTIONS).stream()
        .map(h -> h.get(AliasChannel.DBNAME)).toList();
    assertThat(dbnames).hasSize(40);
    assertThat(dbnames.stream().filter("default"::equals).count()).isEqualTo(20);
    assertThat(dbnames.stream().filter("db2"::equals).count()).isEqualTo(20);
    // one call each, in turn: the header follows the alias, not the shared channel
    registry.stub("y").getVersion().block(WAIT);
    assertThat(server.lastHeaders(Method.GET_VERSION).get(AliasChannel.DBNAME)).isEqualTo("db2");
    registry.stub("x").getVersion().block(WAIT);
    assertThat(server.lastHeaders(Method.GET_VERSION).get(AliasChannel.DBNAME)).isEqualTo("default");
  }

  @Test
  void disconnectingOneAliasLeavesCallsInFlightOnTheOtherAliasWorking() {
    add("x", Map.of("db_name", "default"));
    add("y", Map.of("db_name", "db2"));
    registry.channel("x").block(WAIT);
    registry.channel("y").block(WAIT);
    server.hang(Method.GET_VERSION);

    List<CompletableFuture<String>> onY = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      onY.add(registry.stub("y").getVersion().toFuture());
    }
    CompletableFuture<String> onX = registry.stub("x").getVersion().toFuture();
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 5);

    // x's hanging call is cancelled after the grace period; y's calls on the same connection are not
    registry.disconnect("x").block(WAIT);
    await().atMost(WAIT).until(onX::isDone);
    assertThat(onX).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOfSatisfying(MilvusConnectionException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.CLOSED);
          assertThat(e.alias()).isEqualTo("x");
        });
    assertThat(registry.hasConnection("x")).isFalse();
    assertThat(registry.hasConnection("y")).isTrue();
    assertThat(registry.openChannels()).isEqualTo(1);
    await().atMost(WAIT).until(() -> server.cancellations(Method.GET_VERSION) == 1);

    server.release(Method.GET_VERSION);
    onY.forEach(c -> assertThat(c.join()).isEqualTo(FaultServer.VERSION));
    StepVerifier.create(registry.stub("y").getVersion()).expectNext(FaultServer.VERSION).verifyComplete();
    // and removing y last releases the physical channel
    registry.removeConnection("y").block(WAIT);
    assertThat(registry.openChannels()).isZero();
  }
}
