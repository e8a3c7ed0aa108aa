package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.NamedConfig;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * Benchmark 6, multi-tenant footprint: N tenants, each with its own database ({@code db_name}), on
 * ONE endpoint, all connected. Ours: N aliases that differ only in {@code db_name} (a per-call
 * header), so they share one physical channel. SDK: N {@code MilvusClientV2} with a {@code dbName}
 * each. Per tenant: retained heap (used heap after full GCs) and the TCP connections open to the
 * server (ESTABLISHED client sockets to its port, from {@code /proc/net/tcp}). The loopback server is
 * a separate process, so its per-connection state is not counted. One warm-up tenant is connected
 * before the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TenantFootprintBenchmark {
  @Param({"ours", "sdk"})
  String impl;

  @Param({"1000"})
  int tenants;

  Process serverProcess;
  int port;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    serverProcess = new ProcessBuilder(java, "-Xmx1g", "-Dloopback.databases=" + tenants,
            "-cp", System.getProperty("java.class.path"),
            LoopbackMilvusServer.class.getName(), "1")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader r = new BufferedReader(new InputStreamReader(serverProcess.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("READY ")) {
      throw new IllegalStateException("loopback server did not start: " + line);
    }
    port = Integer.parseInt(line.substring(6).trim());
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

  private ConnectionConfig ourConfig(String db) {
    return ConnectionConfig.builder().host(LoopbackMilvusServer.HOST).port(port).dbName(db).build();
  }

  private long ours() throws IOException {
    ReactiveConnections registry = ReactiveConnections.create();
    try {
      registry.addConnection("warm", ourConfig("warm")).block(Duration.ofSeconds(10));
      registry.channel("warm").block(Duration.ofSeconds(10));
      List<NamedConfig> configs = new ArrayList<>(tenants);
      List<String> names = new ArrayList<>(tenants);
      for (int i = 0; i < tenants; i++) {
        names.add("tenant-" + i);
        configs.add(NamedConfig.of("tenant-" + i, ourConfig("db_" + i)));
      }
      long base = Support.usedHeapAfterGc();
      registry.addConnections(Flux.fromIterable(configs)).block(Duration.ofSeconds(60));
      Flux.fromIterable(names).flatMap(registry::channel, 32).then().block(Duration.ofSeconds(120));
      long connected = Support.usedHeapAfterGc();
      int tcp = establishedTo(port);
      long perTenant = (connected - base) / tenants;
      Support.record("TenantFootprintBenchmark", Support.map("impl", impl, "tenants", tenants),
          Support.map("bytesPerTenant", perTenant, "tcpConnections", tcp, "openChannels", registry.openChannels(),
              "count", tenants));
      return perTenant;
    } finally {
      registry.closeGracefully().block(Duration.ofSeconds(60));
    }
  }

  private long sdk() throws IOException {
    List<MilvusClientV2> clients = new ArrayList<>(tenants);
    MilvusClientV2 warm = new MilvusClientV2(sdkConfig("warm"));
    try {
      long base = Support.usedHeapAfterGc();
      for (int i = 0; i < tenants; i++) {
        clients.add(new MilvusClientV2(sdkConfig("db_" + i)));
      }
      long used = Support.usedHeapAfterGc();
      // the warm-up client's connection is not the tenants'
      int tcp = establishedTo(port) - 1;
      long perTenant = (used - base) / tenants;
      Support.record("TenantFootprintBenchmark", Support.map("impl", impl, "tenants", tenants),
          Support.map("bytesPerTenant", perTenant, "tcpConnections", tcp, "count", tenants));
      return perTenant;
    } finally {
      for (MilvusClientV2 c : clients) {
        c.close();
      }
      warm.close();
    }
  }

  private ConnectConfig sdkConfig(String db) {
    return ConnectConfig.builder()
        .uri("http://" + LoopbackMilvusServer.HOST + ":" + port)
        .dbName(db)
        .connectTimeoutMs(10_000)
        .build();
  }

  /** ESTABLISHED TCP sockets whose remote end is {@code port} on this host (client sides only). */
  static int establishedTo(int port) throws IOException {
    String remote = String.format(Locale.ROOT, ":%04X ", port);
    int n = 0;
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(file);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st ...; state 01 is ESTABLISHED
        if (f.length > 3 && (f[2] + " ").endsWith(remote) && f[3].equals("01")) {
          n++;
        }
      }
    }
    return n;
  }
}
