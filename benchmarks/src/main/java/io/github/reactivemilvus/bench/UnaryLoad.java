package io.github.reactivemilvus.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.internal.UnaryCalls;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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

  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running;
  private volatile CountDownLatch drained;
  private Disposable pump;

  UnaryLoad(String impl, int port) {
    this.impl = impl;
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
    return failure.get();
  }

  @Override
  public void start(int concurrency, Recorder recorder, Runnable onComplete) {
    failure.set(null);
    running = true;
    drained = new CountDownLatch(1);
    switch (impl) {
      case "ours" -> startFlatMap(concurrency, recorder, onComplete, stub::getVersion);
      case "ours-raw", "grpc-flatmap" -> startFlatMap(concurrency, recorder, onComplete,
          () -> UnaryCalls.call(rawChannel, MilvusServiceGrpc.getGetVersionMethod(), REQUEST, CallOptions.DEFAULT));
      case "ours-chains" -> startOurChains(concurrency, recorder, onComplete);
      case "grpc", "grpc-direct", "ours-channel" -> startGrpc(concurrency, recorder, onComplete);
      default -> startSdk(concurrency, recorder, onComplete);
    }
  }

  /** Stops issuing calls and waits for the ones in flight. */
  @Override
  public void stop() throws InterruptedException {
    running = false;
    if (!drained.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(impl + ": calls in flight did not finish");
    }
    if (pump != null) {
      pump.dispose();
      pump = null;
    }
    if (failure.get() != null) {
      throw new IllegalStateException(impl + ": a call failed", failure.get());
    }
  }

  private void startFlatMap(int concurrency, Recorder recorder, Runnable onComplete, Supplier<Mono<?>> call) {
    CountDownLatch done = drained;
    pump =
        Flux.<Integer>generate(
                sink -> {
                  if (running) {
                    sink.next(0);
                  } else {
                    sink.complete();
                  }
                })
            .flatMap(
                i ->
                    Mono.defer(
                        () -> {
                          long t0 = System.nanoTime();
                          return call.get()
                              .doOnNext(v -> recorder.recordValue(System.nanoTime() - t0));
                        }),
                concurrency)
            .subscribe(
                v -> onComplete.run(),
                e -> {
                  failure.compareAndSet(null, e);
                  done.countDown();
                },
                done::countDown);
  }

  private void startOurChains(int concurrency, Recorder recorder, Runnable onComplete) {
    CountDownLatch done = drained;
    AtomicInteger chains = new AtomicInteger(concurrency);
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          if (!running) {
            if (chains.decrementAndGet() == 0) {
              done.countDown();
            }
            return;
          }
          long t0 = System.nanoTime();
          stub.getVersion()
              .subscribe(
                  v -> {
                    recorder.recordValue(System.nanoTime() - t0);
                    onComplete.run();
                    next[0].run();
                  },
                  e -> {
                    failure.compareAndSet(null, e);
                    next[0].run();
                  });
        };
    for (int i = 0; i < concurrency; i++) {
      next[0].run();
    }
  }

  private void startGrpc(int concurrency, Recorder recorder, Runnable onComplete) {
    CountDownLatch done = drained;
    AtomicInteger chains = new AtomicInteger(concurrency);
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          if (!running) {
            if (chains.decrementAndGet() == 0) {
              done.countDown();
            }
            return;
          }
          long t0 = System.nanoTime();
          Futures.addCallback(
              futureStub.getVersion(REQUEST),
              new FutureCallback<GetVersionResponse>() {
                @Override
                public void onSuccess(GetVersionResponse r) {
                  recorder.recordValue(System.nanoTime() - t0);
                  onComplete.run();
                  next[0].run();
                }

                @Override
                public void onFailure(Throwable t) {
                  failure.compareAndSet(null, t);
                  next[0].run();
                }
              },
              MoreExecutors.directExecutor());
        };
    for (int i = 0; i < concurrency; i++) {
      next[0].run();
    }
  }

  private void startSdk(int concurrency, Recorder recorder, Runnable onComplete) {
    CountDownLatch done = drained;
    AtomicInteger workers = new AtomicInteger(concurrency);
    for (int t = 0; t < concurrency; t++) {
      sdkThreads.execute(
          () -> {
            try {
              while (running) {
                long t0 = System.nanoTime();
                sdkClient.getServerVersion();
                recorder.recordValue(System.nanoTime() - t0);
                onComplete.run();
              }
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            } finally {
              if (workers.decrementAndGet() == 0) {
                done.countDown();
              }
            }
          });
    }
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
