package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.config.NamedConfig;
import io.github.reactivemilvus.ReactiveConnections;
import io.milvus.v2.client.MilvusClientV2;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import reactor.core.publisher.Flux;

/**
 * Benchmark 5, footprint: retained heap (used heap after full GCs, MemoryMXBean) per registered alias,
 * per connected alias, and per {@code MilvusClientV2}. Each alias and each SDK client gets its own
 * endpoint; the loopback server runs as a separate process so its per-connection state is not counted.
 * One warm-up alias and one warm-up SDK client are made first so that class loading and shared
 * resources (event loops, allocators) are in the baseline. Run it with one iteration; the time JMH
 * reports is not the result, the extra-results record is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FootprintBenchmark {
  @Param({"ours", "sdk"})
  String impl;

  @Param({"1000"})
  int aliases;

  /** SDK clients to create (each is a full client with its own channel); at most {@code aliases}. */
  @Param({"200"})
  int sdkClients;

  Process serverProcess;
  List<Integer> ports;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    serverProcess =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                LoopbackMilvusServer.class.getName(),
                Integer.toString(aliases + 1))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(serverProcess.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("READY ")) {
      throw new IllegalStateException("loopback server did not start: " + line);
    }
    ports = Arrays.stream(line.substring(6).split(",")).map(Integer::valueOf).toList();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (serverProcess != null) {
      serverProcess.getOutputStream().close();
      if (!serverProcess.waitFor(10, TimeUnit.SECONDS)) {
        serverProcess.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Benchmark
  public long measure() throws Exception {
    return impl.equals("ours") ? ours() : sdk();
  }

  private long ours() {
    var threads = ManagementFactory.getThreadMXBean();
    ReactiveConnections registry = ReactiveConnections.create();
    try {
      registry.addConnection("warm", Support.ourConfig(ports.get(aliases))).block(Duration.ofSeconds(10));
      registry.channel("warm").block(Duration.ofSeconds(10));
      List<NamedConfig> configs = new ArrayList<>(aliases);
      List<String> names = new ArrayList<>(aliases);
      for (int i = 0; i < aliases; i++) {
        names.add("alias-" + i);
        configs.add(NamedConfig.of("alias-" + i, Support.ourConfig(ports.get(i))));
      }
      // the configs and names are made before the baseline: what is measured is the registry's own
      long base = Support.usedHeapAfterGc();
      int threadsBase = threads.getThreadCount();

      registry.addConnections(Flux.fromIterable(configs)).block(Duration.ofSeconds(60));
      long registered = Support.usedHeapAfterGc();

      Flux.fromIterable(names).flatMap(registry::channel, 32).then().block(Duration.ofSeconds(120));
      long connected = Support.usedHeapAfterGc();
      int extraThreads = threads.getThreadCount() - threadsBase;

      long perRegistered = (registered - base) / aliases;
      long perConnected = (connected - base) / aliases;
      Support.record(
          "FootprintBenchmark",
          Support.map("impl", impl, "aliases", aliases),
          Support.map(
              "bytesPerRegisteredAlias", perRegistered,
              "bytesPerConnectedAlias", perConnected,
              "extraThreads", extraThreads,
              "count", aliases,
              "configsHeld", configs.size() + names.size()));
      return perConnected;
    } finally {
      registry.closeGracefully().block(Duration.ofSeconds(60));
    }
  }

  private long sdk() throws Exception {
    var threads = ManagementFactory.getThreadMXBean();
    int n = Math.min(sdkClients, aliases);
    List<MilvusClientV2> clients = new ArrayList<>(n);
    MilvusClientV2 warm = new MilvusClientV2(Support.sdkConfig(ports.get(aliases)));
    try {
      long base = Support.usedHeapAfterGc();
      int threadsBase = threads.getThreadCount();
      for (int i = 0; i < n; i++) {
        clients.add(new MilvusClientV2(Support.sdkConfig(ports.get(i))));
      }
      long used = Support.usedHeapAfterGc();
      int extraThreads = threads.getThreadCount() - threadsBase;
      long perClient = (used - base) / n;
      Support.record(
          "FootprintBenchmark",
          Support.map("impl", impl, "aliases", aliases),
          Support.map("bytesPerClient", perClient, "extraThreads", extraThreads, "count", n));
      return perClient;
    } finally {
      for (MilvusClientV2 c : clients) {
        c.close();
      }
      warm.close();
    }
  }
}
