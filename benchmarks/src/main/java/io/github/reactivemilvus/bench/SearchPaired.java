package io.github.reactivemilvus.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * Benchmark 7, top-10 search, paired like {@link UnaryPaired}: all the implementations of {@link
 * SearchLoad} live in one JVM against one loopback server, and each round runs every one of them for
 * one time slice, in a shuffled order. Per round the throughput ratios (ours / sdk, ours / sdk-async)
 * are taken, and the median of those ratios is reported. Background load that drifts over seconds hits them all alike, so the ratios are
 * far steadier than ratios of separate JMH forks on a busy machine.
 *
 * <p>Usage: {@code SearchPaired CONCURRENCIES ROUNDS SLICE_MS} (e.g. {@code 64,256 6 1000}); the first
 * two rounds are warm-up. Results go to the extra-results file ({@code -Dbench.extra=...}) and
 * standard output.
 */
public final class SearchPaired {
  /** The implementations compared; {@code -Dbench.impls=ours,sdk} picks some (ours first). */
  static final List<String> IMPLS =
      List.of(System.getProperty("bench.impls", "ours,ours-pool2,sdk,sdk-async").split(","));

  public static void main(String[] args) throws Exception {
    String[] concs = (args.length > 0 ? args[0] : "64,256").split(",");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    long sliceMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
    Random random = new Random(42);

    try (LoopbackMilvusServer server = LoopbackMilvusServer.start(1)) {
      Map<String, SearchLoad> loads = new LinkedHashMap<>();
      try {
        for (String impl : IMPLS) {
          loads.put(impl, new SearchLoad(impl, server.port()));
        }
        for (String c : concs) {
          int concurrency = Integer.parseInt(c.trim());
          PairedRounds.Results results = PairedRounds.run(loads, concurrency, rounds, sliceMs, random);
          report(concurrency, rounds, sliceMs, results);
        }
        // what the clients asked the server for besides Search (the SDK and ours describe once and cache)
        Support.record("SearchPairedServer", Support.map(),
            Support.map("searchRpcs", server.searchRpcs(), "describeRpcs", server.describeRpcs(),
                "otherMethods", server.otherMethods()));
      } finally {
        for (SearchLoad l : loads.values()) {
          l.close();
        }
      }
    }
  }

  private static void report(int concurrency, int rounds, long sliceMs, PairedRounds.Results results) {
    Map<String, List<Double>> rates = results.rates();
    Map<String, List<Double>> cpu = results.cpu();
    for (String impl : IMPLS) {
      Histogram h = results.latency().get(impl);
      Support.record(
          "SearchPaired",
          Support.map("impl", impl, "concurrency", concurrency),
          Support.map(
              "rounds", rounds,
              "sliceMs", sliceMs,
              "medianSearchesPerSec", PairedRounds.Spread.of(rates.get(impl)).median(),
              "medianCpuUsPerSearch", PairedRounds.Spread.of(cpu.get(impl)).median(),
              "searchesPerSec", rates.get(impl),
              "p50us", h.getValueAtPercentile(50) / 1000.0,
              "p99us", h.getValueAtPercentile(99) / 1000.0,
              "p999us", h.getValueAtPercentile(99.9) / 1000.0));
      System.out.printf(Locale.ROOT, "concurrency %d: %-13s %,10.0f searches/s (median), %.1f us CPU per search, p50 %.0f us, p99 %.0f us%n",
          concurrency, impl, PairedRounds.Spread.of(rates.get(impl)).median(), PairedRounds.Spread.of(cpu.get(impl)).median(), h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0);
    }
    for (String[] pair : new String[][] {{"ours", "sdk"}, {"ours", "sdk-async"}, {"ours-pool2", "sdk"},
        {"ours-pool2", "sdk-async"}, {"ours-parallel", "ours"}, {"insert-parallel", "insert"}}) {
      String ours = pair[0];
      String peer = pair[1];
      if (!rates.containsKey(peer) || !rates.containsKey(ours)) {
        continue;
      }
      PairedRounds.Spread ratio = results.rateRatio(ours, peer);
      // CPU of the whole process (client and loopback server) per search, peer over ours: above 1 means
      // ours costs less CPU per search; steadier than throughput when other processes take the cores
      PairedRounds.Spread cpuRatio = results.cpuRatio(ours, peer);
      Support.record("SearchPairedRatio", Support.map("ratio", ours + "/" + peer, "concurrency", concurrency), ratio.fields());
      Support.record("SearchPairedCpuRatio", Support.map("ratio", peer + "/" + ours, "concurrency", concurrency),
          cpuRatio.fields());
      System.out.printf(Locale.ROOT, "concurrency %d: %s/%s median %s; CPU per search %s/%s %s%n",
          concurrency, ours, peer, ratio, peer, ours, cpuRatio);
    }
  }
}
