package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.internal.UnaryCalls;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;

/**
 * A closed-loop GetVersion load of one client implementation: {@link #start} keeps {@code
 * concurrency} calls in flight until {@link #stop}, recording each call's latency and calling {@code
 * onComplete} per response.
 *
 * <ul>
 *   <li>{@code ours}: an endless {@code Flux.generate(..).flatMap(i -> stub.getVersion(), N)}.
 *   <li>{@code grpc}: raw grpc-java future stub on one plain channel (default executor: callbacks run
 *       on grpc's cached thread pool); N chains, each response callback issues the next call.
 *   <li>{@code grpc-direct}: the same on a channel built with {@code directExecutor()} (callbacks on
 *       the event loop, as the registry does by default).
 *   <li>{@code ours-chains}: a diagnostic: the same stub calls as {@code ours}, but as N chains like
 *       the grpc loads (each response's callback subscribes the next call), without {@code flatMap}.
 *   <li>{@code ours-raw}: a diagnostic: {@code flatMap} over the library's bare {@code ClientCall} bridge
 *       ({@code UnaryCalls.call}) on the registry's channel: the stub's own cost is {@code ours} against it.
 *   <li>{@code grpc-flatmap}: a diagnostic: the same bridge and {@code flatMap} on the {@code grpc-direct}
 *       channel: the cost of driving calls with {@code flatMap} is {@code grpc-direct} against it.
 *   <li>{@code ours-channel}: a diagnostic: the grpc future-stub load on the registry's channel
 *       ({@code registry.channel(alias)}), to split the registry's overhead into channel (limits,
 *       headers, deadline) and stub (Reactor, retry) parts.
 *   <li>{@code sdk}: {@code MilvusClientV2.getServerVersion()} (blocking) in a loop on N threads of a
 *       256-thread pool, one shared client.
 * </ul>
 */
final class UnaryLoad implements AutoCloseable, PairedRounds.Load {
  static final String ALIAS = "unary";
  static final GetVersionRequest REQUEST = GetVersionRequest.getDefaultInstance();

  final String impl;
  private ReactiveConnections registry;
  private MilvusStub stub;
  private ManagedChannel rawChannel;
  private MilvusServiceGrpc.MilvusServiceFutureStub futureStub;
  private MilvusClientV2 sdkClient;
  private ExecutorService sdkThreads;

  private final ClosedLoop loop;

  UnaryLoad(String impl, int port) {
    this.impl = impl;
    this.loop = new ClosedLoop(impl);
    switch (impl) {
      case "ours" -> {
        registry = ReactiveConnections.create();
        registry.addConnection(ALIAS, Support.ourConfig(port)).block(Duration.ofSeconds(10));
        registry.channel(ALIAS).block(Duration.ofSeconds(10));
        stub = registry.stub(ALIAS);
      }
      case "ours-chains" -> {
        registry = ReactiveConnections.create();
        registry.addConnection(ALIAS, Support.ourConfig(port)).block(Duration.ofSeconds(10));
        registry.channel(ALIAS).block(Duration.ofSeconds(10));
        stub = registry.stub(ALIAS);
      }
      case "ours-raw" -> {
        registry = ReactiveConnections.create();
        registry.addConnection(ALIAS, Support.ourConfig(port)).block(Duration.ofSeconds(10));
        rawChannel = registry.channel(ALIAS).block(Duration.ofSeconds(10));
      }
      case "grpc-flatmap" -> {
        rawChannel = directChannel(port);
      }
      case "ours-channel" -> {
        registry = ReactiveConnections.create();
        registry.addConnection(ALIAS, Support.ourConfig(port)).block(Duration.ofSeconds(10));
        futureStub = MilvusServiceGrpc.newFutureStub(registry.channel(ALIAS).block(Duration.ofSeconds(10)));
      }
      case "grpc" -> {
        rawChannel = NettyChannelBuilder.forAddress(LoopbackMilvusServer.HOST, port).usePlaintext().build();
        futureStub = MilvusServiceGrpc.newFutureStub(rawChannel);
      }
      case "grpc-direct" -> {
        rawChannel = directChannel(port);
        futureStub = MilvusServiceGrpc.newFutureStub(rawChannel);
      }
      case "sdk" -> {
        sdkClient = new MilvusClientV2(Support.sdkConfig(port));
        sdkThreads = Executors.newFixedThreadPool(256);
        ((ThreadPoolExecutor) sdkThreads).prestartAllCoreThreads();
      }
      default -> throw new IllegalArgumentException("unknown impl " + impl);
    }
  }

  /** grpc-java's own channel with callbacks on the event loop, as the registry's channels have them. */
  private static ManagedChannel directChannel(int port) {
    return NettyChannelBuilder.forAddress(LoopbackMilvusServer.HOST, port).usePlaintext().directExecutor().build();
  }

  Throwable failure() {
    return loop.failure();
  }

  @Override
  public void start(int concurrency, Recorder recorder, Runnable onComplete) {
    switch (impl) {
      case "ours" -> loop.flatMap(concurrency, recorder, onComplete, stub::getVersion);
      case "ours-raw", "grpc-flatmap" -> loop.flatMap(concurrency, recorder, onComplete,
          () -> UnaryCalls.call(rawChannel, MilvusServiceGrpc.getGetVersionMethod(), REQUEST, CallOptions.DEFAULT));
      case "ours-chains" -> loop.chains(concurrency, recorder, onComplete,
          done -> stub.getVersion().subscribe(v -> done.accept(null), done::accept));
      case "grpc", "grpc-direct", "ours-channel" -> loop.chains(concurrency, recorder, onComplete,
          done -> ClosedLoop.whenDone(futureStub.getVersion(REQUEST), r -> { }, done));
      default -> loop.threads(sdkThreads, concurrency, recorder, onComplete, sdkClient::getServerVersion);
    }
  }

  /** Stops issuing calls and waits for the ones in flight. */
  @Override
  public void stop() throws InterruptedException {
    loop.stop();
  }

  @Override
  public void close() throws InterruptedException {
    if (registry != null) {
      registry.closeGracefully().block(Duration.ofSeconds(10));
    }
    if (rawChannel != null && registry == null) {
      rawChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (sdkClient != null) {
      sdkClient.close();
    }
    Support.shutdown(sdkThreads);
  }
}
