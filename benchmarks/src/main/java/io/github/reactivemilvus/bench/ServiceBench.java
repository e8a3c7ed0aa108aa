package io.github.reactivemilvus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpMethod;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The service benchmark: the same WebFlux service ({@link ServiceApp}) on three Milvus clients,
 * driven open-loop ({@link OpenLoop}) against the loopback server answering each search after 0, 2
 * and 10 ms (scheduled on its event loop, no thread waits).
 *
 * <p>{@code ServiceBench quick|full [variants]} runs each variant in its own JVM (so that its
 * threads and heap are its own: the loopback server, the load generator and the service share that
 * JVM and the 2 cores, the same for every variant). Per search latency it finds the highest rate
 * whose p99 (from the intended send time) stays under 50 ms: the rate doubles from 100/s until a
 * step fails, then the gap is bisected. Then {@code /search} (search latency 10 ms) and {@code /insert}
 * (10 rows per request) run at each of the candidate common rates (default 50, 200 and 1,000/s,
 * {@code -Dservice.commonRates}), recording p50/p99, the JVM's live and peak threads and the heap
 * used after a full GC; the report shows the highest candidate that every variant sustained. Prints
 * the tables (markdown) and one line per latency: {@code latency 10 ms: ours/sdk-blocking X.XXx,
 * ours/sdk-async Y.YYx} (ratio of the highest sustained rates).
 */
public final class ServiceBench {
  static final double P99_LIMIT_MS = 50;
  static final int[] LATENCIES_MS = {0, 2, 10};
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServiceBench() {}

  record Mode(long warmupMs, long measureMs, int bisections, long jitWarmupMs) {
    static Mode of(String name) {
      return switch (name) {
        case "quick" -> new Mode(500, 1500, 2, 3000);
        case "full" -> new Mode(1000, 4000, 4, 8000);
        default -> throw new IllegalArgumentException("mode quick or full, was " + name);
      };
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("child")) {
      child(args[1], args[2]);
      return;
    }
    String mode = args.length > 0 ? args[0] : "quick";
    Mode.of(mode);
    List<String> variants = args.length > 1 ? List.of(args[1].split(",")) : List.of("ours", "sdk-blocking", "sdk-async");
    Map<String, List<JsonNode>> results = new LinkedHashMap<>();
    for (String v : variants) {
      results.put(v, runChild(mode, v));
    }
    String report = report(results);
    System.out.println(report);
    String out = System.getProperty("service.report");
    if (out != null && !out.isBlank()) {
      Files.writeString(Path.of(out), report, StandardCharsets.UTF_8);
    }
  }

