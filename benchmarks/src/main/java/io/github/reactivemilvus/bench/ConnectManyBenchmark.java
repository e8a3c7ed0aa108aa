package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.config.NamedConfig;
import io.github.reactivemilvus.ReactiveConnections;
import io.milvus.v2.client.MilvusClientV2;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import reactor.core.publisher.Flux;

/**
 * Benchmark 3: connecting {@code aliases} aliases, each to its own endpoint (the loopback server
 * listens on that many ports), and waiting until all are connected.
 *
 * <ul>
 *   <li>{@code ours}: a fresh registry; {@code addConnections(Flux)} then {@code Flux.flatMap(channel,
 *       concurrency)}.
 *   <li>{@code sdk}: {@code new MilvusClientV2(config)} for each endpoint, submitted to a fixed pool of
 *       {@code concurrency} threads (started before the clock, not counted).
 * </ul>
 *
 * Besides the wall time, each invocation records the threads started during it
 * ({@code ThreadMXBean.getTotalStartedThreadCount}) and the peak of live threads above the start.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConnectManyBenchmark {
  @Param({"ours", "sdk"})
  String impl;

  @Param({"200"})
  int aliases;

  @Param({"32"})
  int concurrency;

  LoopbackMilvusServer server;
  ExecutorService sdkPool;
  final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  List<NamedConfig> configs;
  List<String> names;
  ReactiveConnections registry;
  List<MilvusClientV2> clients;
  boolean measuring;
  long startedBefore;
  int liveBefore;
  long acceptsBefore;
  long connectsBefore;
  final List<long[]> samples = new ArrayList<>(); // threads started, peak extra live, accepts, connects
  long[] cold; // the first invocation in this JVM

  @Setup(Level.Trial)
  public void setUp() {
    server = LoopbackMilvusServer.start(aliases);
    configs = new ArrayList<>(aliases);
    names = new ArrayList<>(aliases);
    for (int i = 0; i < aliases; i++) {
      String name = "alias-" + i;
      names.add(name);
      configs.add(NamedConfig.of(name, Support.ourConfig(server.ports().get(i))));
    }
    if (impl.equals("sdk")) {
      sdkPool = Executors.newFixedThreadPool(concurrency);
      ((ThreadPoolExecutor) sdkPool).prestartAllCoreThreads();
    }
  }

  @Setup(Level.Iteration)
  public void iteration(IterationParams ip) {
    measuring = ip.getType() == IterationType.MEASUREMENT;
  }

  @Setup(Level.Invocation)
  public void before() {
    // let the previous invocation's closed channels and event loops wind down
    Support.usedHeapAfterGc();
    startedBefore = threads.getTotalStartedThreadCount();
    liveBefore = threads.getThreadCount();
    threads.resetPeakThreadCount();
    acceptsBefore = server.tcpAccepts();
    connectsBefore = server.connectRpcs();
    if (impl.equals("ours")) {
      registry = ReactiveConnections.create();
    }
  }

  @Benchmark
  public Object connectAll() throws Exception {
    if (impl.equals("ours")) {
      return registry
          .addConnections(Flux.fromIterable(configs))
          .thenMany(Flux.fromIterable(names).flatMap(registry::channel, concurrency))
          .count()
          .block(Duration.ofSeconds(120));
    }
    List<Future<MilvusClientV2>> fs = new ArrayList<>(aliases);
    for (int i = 0; i < aliases; i++) {
      int port = server.ports().get(i);
      fs.add(sdkPool.submit(() -> new MilvusClientV2(Support.sdkConfig(port))));
    }
    clients = new ArrayList<>(aliases);
    for (Future<MilvusClientV2> f : fs) {
      clients.add(f.get(120, TimeUnit.SECONDS));
    }
    return clients;
  }

  @TearDown(Level.Invocation)
  public void after() throws Exception {
    long started = threads.getTotalStartedThreadCount() - startedBefore;
    long peakExtra = threads.getPeakThreadCount() - liveBefore;
    long accepts = server.tcpAccepts() - acceptsBefore;
    long connects = server.connectRpcs() - connectsBefore;
    long[] sample = {started, peakExtra, accepts, connects};
    if (cold == null) {
      cold = sample;
    }
    if (measuring) {
      samples.add(sample);
    }
    if (registry != null) {
      registry.closeGracefully().block(Duration.ofSeconds(30));
      registry = null;
    }
    if (clients != null) {
      for (MilvusClientV2 c : clients) {
        c.close();
      }
      clients = null;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    List<Long> started = new ArrayList<>();
    List<Long> peak = new ArrayList<>();
    List<Long> accepts = new ArrayList<>();
    List<Long> connects = new ArrayList<>();
    for (long[] s : samples) {
      started.add(s[0]);
      peak.add(s[1]);
      accepts.add(s[2]);
      connects.add(s[3]);
    }
    Support.record(
        "ConnectManyBenchmark",
        Support.map("impl", impl, "aliases", aliases, "concurrency", concurrency),
        Support.map(
            "coldThreadsStarted", cold == null ? -1 : cold[0],
            "coldPeakExtraLiveThreads", cold == null ? -1 : cold[1],
            "threadsStarted", started,
            "peakExtraLiveThreads", peak,
            "tcpAccepts", accepts,
            "connectRpcs", connects));
    Support.shutdown(sdkPool);
    if (server != null) {
      server.close();
    }
  }
}
