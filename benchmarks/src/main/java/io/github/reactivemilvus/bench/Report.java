package io.github.reactivemilvus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Turns one run's results directory (JMH JSON files, {@code extra.jsonl}, {@code env.txt}) into a
 * Markdown report with the ratios the goals are stated in. Usage: {@code Report DIR} (prints to
 * standard output).
 */
public final class Report {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsonNode> jmh = new ArrayList<>();
  private final List<JsonNode> extra = new ArrayList<>();
  private final StringBuilder out = new StringBuilder();

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "results/quick");
    System.out.print(new Report(dir).render(dir));
  }

  Report(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        String text = Files.readString(p, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
          continue;
        }
        for (JsonNode n : JSON.readTree(text)) {
          jmh.add(n);
        }
      }
    }
    Path x = dir.resolve("extra.jsonl");
    if (Files.exists(x)) {
      for (String line : Files.readAllLines(x, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          extra.add(JSON.readTree(line));
        }
      }
    }
  }

  String render(Path dir) throws IOException {
    line("# Benchmark report");
    line("");
    Path env = dir.resolve("env.txt");
    if (Files.exists(env)) {
      line("```");
      out.append(Files.readString(env, StandardCharsets.UTF_8).strip()).append('\n');
      line("```");
      line("");
    }
    hotPath();
    storm();
    connectMany();
    unary();
    unaryPaired();
    footprint();
    tenants();
    goals();
    return out.toString();
  }

  // ---------------------------------------------------------------- 1. hot path

  private void hotPath() {
    line("## 1. Hot path: a ready channel for a connected alias");
    line("");
    line("Throughput, operations per microsecond (higher is better); ns/op = 1000 / score per thread.");
    line("");
    line("| method | 1 thread ops/µs | ns/op | 2 threads ops/µs | ns/op per thread |");
    line("|---|---:|---:|---:|---:|");
    for (String m : List.of("ours_subscribe", "ours_block", "sdk_pool", "floor_map")) {
      JsonNode t1 = hot(m, 1);
      JsonNode t2 = hot(m, 2);
      line(
          "| `%s` | %s | %s | %s | %s |",
          m, score(t1), nsPerOp(t1, 1), score(t2), nsPerOp(t2, 2));
    }
    line("");
    for (int t : List.of(1, 2)) {
      line(
          "- %d thread(s): ours_subscribe / sdk_pool = **%s**, ours_block / sdk_pool = %s, ours_subscribe / floor_map = %s",
          t,
          ratio(hot("ours_subscribe", t), hot("sdk_pool", t)),
          ratio(hot("ours_block", t), hot("sdk_pool", t)),
          ratio(hot("ours_subscribe", t), hot("floor_map", t)));
    }
    line("");
  }

  private JsonNode hot(String method, int threads) {
    return find(
        n -> n.path("benchmark").asText().endsWith("HotPathBenchmark." + method)
            && n.path("threads").asInt() == threads);
  }

  // ---------------------------------------------------------------- 2. storm

  private void storm() {
    line("## 2. Connect storm on a fresh alias");
    line("");
    line("| subscribers | time to all onNext, ms | TCP accepts per storm (max) | Connect RPCs per storm (max) | subscribers that got another channel (max) | storms |");
    line("|---:|---:|---:|---:|---:|---:|");
    for (JsonNode n : all(n -> n.path("benchmark").asText().endsWith("ConnectStormBenchmark.storm"))) {
      String subs = n.path("params").path("subscribers").asText();
      JsonNode x = extra("ConnectStormBenchmark", "subscribers", subs);
      line(
          "| %s | %s | %s | %s | %s | %s |",
          subs,
          scoreErr(n),
          x == null ? "n/a" : x.path("values").path("tcpAcceptsMax").asText(),
          x == null ? "n/a" : x.path("values").path("connectRpcsMax").asText(),
          x == null ? "n/a" : x.path("values").path("subscribersWithAnotherChannelMax").asText(),
          x == null ? "n/a" : x.path("values").path("storms").asText());
    }
    if (all(n -> n.path("benchmark").asText().endsWith("ConnectStormBenchmark.storm")).isEmpty()) {
      line("| 10000 | not measured | | | | |");
    }
    line("");
  }

  // ---------------------------------------------------------------- 3. connect many

  private void connectMany() {
    line("## 3. Connecting many aliases, each on its own endpoint");
    line("");
    line("| impl | aliases | wall time, ms | threads started (first run in the JVM) | threads started (steady) | caller threads | TCP accepts | Connect RPCs |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|");
    JsonNode ours = null, sdk = null;
    for (String impl : List.of("ours", "sdk")) {
      JsonNode n =
          find(
              m -> m.path("benchmark").asText().endsWith("ConnectManyBenchmark.connectAll")
                  && m.path("params").path("impl").asText().equals(impl));
      JsonNode x = extra("ConnectManyBenchmark", "impl", impl);
      if (impl.equals("ours")) {
        ours = n;
      } else {
        sdk = n;
      }
      String callers = impl.equals("sdk") && n != null ? n.path("params").path("concurrency").asText() : "0";
      line(
          "| %s | %s | %s | %s | %s | %s | %s | %s |",
          impl,
          n == null ? "" : n.path("params").path("aliases").asText(),
          scoreErr(n),
          x == null ? "n/a" : x.path("values").path("coldThreadsStarted").asText(),
          x == null ? "n/a" : x.path("values").path("threadsStarted").toString(),
          n == null ? "" : callers,
          x == null ? "n/a" : x.path("values").path("tcpAccepts").toString(),
          x == null ? "n/a" : x.path("values").path("connectRpcs").toString());
    }
    line("");
    line("- time, sdk / ours = **%s** (above 1: ours is faster)", ratio(sdk, ours));
    line("");
  }

  // ---------------------------------------------------------------- 4. unary

  private void unary() {
    line("## 4. Unary GetVersion");
    line("");
    line("| impl | concurrency | calls/s | p50 µs | p99 µs | p99.9 µs |");
    line("|---|---:|---:|---:|---:|---:|");
    List<String> concs = new ArrayList<>();
    for (JsonNode n : all(n -> n.path("benchmark").asText().endsWith("UnaryBenchmark.getVersion"))) {
      String c = n.path("params").path("concurrency").asText();
      if (!concs.contains(c)) {
        concs.add(c);
      }
    }
    concs.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
    for (String c : concs) {
      for (String impl : List.of("ours", "grpc-direct", "grpc", "sdk")) {
        JsonNode n = unaryNode(impl, c);
        JsonNode x = extra("UnaryBenchmark", "impl", impl, "concurrency", c);
        line(
            "| %s | %s | %s | %s | %s | %s |",
            impl,
            c,
            n == null ? "not measured" : scoreErr(n),
            x == null ? "" : fmt(x.path("values").path("p50us").asDouble()),
            x == null ? "" : fmt(x.path("values").path("p99us").asDouble()),
            x == null ? "" : fmt(x.path("values").path("p999us").asDouble()));
      }
    }
    line("");
    for (String c : concs) {
      line(
          "- concurrency %s: ours / grpc-direct = **%s**, ours / grpc = **%s**, ours / sdk = **%s**, grpc / sdk = %s",
          c,
          ratio(unaryNode("ours", c), unaryNode("grpc-direct", c)),
          ratio(unaryNode("ours", c), unaryNode("grpc", c)),
          ratio(unaryNode("ours", c), unaryNode("sdk", c)),
          ratio(unaryNode("grpc", c), unaryNode("sdk", c)));
    }
    line("");
  }

  private JsonNode unaryNode(String impl, String conc) {
    return find(
        n -> n.path("benchmark").asText().endsWith("UnaryBenchmark.getVersion")
            && n.path("params").path("impl").asText().equals(impl)
            && n.path("params").path("concurrency").asText().equals(conc));
  }

  private void unaryPaired() {
    List<JsonNode> rows = extraAll("UnaryPaired");
    if (rows.isEmpty()) {
      return;
    }
    line("### 4b. Unary GetVersion, paired (all clients in one JVM, shuffled time slices)");
    line("");
    JsonNode first = rows.get(0).path("values");
    line(
        "%s measured rounds of %s ms per client and concurrency; calls/s is the median over rounds.",
        first.path("rounds").asText(), first.path("sliceMs").asText());
    line("");
    line("| impl | concurrency | calls/s (median) | p50 µs | p99 µs | p99.9 µs |");
    line("|---|---:|---:|---:|---:|---:|");
    for (JsonNode r : rows) {
      JsonNode v = r.path("values");
      line(
          "| %s | %s | %s | %s | %s | %s |",
          r.path("params").path("impl").asText(),
          r.path("params").path("concurrency").asText(),
          fmt(v.path("medianCallsPerSec").asDouble()),
          fmt(v.path("p50us").asDouble()),
          fmt(v.path("p99us").asDouble()),
          fmt(v.path("p999us").asDouble()));
    }
    line("");
    line("| ratio of throughputs, per round | concurrency | median | min | max |");
    line("|---|---:|---:|---:|---:|");
    for (JsonNode r : extraAll("UnaryPairedRatio")) {
      JsonNode v = r.path("values");
      line(
          "| %s | %s | **%s** | %s | %s |",
          r.path("params").path("ratio").asText(),
          r.path("params").path("concurrency").asText(),
          fmtX(v.path("median").asDouble()),
          fmtX(v.path("min").asDouble()),
          fmtX(v.path("max").asDouble()));
    }
    line("");
  }

  private double pairedRatio(String ratio, String conc) {
    JsonNode r = extra("UnaryPairedRatio", "ratio", ratio, "concurrency", conc);
    return r == null ? Double.NaN : r.path("values").path("median").asDouble();
  }

  private List<JsonNode> extraAll(String benchmark) {
    return extra.stream().filter(n -> n.path("benchmark").asText().equals(benchmark)).toList();
  }

  // ---------------------------------------------------------------- 5. footprint

  private void footprint() {
    line("## 5. Footprint (retained heap after full GC)");
    line("");
    JsonNode ours = extra("FootprintBenchmark", "impl", "ours");
    JsonNode sdk = extra("FootprintBenchmark", "impl", "sdk");
    line("| what | count | bytes each | extra live threads (all of them) |");
    line("|---|---:|---:|---:|");
    if (ours != null) {
      JsonNode v = ours.path("values");
      line("| ours, registered alias (not connected) | %s | %s | |", v.path("count").asText(), v.path("bytesPerRegisteredAlias").asText());
      line("| ours, connected alias (incl. registration) | %s | %s | %s |", v.path("count").asText(), v.path("bytesPerConnectedAlias").asText(), v.path("extraThreads").asText());
    } else {
      line("| ours | | not measured | |");
    }
    if (sdk != null) {
      JsonNode v = sdk.path("values");
      line("| SDK `MilvusClientV2` | %s | %s | %s |", v.path("count").asText(), v.path("bytesPerClient").asText(), v.path("extraThreads").asText());
    }
    if (ours != null && sdk != null) {
      double o = ours.path("values").path("bytesPerConnectedAlias").asDouble();
      double s = sdk.path("values").path("bytesPerClient").asDouble();
      line("");
      line("- SDK client / our connected alias = **%s**", o > 0 ? fmt(s / o) + "x" : "n/a");
    }
    line("");
  }

  private void tenants() {
    line("## 6. Multi-tenant footprint (one endpoint, one db_name per tenant, all connected)");
    line("");
    JsonNode ours = extra("TenantFootprintBenchmark", "impl", "ours");
    JsonNode sdk = extra("TenantFootprintBenchmark", "impl", "sdk");
    line("| what | tenants | bytes each | TCP connections in total |");
    line("|---|---:|---:|---:|");
    if (ours != null) {
      JsonNode v = ours.path("values");
      line("| ours, connected alias with its own `db_name` | %s | %s | %s |", v.path("count").asText(),
          v.path("bytesPerTenant").asText(), v.path("tcpConnections").asText());
    } else {
      line("| ours | | not measured | |");
    }
    if (sdk != null) {
      JsonNode v = sdk.path("values");
      line("| SDK `MilvusClientV2` with its own `dbName` | %s | %s | %s |", v.path("count").asText(),
          v.path("bytesPerTenant").asText(), v.path("tcpConnections").asText());
    }
    line("");
  }

  // ---------------------------------------------------------------- goals

  private void goals() {
    line("## Goals");
    line("");
    double hot1 = ratioValue(hot("ours_subscribe", 1), hot("sdk_pool", 1));
    double hot2 = ratioValue(hot("ours_subscribe", 2), hot("sdk_pool", 2));
    line("| goal | measured | verdict |");
    line("|---|---|---|");
    line(
        "| hot path >= 20x SDK pool | %s (1 thread), %s (2 threads) | %s |",
        fmtX(hot1),
        fmtX(hot2),
        verdict(Double.isNaN(hot1) ? Double.NaN : Math.min(hot1, Double.isNaN(hot2) ? hot1 : hot2), 20));
    double ud = ratioValue(unaryNode("ours", "256"), unaryNode("grpc-direct", "256"));
    double u = ratioValue(unaryNode("ours", "256"), unaryNode("grpc", "256"));
    double pd = pairedRatio("ours/grpc-direct", "256");
    double p = pairedRatio("ours/grpc", "256");
    line(
        "| unary within 10%% of raw grpc-java at 256 | paired medians: ours / grpc-direct = %s, ours / grpc = %s; JMH forks: %s, %s | %s |",
        fmtX(pd),
        fmtX(p),
        fmtX(ud),
        fmtX(u),
        // judged on the paired medians if there are any, against the harder of the two floors
        verdict(minOf(Double.isNaN(pd) ? ud : pd, Double.isNaN(p) ? u : p), 0.9));
    double us = ratioValue(unaryNode("ours", "256"), unaryNode("sdk", "256"));
    double ps = pairedRatio("ours/sdk", "256");
    line(
        "| unary >= 2x SDK at 256 | paired median %s; JMH forks %s | %s |",
        fmtX(ps),
        fmtX(us),
        verdict(Double.isNaN(ps) ? us : ps, 2));
    JsonNode x = extra("ConnectStormBenchmark", "subscribers", "10000");
    if (x == null) {
      line("| connect storm makes exactly one connection | not measured | |");
    } else {
      long a = x.path("values").path("tcpAcceptsMax").asLong();
      long c = x.path("values").path("connectRpcsMax").asLong();
      line(
          "| connect storm makes exactly one connection | max %d TCP accept(s), %d Connect RPC(s) per storm | %s |",
          a, c, a == 1 && c == 1 ? "met" : "missed");
    }
    line("");
  }

  // ---------------------------------------------------------------- helpers

  private JsonNode find(Predicate<JsonNode> p) {
    return jmh.stream().filter(p).findFirst().orElse(null);
  }

  private List<JsonNode> all(Predicate<JsonNode> p) {
    return jmh.stream().filter(p).toList();
  }

  /** The last extra record of a benchmark whose params match the given key/value pairs. */
  private JsonNode extra(String benchmark, String... kv) {
    JsonNode found = null;
    outer:
    for (JsonNode n : extra) {
      if (!n.path("benchmark").asText().equals(benchmark)) {
        continue;
      }
      for (int i = 0; i < kv.length; i += 2) {
        if (!n.path("params").path(kv[i]).asText().equals(kv[i + 1])) {
          continue outer;
        }
      }
      found = n;
    }
    return found;
  }

  private static String score(JsonNode n) {
    return n == null ? "not measured" : fmt(n.path("primaryMetric").path("score").asDouble());
  }

  private static String scoreErr(JsonNode n) {
    if (n == null) {
      return "not measured";
    }
    double s = n.path("primaryMetric").path("score").asDouble();
    double e = n.path("primaryMetric").path("scoreError").asDouble(Double.NaN);
    return Double.isNaN(e) || e == 0 ? fmt(s) : fmt(s) + " ± " + fmt(e);
  }

  private static String nsPerOp(JsonNode n, int threads) {
    if (n == null) {
      return "";
    }
    double opsPerUsAllThreads = n.path("primaryMetric").path("score").asDouble();
    return fmt(1000.0 * threads / opsPerUsAllThreads);
  }

  /** a / b of the primary scores, for scores where higher is better (or both times). */
  private static String ratio(JsonNode a, JsonNode b) {
    return fmtX(ratioValue(a, b));
  }

  private static double ratioValue(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return Double.NaN;
    }
    return a.path("primaryMetric").path("score").asDouble() / b.path("primaryMetric").path("score").asDouble();
  }

  private static String verdict(double value, double target) {
    if (Double.isNaN(value)) {
      return "not measured";
    }
    if (value >= target) {
      return "met";
    }
    return String.format(Locale.ROOT, "missed (%.1f%% of the target)", 100 * value / target);
  }

  private static double minOf(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
  }

  private static String fmtX(double r) {
    return Double.isNaN(r) ? "n/a" : fmt(r) + "x";
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private void line(String fmt, Object... args) {
    out.append(args.length == 0 ? fmt : String.format(Locale.ROOT, fmt, args)).append('\n');
  }
}
