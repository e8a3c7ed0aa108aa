package io.github.reactivemilvus.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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

/**
 * Benchmark 4: unary GetVersion, closed loop with {@code concurrency} calls in flight all the time
 * (see {@link UnaryLoad} for the four implementations). For each iteration the load is started and
 * kept running until the iteration ends (then it drains, outside the measured time); one JMH
 * operation waits for the next {@value #BATCH} completed calls, so the score is calls per second with
 * no batch start/end effects. Each call's latency (issue to response) goes into an HdrHistogram during
 * measurement iterations; p50/p99/p99.9 are written to the extra-results file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UnaryBenchmark {
  static final int BATCH = 256;

  @Param({"ours", "grpc", "grpc-direct", "sdk"})
  String impl;

  @Param({"1", "64", "256"})
  int concurrency;

  LoopbackMilvusServer server;
  UnaryLoad load;

  final Recorder recorder = new Recorder(3);
  final Histogram total = new Histogram(3);
  volatile boolean measuring;
  volatile Semaphore completed;

  @Setup(Level.Trial)
  public void setUp() {
    server = LoopbackMilvusServer.start(1);
    load = new UnaryLoad(impl, server.port());
  }

  @Setup(Level.Iteration)
  public void iteration(IterationParams ip) {
    measuring = ip.getType() == IterationType.MEASUREMENT;
    recorder.reset();
    Semaphore s = new Semaphore(0);
    completed = s;
    load.start(concurrency, recorder, s::release);
  }

  @TearDown(Level.Iteration)
  public void stopAndCollect() throws InterruptedException {
    load.stop();
    Histogram h = recorder.getIntervalHistogram();
    if (measuring) {
      total.add(h);
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
    if (load != null) {
      load.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Waits for the next {@value #BATCH} completed calls of the load. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int getVersion() throws InterruptedException {
    while (!completed.tryAcquire(BATCH, 1, TimeUnit.SECONDS)) {
      if (load.failure() != null) {
        throw new IllegalStateException("a call failed", load.failure());
      }
    }
    return BATCH;
  }
}
