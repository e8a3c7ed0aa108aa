package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.ReactiveConnections;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.milvus.pool.MilvusClientV2Pool;
import io.milvus.pool.PoolConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * Benchmark 1, the hot path: getting a ready channel (client) for an alias that is already connected.
 *
 * <ul>
 *   <li>{@code ours_subscribe}: {@code registry.channel(alias).subscribe(s)} with a tiny {@link
 *       CoreSubscriber}, timed from the call until its {@code onNext} has run (busy-waiting if the
 *       value were delivered on another thread).
 *   <li>{@code ours_block}: {@code registry.channel(alias).block()}.
 *   <li>{@code sdk_pool}: {@code MilvusClientV2Pool.getClient(key)} + {@code returnClient(key, c)}.
 *   <li>{@code floor_map}: {@code ConcurrentHashMap.get(alias)}.
 *   <li>{@code floor_just} (diagnostic): a cached {@code Mono.just(channel)} subscribed by the same
 *       subscriber: what Reactor itself costs for a ready value.
 * </ul>
 *
 * Threads are set with JMH's {@code -t} (run.sh runs 1 and 2).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HotPathBenchmark {
  static final String ALIAS = "hot";

  LoopbackMilvusServer server;
  ReactiveConnections registry;
  MilvusClientV2Pool pool;
  ManagedChannel rawChannel;
  final ConcurrentHashMap<String, ManagedChannel> map = new ConcurrentHashMap<>();
  Mono<ManagedChannel> just;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) throws Exception {
    server = LoopbackMilvusServer.start(1);
    int port = server.port();
    // set up only what the benchmark method uses, so that no idle peer shares the CPU
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    if (method.startsWith("ours")) {
      registry = ReactiveConnections.create();
      registry.addConnection(ALIAS, Support.ourConfig(port)).block(Duration.ofSeconds(10));
      registry.channel(ALIAS).block(Duration.ofSeconds(10));
    } else if (method.startsWith("sdk")) {
      setUpPool(port);
    } else {
      rawChannel = NettyChannelBuilder.forAddress(LoopbackMilvusServer.HOST, port).usePlaintext().build();
      map.put(ALIAS, rawChannel);
      just = Mono.just(rawChannel);
      for (int i = 0; i < 64; i++) {
        map.put("other-" + i, rawChannel);
      }
    }
  }

  private void setUpPool(int port) throws Exception {
    PoolConfig pc =
        PoolConfig.builder()
            .minIdlePerKey(0)
            .maxIdlePerKey(4)
            .maxTotalPerKey(4)
            .maxTotal(4)
            .maxBlockWaitDuration(Duration.ofSeconds(5))
            .testOnBorrow(false)
            .testOnReturn(false)
            .build();
    pool = new MilvusClientV2Pool(pc, Support.sdkConfig(port));
    // warm the pool: the clients are made (and connected) before measuring, never during
    MilvusClientV2 a = pool.getClient(ALIAS);
    MilvusClientV2 b = pool.getClient(ALIAS);
    pool.returnClient(ALIAS, a);
    pool.returnClient(ALIAS, b);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    Support.record(
        "HotPathBenchmark",
        Support.map(),
        Support.map(
            "serverTcpAccepts", server.tcpAccepts(),
            "serverConnectRpcs", server.connectRpcs(),
            "otherMethods", server.otherMethods().toString()));
    if (pool != null) {
      pool.close();
    }
    if (registry != null) {
      registry.closeGracefully().block(Duration.ofSeconds(10));
    }
    if (rawChannel != null) {
      rawChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  /** A minimal subscriber, one per JMH thread. */
  @State(Scope.Thread)
  public static class Receiver implements CoreSubscriber<ManagedChannel> {
    volatile ManagedChannel value;
    volatile Throwable error;

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ManagedChannel channel) {
      value = channel;
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onComplete() {}

    ManagedChannel await() {
      ManagedChannel v;
      while ((v = value) == null) {
        if (error != null) {
          throw new IllegalStateException(error);
        }
        Thread.onSpinWait();
      }
      return v;
    }
  }

  @Benchmark
  public ManagedChannel ours_subscribe(Receiver r) {
    r.value = null;
    registry.channel(ALIAS).subscribe(r);
    return r.await();
  }

  @Benchmark
  public ManagedChannel ours_block() {
    return registry.channel(ALIAS).block();
  }

  @Benchmark
  public MilvusClientV2 sdk_pool() {
    MilvusClientV2 c = pool.getClient(ALIAS);
    pool.returnClient(ALIAS, c);
    return c;
  }

  /** Diagnostic: Reactor's own cost of a ready value (a cached {@code Mono.just}, subscribed). */
  @Benchmark
  public ManagedChannel floor_just(Receiver r) {
    r.value = null;
    just.subscribe(r);
    return r.await();
  }

  @Benchmark
  public ManagedChannel floor_map() {
    return map.get(ALIAS);
  }
}
