package io.github.reactivemilvus.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.milvus.v2.client.MilvusClientV2;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Benchmark 4: unary GetVersion, closed loop with {@code concurrency} calls in flight all the time.
 * For each iteration a pump is started that keeps that many calls in flight until the iteration ends
 * (then it drains, outside the measured time); one JMH operation waits for the next {@value #BATCH}
 * completed calls, so the score is calls per second with no batch start/end effects. Each call's
 * latency (issue to response) goes into an HdrHistogram during measurement iterations; p50/p99/p99.9
 * are written to the extra-results file.
 *
 * <ul>
 *   <li>{@code ours}: an endless {@code Flux.generate(..).flatMap(i -> stub.getVersion(), concurrency)}.
 *   <li>{@code grpc}: raw grpc-java future stub on one plain channel (default settings, so callbacks
 *       run on grpc's shared cached thread pool); each completion issues the next call from its
 *       callback.
 *   <li>{@code grpc-direct}: the same on a channel built with {@code directExecutor()}, so callbacks run
 *       on the Netty event loop, as the registry's default callback executor does (the floor).
 *   <li>{@code sdk}: {@code MilvusClientV2.getServerVersion()} (blocking) in a loop on {@code
 *       concurrency} threads of a 256-thread pool, one shared client.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UnaryBenchmark {
  static final int BATCH = 256;
  static final String ALIAS = "unary";
  static final GetVersionRequest REQUEST = GetVersionRequest.getDefaultInstance();

  @Param({"ours", "grpc", "grpc-direct", "sdk"})
  String impl;

  @Param({"1", "64", "256"})
  int concurrency;

  LoopbackMilvusServer server;
  ReactiveConnections registry;
  MilvusStub stub;
  ManagedChannel rawChannel;
  MilvusServiceGrpc.MilvusServiceFutureStub futureStub;
  MilvusClientV2 sdkClient;
  ExecutorService sdkThreads;

  final Recorder recorder = new Recorder(3);
  final Histogram total = new Histogram(3);
  final AtomicReference<Throwable> failure = new AtomicReference<>();
  volatile boolean measuring;
  volatile boolean running;
  volatile Semaphore completed;
  volatile CountDownLatch drained;
  Disposable pump;

  @Setup(Level.Trial)
  public void setUp() {
    server = LoopbackMilvusServer.start(1);
    int port = server.port();
    switch (impl) {
      case "ours" -> {
        registry = ReactiveConnections.create();
        registry.addConnection(ALIAS, Support.ourConfig(port)).block(Duration.ofSeconds(10));
        registry.channel(ALIAS).block(Duration.ofSeconds(10));
        stub = registry.stub(ALIAS);
      }
      case "grpc" -> {
        rawChannel = NettyChannelBuilder.forAddress(LoopbackMilvusServer.HOST, port).usePlaintext().build();
        futureStub = MilvusServiceGrpc.newFutureStub(rawChannel);
      }
      case "grpc-direct" -> {
        rawChannel =
            NettyChannelBuilder.forAddress(LoopbackMilvusServer.HOST, port)
                .usePlaintext()
                .directExecutor()
                .build();
        futureStub = MilvusServiceGrpc.newFutureStub(rawChannel);
      }
      case "sdk" -> {
        sdkClient = new MilvusClientV2(Support.sdkConfig(port));
        sdkThreads = Executors.newFixedThreadPool(256);
        ((ThreadPoolExecutor) sdkThreads).prestartAllCoreThreads();
      }
      default -> throw new IllegalArgumentException(impl);
    }
  }

  @Setup(Level.Iteration)
  public void iteration(IterationParams ip) {
    measuring = ip.getType() == IterationType.MEASUREMENT;
    recorder.reset();
    completed = new Semaphore(0);
    failure.set(null);
    running = true;
    drained = new CountDownLatch(1);
    switch (impl) {
      case "ours" -> startOurs();
      case "grpc", "grpc-direct" -> startGrpc();
      default -> startSdk();
    }
  }

  @TearDown(Level.Iteration)
  public void stopAndCollect() throws InterruptedException {
    running = false;
    if (!drained.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("calls in flight did not finish");
    }
    if (pump != null) {
      pump.dispose();
      pump = null;
    }
    Histogram h = recorder.getIntervalHistogram();
    if (measuring) {
      total.add(h);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a call failed", failure.get());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    Support.record(
        "UnaryBenchmark",
        Support.map("impl", impl, "concurrency", concurrency),
        Support.map(
            "calls", total.getTotalCount(),
            "p50us", total.getValueAtPercentile(50) / 1000.0,
            "p99us", total.getValueAtPercentile(99) / 1000.0,
            "p999us", total.getValueAtPercentile(99.9) / 1000.0,
            "maxUs", total.getMaxValue() / 1000.0,
            "meanUs", total.getMean() / 1000.0,
            "serverGetVersionRpcs", server.getVersionRpcs(),
            "serverTcpAccepts", server.tcpAccepts()));
    if (registry != null) {
      registry.closeGracefully().block(Duration.ofSeconds(10));
    }
    if (rawChannel != null) {
      rawChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (sdkClient != null) {
      sdkClient.close();
    }
    Support.shutdown(sdkThreads);
    if (server != null) {
      server.close();
    }
  }

  /** Waits for the next {@value #BATCH} completed calls of the pump. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int getVersion() throws InterruptedException {
    while (!completed.tryAcquire(BATCH, 1, TimeUnit.SECONDS)) {
      if (failure.get() != null) {
        throw new IllegalStateException("a call failed", failure.get());
      }
    }
    return BATCH;
  }

  private void startOurs() {
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
                          return stub.getVersion()
                              .doOnNext(v -> recorder.recordValue(System.nanoTime() - t0));
                        }),
                concurrency)
            .subscribe(
                v -> completed.release(),
                e -> {
                  failure.compareAndSet(null, e);
                  drained.countDown();
                },
                drained::countDown);
  }

  private void startGrpc() {
    AtomicInteger chains = new AtomicInteger(concurrency);
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          if (!running) {
            if (chains.decrementAndGet() == 0) {
              drained.countDown();
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
                  completed.release();
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

  private void startSdk() {
    AtomicInteger workers = new AtomicInteger(concurrency);
    for (int t = 0; t < concurrency; t++) {
      sdkThreads.execute(
          () -> {
            try {
              while (running) {
                long t0 = System.nanoTime();
                sdkClient.getServerVersion();
                recorder.recordValue(System.nanoTime() - t0);
                completed.release();
              }
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            } finally {
              if (workers.decrementAndGet() == 0) {
                drained.countDown();
              }
            }
          });
    }
  }
}
