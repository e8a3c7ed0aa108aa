package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.config.ConnectionConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A bounded soak: {@code soak.minutes} (default 10) of unary calls kept at 256 in flight against the
 * loopback server (run as a separate process, so the heap and threads measured are the client's),
 * spread over 8 aliases with their own databases on one endpoint, with random cancellations and an
 * alias disconnected every 5 s (its next call connects it again). Once a minute it records heap
 * after GC, live threads, open channels, calls and failures by kind; at the end it closes the
 * registry and counts what is left (channels, library threads). Results: one JSON line per minute
 * and a summary in the {@code bench.extra} file, and a table on stdout.
 *
 * <p>Run: {@code java -Xms1g -Xmx1g -Dsoak.minutes=10 -cp benchmarks/target/benchmarks.jar
 * io.github.reactivemilvus.bench.Soak}. It stops by itself; it is never run in CI.
 */
public final class Soak {
  private static final int IN_FLIGHT = 256;
  private static final int ALIASES = 8;
  private static final double CANCEL_SHARE = 0.05;

  private Soak() {}

  public static void main(String[] args) throws Exception {
    long minutes = Long.getLong("soak.minutes", 10);
    long seed = Long.getLong("soak.seed", System.nanoTime());
    System.out.println("soak: " + minutes + " min, " + IN_FLIGHT + " in flight, seed " + seed);
    Process server = startServer();
    try {
      run(minutes, seed, server);
    } finally {
      server.getOutputStream().close();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void run(long minutes, long seed, Process server) throws Exception {
    int port = Integer.parseInt(readReady(server).get(0));
    ReactiveConnections registry = ReactiveConnections.create();
    List<String> aliases = new ArrayList<>();
    for (int i = 0; i < ALIASES; i++) {
      String alias = "tenant-" + i;
      aliases.add(alias);
      ConnectionConfig config = ConnectionConfig.builder()
          .host(LoopbackMilvusServer.HOST).port(port).dbName("db" + i)
          .maxConcurrentCalls(1024).maxPendingCalls(4096).build();
      registry.addConnection(alias, config).block(Duration.ofSeconds(10));
    }
    LongAdder succeeded = new LongAdder();
    LongAdder cancelled = new LongAdder();
    Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    AtomicLong disconnects = new AtomicLong();
    SplittableRandom random = new SplittableRandom(seed);
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);

    // one call: a random alias, cancelled now and then before its answer
    Flux<Object> calls = Flux.<Integer>generate(sink -> sink.next(0))
        .takeWhile(x -> System.nanoTime() < end)
        .flatMap(x -> {
          String alias;
          boolean cancel;
          long cancelAfterNanos;
          synchronized (random) {
            alias = aliases.get(random.nextInt(ALIASES));
            cancel = random.nextDouble() < CANCEL_SHARE;
            cancelAfterNanos = random.nextLong(2_000_000);
          }
          Mono<String> call = registry.stub(alias).getVersion();
          if (cancel) {
            // cancelled within 2 ms, at any point of its way: before it starts, queued, or under way
            return call.doOnCancel(cancelled::increment)
                .take(Duration.ofNanos(cancelAfterNanos), Schedulers.parallel())
                .onErrorResume(e -> Mono.empty())
                .cast(Object.class);
          }
          return call
              .doOnNext(v -> succeeded.increment())
              .onErrorResume(e -> {
                String kind = e instanceof MilvusConnectionException m ? m.kind().name() : e.getClass().getSimpleName();
                failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
                return Mono.empty();
              })
              .cast(Object.class);
        }, IN_FLIGHT);

    Disposable churn = Flux.interval(Duration.ofSeconds(5))
        .concatMap(tick -> {
          String alias;
          synchronized (random) {
            alias = aliases.get(random.nextInt(ALIASES));
          }
          disconnects.incrementAndGet();
          return registry.disconnect(alias);
        })
        .subscribe();

    List<Map<String, Object>> samples = new ArrayList<>();
    Disposable sampler = Flux.interval(Duration.ofMinutes(1), Duration.ofMinutes(1), Schedulers.boundedElastic())
        .subscribe(minute -> {
          Map<String, Object> s = sample(minute + 1, registry, succeeded, cancelled, failures, disconnects);
          samples.add(s);
          System.out.println("soak " + s);
        });
    long started = System.nanoTime();
    calls.blockLast();
    double seconds = (System.nanoTime() - started) / 1e9;
    churn.dispose();
    sampler.dispose();
    Map<String, Object> last = sample(minutes, registry, succeeded, cancelled, failures, disconnects);
    samples.add(last);

    registry.closeGracefully().block(Duration.ofSeconds(30));
    int channelsAfterClose = registry.openChannels();
    Thread.sleep(500);
    long libraryThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("milvus-conn")).count();

    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("minutes", minutes);
    summary.put("seed", seed);
    summary.put("calls_per_s", Math.round(succeeded.sum() / seconds));
    summary.put("succeeded", succeeded.sum());
    summary.put("cancelled", cancelled.sum());
    summary.put("failures", snapshot(failures));
    summary.put("disconnects", disconnects.get());
    summary.put("first_minute", samples.get(0));
    summary.put("last_minute", last);
    summary.put("channels_after_close", channelsAfterClose);
    summary.put("library_threads_after_close", libraryThreads);
    Support.record("Soak", Support.map("in_flight", IN_FLIGHT, "aliases", ALIASES), summary);
    System.out.println("soak summary " + summary);
    if (channelsAfterClose != 0 || libraryThreads != 0) {
      throw new IllegalStateException("leaked: " + channelsAfterClose + " channels, " + libraryThreads + " threads");
    }
  }

  private static Map<String, Object> sample(long minute, ReactiveConnections registry, LongAdder succeeded,
      LongAdder cancelled, Map<String, LongAdder> failures, AtomicLong disconnects) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("minute", minute);
    s.put("heap_after_gc_mib", Support.usedHeapAfterGc() / (1024 * 1024));
    s.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
    s.put("open_channels", registry.openChannels());
    s.put("succeeded", succeeded.sum());
    s.put("cancelled", cancelled.sum());
    s.put("failures", snapshot(failures));
    s.put("disconnects", disconnects.get());
    return s;
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
    Map<String, Long> m = new LinkedHashMap<>();
    counts.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  private static Process startServer() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        LoopbackMilvusServer.class.getName(), "1")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static List<String> readReady(Process server) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("READY ")) {
      throw new IllegalStateException("loopback server did not start: " + line);
    }
    return List.of(line.substring(6).split(","));
  }
}
