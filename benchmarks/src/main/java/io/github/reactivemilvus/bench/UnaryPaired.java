package io.github.reactivemilvus.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * Benchmark 4 again, paired: all the implementations of {@link UnaryLoad} live in one JVM against one loopback server,
 * and each round runs every one of them for one time slice, in a shuffled order. Per round the
 * throughput ratios (ours / grpc-direct, ours / grpc, ours / sdk) are taken, and the median of those
 * ratios is reported. Background load that drifts over seconds hits them all alike, so the ratios are
 * far steadier than ratios of separate JMH forks on a busy machine.
 *
 * <p>Usage: {@code UnaryPaired CONCURRENCIES ROUNDS SLICE_MS} (e.g. {@code 1,256 6 1000}); the first
 * two rounds are warm-up. Results go to the extra-results file ({@code -Dbench.extra=...}) and
 * standard output.
 */
public final class UnaryPaired {
  /** The implementations compared; {@code -Dbench.impls=ours,grpc-direct} picks some (ours first). */
  static final List<String> IMPLS =
      List.of(System.getProperty("bench.impls", "ours,ours-channel,grpc-direct,grpc,sdk").split(","));

  public static void main(String[] args) throws Exception {
    String[] concs = (args.length > 0 ? args[0] : "1,256").split(",");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    long sliceMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
    Random random = new Random(42);

    try (LoopbackMilvusServer server = LoopbackMilvusServer.start(1)) {
      Map<String, UnaryLoad> loads = new LinkedHashMap<>();
      try {
        for (String impl : IMPLS) {
          loads.put(impl, new UnaryLoad(impl, server.port()));
        }
        for (String c : concs) {
          int concurrency = Integer.parseInt(c.trim());
          PairedRounds.Results results = PairedRounds.run(loads, concurrency, rounds, sliceMs, random);
          report(concurrency, rounds, sliceMs, results);
        }
      } finally {
        for (UnaryLoad l : loads.values()) {
          l.close();
        }
      }
    }
  }

  private static void report(int concurrency, int rounds, long sliceMs, PairedRounds.Results results) {
    for (String impl : IMPLS) {
      Histogram h = results.latency().get(impl);
      Support.record(
          "UnaryPaired",
          Support.map("impl", impl, "concurrency", concurrency),
          Support.map(
              "rounds", rounds,
              "sliceMs", sliceMs,
              "medianCallsPerSec", PairedRounds.Spread.of(results.rates().get(impl)).median(),
              "medianCpuUsPerCall", PairedRounds.Spread.of(results.cpu().get(impl)).median(),
              "medianBytesPerCall", PairedRounds.Spread.of(results.alloc().get(impl)).median(),
              "callsPerSec", results.rates().get(impl),
              "p50us", h.getValueAtPercentile(50) / 1000.0,
              "p99us", h.getValueAtPercentile(99) / 1000.0,
              "p999us", h.getValueAtPercentile(99.9) / 1000.0));
      // bytes allocated per call in the whole JVM: unlike time, not disturbed by the machine's other load
      System.out.printf(Locale.ROOT, "concurrency %d: %s CPU per call %.2f us, bytes per call %.0f%n", concurrency, impl,
          PairedRounds.Spread.of(results.cpu().get(impl)).median(), PairedRounds.Spread.of(results.alloc().get(impl)).median());
    }
    for (String peer : List.of("grpc-direct", "grpc", "sdk", "ours-channel", "ours-chains", "ours-raw", "grpc-flatmap")) {
      if (!results.rates().containsKey(peer) || !results.rates().containsKey("ours")) {
        continue;
      }
      PairedRounds.Spread ratio = results.rateRatio("ours", peer);
      // CPU of the whole process (client and loopback server) per call, peer over ours: above 1 means
      // ours costs less CPU per call; steadier than throughput when other processes take the cores
      PairedRounds.Spread cpuRatio = results.cpuRatio("ours", peer);
      Support.record("UnaryPairedRatio", Support.map("ratio", "ours/" + peer, "concurrency", concurrency), ratio.fields());
      Support.record("UnaryPairedCpuRatio", Support.map("ratio", peer + "/ours", "concurrency", concurrency),
          cpuRatio.fields());
      System.out.printf(Locale.ROOT, "concurrency %d: ours/%s median %s; CPU per call %s/ours %s%n",
          concurrency, peer, ratio, peer, cpuRatio);
    }
  }
}