  private static List<JsonNode> runChild(String mode, String variant) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xms1g", "-Xmx1g", "-XX:+UseG1GC",
        "-Dservice.commonRates=" + System.getProperty("service.commonRates", "50,200,1000"),
        "-cp", System.getProperty("java.class.path"), ServiceBench.class.getName(), "child", mode, variant));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<JsonNode> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("RESULT ")) {
          JsonNode n = JSON.readTree(line.substring(7));
          lines.add(n);
          Support.record("ServiceBench", Support.map("variant", variant, "mode", mode), JSON.convertValue(n, Map.class));
        } else {
          System.out.println("[" + variant + "] " + line);
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(variant + " exited with " + rc);
    }
    return lines;
  }

  // ---- the child: one variant in this JVM ----

  private static void child(String modeName, String variant) throws Exception {
    Mode mode = Mode.of(modeName);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (LoopbackMilvusServer server = LoopbackMilvusServer.start(1)) {
      long baseThreads = threads.getThreadCount();
      long baseHeap = Support.usedHeapAfterGc();
      try (ServiceApp app = new ServiceApp(ServiceApp.backend(variant, server.port()));
          OpenLoop load = new OpenLoop(app.port())) {
        System.out.println("service on port " + app.port() + ", loopback Milvus on " + server.port());
        if (Boolean.getBoolean("service.hold")) {
          Thread.sleep(Long.MAX_VALUE);
        }
        String probe = System.getProperty("service.probe", "");
        if (!probe.isEmpty()) { // diagnostics: just these rates at the first latency
          for (String r : probe.split(",")) {
            OpenLoop.Step st = load.run(HttpMethod.GET, System.getProperty("service.path", "/search"), Double.parseDouble(r),
                mode.warmupMs(), mode.measureMs(), 15_000);
            System.out.printf(Locale.ROOT, "%s/s: sent %d ok %d aborted %s p50 %.2f p99 %.2f%n", r, st.sent(), st.completed(),
                st.aborted(), st.p50Ms(), st.p99Ms());
          }
          System.exit(0);
        }
        // warm the JIT, the connections and the schema caches
        for (double rate : new double[] {200, 500, 1000}) {
          load.run(HttpMethod.GET, "/search", rate, 0, mode.jitWarmupMs() / 3, 10_000);
        }
        load.run(HttpMethod.POST, "/insert", 500, 0, mode.jitWarmupMs() / 3, 10_000);
        for (int latency : LATENCIES_MS) {
          server.searchDelay(Duration.ofMillis(latency));
          double best = findMaxRate(load, mode, latency);
          result(Support.map("kind", "max", "latencyMs", latency, "maxRate", best, "load", loadAverage()));
        }
        // the common rates: the report uses the highest one every variant sustained
        for (String path : List.of("/search", "/insert")) {
          server.searchDelay(Duration.ofMillis(path.equals("/search") ? 10 : 0));
          for (double common : commonRates()) {
            threads.resetPeakThreadCount();
            OpenLoop.Step at = load.run(path.equals("/search") ? HttpMethod.GET : HttpMethod.POST, path, common,
                mode.warmupMs(), mode.measureMs(), 10_000);
            int live = threads.getThreadCount();
            int peak = threads.getPeakThreadCount();
            result(Support.map("kind", path.substring(1), "latencyMs", path.equals("/search") ? 10 : 0, "commonRate", common,
                "p50Ms", at.p50Ms(), "p99Ms", at.p99Ms(), "maxMs", at.maxMs(), "passed", at.passed(P99_LIMIT_MS),
                "threads", live, "peakThreads", peak, "serviceThreads", live - baseThreads,
                "heapMiB", mib(Support.usedHeapAfterGc()), "serviceHeapMiB", mib(Support.usedHeapAfterGc() - baseHeap),
                "load", loadAverage()));
          }
        }
        result(Support.map("kind", "server", "searches", server.searchRpcs(), "insertRpcs", server.insertRpcs(),
            "insertedRows", server.insertedRows(), "describes", server.describeRpcs()));
      }
    }
    System.exit(0); // the SDK leaves non-daemon threads behind
  }

  private static double[] commonRates() {
    return java.util.Arrays.stream(System.getProperty("service.commonRates", "50,200,1000").split(","))
        .mapToDouble(Double::parseDouble).toArray();
  }

  /** The highest rate (requests/s) whose p99 stays under the limit: doubling, then bisecting. */
  private static double findMaxRate(OpenLoop load, Mode mode, int latency) {
    double pass = 0;
    double fail = Double.POSITIVE_INFINITY;
    for (double rate = 100; rate <= 51_200; rate *= 2) {
      if (step(load, mode, latency, rate)) {
        pass = rate;
      } else {
        fail = rate;
        break;
      }
    }
    if (fail == Double.POSITIVE_INFINITY) {
      return pass;
    }
    double lo = pass == 0 ? fail / 8 : pass;
    for (int i = 0; i < mode.bisections(); i++) {
      double mid = Math.round((lo + fail) / 2);
      if (step(load, mode, latency, mid)) {
        lo = mid;
        pass = mid;
      } else {
        fail = mid;
      }
    }
    return pass;
  }

  private static boolean step(OpenLoop load, Mode mode, int latency, double rate) {
    OpenLoop.Step s = load.run(HttpMethod.GET, "/search", rate, mode.warmupMs(), mode.measureMs(), 15_000);
    boolean ok = s.passed(P99_LIMIT_MS);
    System.out.printf(Locale.ROOT, "latency %d ms, %.0f/s: sent %d, ok %d, errors %d%s, p50 %.2f ms, p99 %.2f ms, max %.1f ms -> %s%n",
        latency, rate, s.sent(), s.completed(), s.errors(), s.aborted() ? ", aborted" : "", s.p50Ms(), s.p99Ms(), s.maxMs(),
        ok ? "pass" : "FAIL");
    return ok;
  }

  private static void result(Map<String, Object> values) throws Exception {
    System.out.println("RESULT " + JSON.writeValueAsString(new LinkedHashMap<>(values)));
  }

  private static double mib(long bytes) {
    return Math.round(bytes / 1048576.0 * 10) / 10.0;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "unknown";
    }
  }

  // ---- the report ----

  private static String report(Map<String, List<JsonNode>> results) {
    StringBuilder b = new StringBuilder();
    b.append("Highest /search rate with p99 < 50 ms (from the intended send time), per search latency of the server:\n\n"
        + "| variant | 0 ms | 2 ms | 10 ms | load avg (at 10 ms) |\n|---|---:|---:|---:|---|\n");
    for (var e : results.entrySet()) {
      b.append("| ").append(e.getKey());
      String load = "";
      for (int latency : LATENCIES_MS) {
        b.append(String.format(Locale.ROOT, " | %,.0f /s", maxRate(results, e.getKey(), latency)));
        for (JsonNode n : e.getValue()) {
          if (n.path("kind").asText().equals("max") && n.get("latencyMs").asInt() == latency) {
            load = n.get("load").asText();
          }
        }
      }
      b.append(" | ").append(load).append(" |\n");
    }
    for (String kind : List.of("search", "insert")) {
      double common = commonRate(results, kind);
      b.append(String.format(Locale.ROOT, "%n/%s%s at the common rate %,.0f /s (the highest of the tried rates every variant "
          + "sustained; JVM-wide threads and heap, the service's share in parentheses):%n%n", kind,
          kind.equals("search") ? " (search latency 10 ms)" : " (10 rows per request)", common));
      b.append("| variant | p50 / p99 ms | live threads (service's) | peak threads | heap after GC MiB (service's) | load avg |\n"
          + "|---|---:|---:|---:|---:|---|\n");
      for (var e : results.entrySet()) {
        for (JsonNode n : e.getValue()) {
          if (n.path("kind").asText().equals(kind) && n.get("commonRate").asDouble() == common) {
            b.append(String.format(Locale.ROOT, "| %s | %.2f / %.2f%s | %d (%d) | %d | %.1f (%.1f) | %s |%n", e.getKey(),
                n.get("p50Ms").asDouble(), n.get("p99Ms").asDouble(), n.get("passed").asBoolean() ? "" : " (over)",
                n.get("threads").asInt(), n.get("serviceThreads").asInt(), n.get("peakThreads").asInt(),
                n.get("heapMiB").asDouble(), n.get("serviceHeapMiB").asDouble(), n.get("load").asText()));
          }
        }
      }
    }
    b.append('\n');
    for (int latency : LATENCIES_MS) {
      double ours = maxRate(results, "ours", latency);
      double blocking = maxRate(results, "sdk-blocking", latency);
      double async = maxRate(results, "sdk-async", latency);
      b.append(String.format(Locale.ROOT, "latency %d ms: ours/sdk-blocking %s, ours/sdk-async %s%n", latency,
          ratio(ours, blocking), ratio(ours, async)));
    }
    return b.toString();
  }

  /** The highest common rate every variant passed (the lowest tried if none passed them all). */
  private static double commonRate(Map<String, List<JsonNode>> results, String kind) {
    double[] rates = commonRates();
    java.util.Arrays.sort(rates);
    double best = rates[0];
    for (double rate : rates) {
      boolean all = true;
      for (List<JsonNode> lines : results.values()) {
        boolean passed = false;
        for (JsonNode n : lines) {
          passed |= n.path("kind").asText().equals(kind) && n.get("commonRate").asDouble() == rate && n.get("passed").asBoolean();
        }
        all &= passed;
      }
      if (!all) {
        break;
      }
      best = rate;
    }
    return best;
  }

  private static double maxRate(Map<String, List<JsonNode>> results, String variant, int latency) {
    for (JsonNode n : results.getOrDefault(variant, List.of())) {
      if (n.path("kind").asText().equals("max") && n.get("latencyMs").asInt() == latency) {
        return n.get("maxRate").asDouble();
      }
    }
    return Double.NaN;
  }

  private static String ratio(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return "n/a";
    }
    if (b == 0) {
      return "inf (peer sustained no tested rate)";
    }
    return String.format(Locale.ROOT, "%.2fx", a / b);
  }
}
