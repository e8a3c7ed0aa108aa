package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.ReactiveConnections;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * Benchmark 2, connect storm: {@code subscribers} subscriptions to {@code registry.channel(alias)} for
 * an alias that was just added and never connected, made at once from {@code submitters} threads.
 * Timed from the start signal until every subscriber has received the channel. Per storm it records the
 * TCP connections the server accepted and the Connect RPCs it answered (goal: exactly one of each), and
 * how many subscribers got a different channel instance than the first one did.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConnectStormBenchmark {
  @Param({"10000"})
  int subscribers;

  @Param({"4"})
  int submitters;

  LoopbackMilvusServer server;
  ReactiveConnections registry;
  ExecutorService submitPool;
  int seq;
  String alias;
  long acceptsBefore;
  long connectsBefore;
  boolean measuring;
  final List<long[]> perStorm = new ArrayList<>(); // accepts, connects, subscribers with another channel
  /** The first channel delivered in a storm, and how many subscribers got a different instance. */
  final AtomicReference<ManagedChannel> firstChannel = new AtomicReference<>();
  final AtomicInteger otherChannel = new AtomicInteger();

  @Setup(Level.Trial)
  public void setUp() {
    server = LoopbackMilvusServer.start(1);
    registry = ReactiveConnections.create();
    submitPool = Executors.newFixedThreadPool(submitters);
    ((ThreadPoolExecutor) submitPool).prestartAllCoreThreads();
  }

  @Setup(Level.Iteration)
  public void iteration(IterationParams ip) {
    measuring = ip.getType() == IterationType.MEASUREMENT;
  }

  @Setup(Level.Invocation)
  public void freshAlias() {
    alias = "storm-" + (seq++);
    registry.addConnection(alias, Support.ourConfig(server.port())).block(Duration.ofSeconds(10));
    firstChannel.set(null);
    otherChannel.set(0);
    acceptsBefore = server.tcpAccepts();
    connectsBefore = server.connectRpcs();
  }

  @TearDown(Level.Invocation)
  public void dropAlias() {
    long accepts = server.tcpAccepts() - acceptsBefore;
    long connects = server.connectRpcs() - connectsBefore;
    if (measuring) {
      perStorm.add(new long[] {accepts, connects, otherChannel.get()});
    }
    registry.removeConnection(alias).block(Duration.ofSeconds(10));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long maxAccepts = 0, maxConnects = 0, maxChannels = 0, sumAccepts = 0, sumConnects = 0;
    for (long[] s : perStorm) {
      maxAccepts = Math.max(maxAccepts, s[0]);
      maxConnects = Math.max(maxConnects, s[1]);
      maxChannels = Math.max(maxChannels, s[2]);
      sumAccepts += s[0];
      sumConnects += s[1];
    }
    Support.record(
        "ConnectStormBenchmark",
        Support.map("subscribers", subscribers, "submitters", submitters),
        Support.map(
            "storms", perStorm.size(),
            "tcpAcceptsMax", maxAccepts,
            "tcpAcceptsMean", perStorm.isEmpty() ? 0 : (double) sumAccepts / perStorm.size(),
            "connectRpcsMax", maxConnects,
            "connectRpcsMean", perStorm.isEmpty() ? 0 : (double) sumConnects / perStorm.size(),
            "subscribersWithAnotherChannelMax", maxChannels));
    Support.shutdown(submitPool);
    if (registry != null) {
      registry.closeGracefully().block(Duration.ofSeconds(10));
    }
    if (server != null) {
      server.close();
    }
  }

  @Benchmark
  public int storm() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(subscribers);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger got = new AtomicInteger();
    List<Future<?>> tasks = new ArrayList<>(submitters);
    for (int t = 0; t < submitters; t++) {
      int share = subscribers / submitters + (t < subscribers % submitters ? 1 : 0);
      tasks.add(
          submitPool.submit(
              () -> {
                start.await();
                for (int i = 0; i < share; i++) {
                  registry.channel(alias).subscribe(new LatchSubscriber(done, failure, got, firstChannel, otherChannel));
                }
                return null;
              }));
    }
    start.countDown();
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("storm timed out: " + got.get() + "/" + subscribers + " got the channel");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a subscriber failed", failure.get());
    }
    for (Future<?> f : tasks) {
      f.get();
    }
    return got.get();
  }

  static final class LatchSubscriber implements CoreSubscriber<ManagedChannel> {
    private final CountDownLatch done;
    private final AtomicReference<Throwable> failure;
    private final AtomicInteger got;
    private final AtomicReference<ManagedChannel> first;
    private final AtomicInteger other;

    LatchSubscriber(
        CountDownLatch done,
        AtomicReference<Throwable> failure,
        AtomicInteger got,
        AtomicReference<ManagedChannel> first,
        AtomicInteger other) {
      this.done = done;
      this.failure = failure;
      this.got = got;
      this.first = first;
      this.other = other;
    }

    @Override
    public void onSubscribe(Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ManagedChannel ch) {
      got.incrementAndGet();
      ManagedChannel f = first.get();
      if (f == null && first.compareAndSet(null, ch)) {
        f = ch;
      } else if (f == null) {
        f = first.get();
      }
      if (f != ch) {
        other.incrementAndGet();
      }
      done.countDown();
    }

    @Override
    public void onError(Throwable t) {
      failure.compareAndSet(null, t);
      done.countDown();
    }

    @Override
    public void onComplete() {}
  }
}
