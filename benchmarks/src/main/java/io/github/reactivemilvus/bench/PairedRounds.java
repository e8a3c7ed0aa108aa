package io.github.reactivemilvus.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The paired runners' rounds: every implementation gets one slice per round, in a shuffled order,
 * with the same load kept in flight; the first rounds are warm-up. Per implementation it collects
 * the rate (calls per second), the process CPU per call (µs), the bytes allocated per call (every
 * thread of the JVM, loopback server included: unlike time, independent of the machine's other load)
 * and the latency histogram.
 */
final class PairedRounds {
  static final int WARMUP_ROUNDS = 2;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /** A load that keeps {@code concurrency} calls in flight until stopped. */
  interface Load {
    void start(int concurrency, Recorder recorder, Runnable onComplete);

    void stop() throws InterruptedException;
  }

  /** What the rounds measured, by implementation. */
  record Results(Map<String, List<Double>> rates, Map<String, List<Double>> cpu, Map<String, Histogram> latency,
      Map<String, List<Double>> alloc) {
    /** {@code a}'s throughput over {@code b}'s, round by round. */
    Spread rateRatio(String a, String b) {
      return Spread.of(perRound(rates.get(a), rates.get(b)));
    }

    /** {@code b}'s CPU per operation over {@code a}'s, round by round: above 1 means {@code a} costs less. */
    Spread cpuRatio(String a, String b) {
      return Spread.of(perRound(cpu.get(b), cpu.get(a)));
    }

    private static List<Double> perRound(List<Double> numerators, List<Double> denominators) {
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < numerators.size(); i++) {
        ratios.add(numerators.get(i) / denominators.get(i));
      }
      return ratios;
    }
  }

  /** Values of the rounds with their median, min and max. */
  record Spread(List<Double> perRound, double median, double min, double max) {
    static Spread of(List<Double> values) {
      List<Double> s = new ArrayList<>(values);
      Collections.sort(s);
      int n = s.size();
      double median = n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
      return new Spread(values, median, n == 0 ? Double.NaN : s.get(0), n == 0 ? Double.NaN : s.get(n - 1));
    }

    /** The fields of a result record. */
    Map<String, Object> fields() {
      return Support.map("median", median, "min", min, "max", max, "perRound", perRound);
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%.2fx (min %.2f, max %.2f)", median, min, max);
    }
  }

  private PairedRounds() {}

  static Results run(Map<String, ? extends Load> loads, int concurrency, int rounds, long sliceMs, Random random)
      throws InterruptedException {
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    Map<String, Histogram> latency = new LinkedHashMap<>();
    Map<String, List<Double>> alloc = new LinkedHashMap<>();
    for (String impl : loads.keySet()) {
      alloc.put(impl, new ArrayList<>());
      rates.put(impl, new ArrayList<>());
      cpu.put(impl, new ArrayList<>());
      latency.put(impl, new Histogram(3));
    }
    List<String> order = new ArrayList<>(loads.keySet());
    for (int round = 0; round < WARMUP_ROUNDS + rounds; round++) {
      Collections.shuffle(order, random);
      for (String impl : order) {
        Recorder recorder = new Recorder(3);
        LongAdder done = new LongAdder();
        Load load = loads.get(impl);
        load.start(concurrency, recorder, done::increment);
        Thread.sleep(Math.min(200, sliceMs / 5)); // ramp-up, not counted
        recorder.reset();
        long c0 = done.sum();
        long cpu0 = OS.getProcessCpuTime();
        Alloc alloc0 = Alloc.snapshot();
        long t0 = System.nanoTime();
        Thread.sleep(sliceMs);
        long c1 = done.sum();
        long t1 = System.nanoTime();
        long cpu1 = OS.getProcessCpuTime();
        long bytes = Alloc.snapshot().since(alloc0);
        Histogram h = recorder.getIntervalHistogram();
        load.stop();
        if (round >= WARMUP_ROUNDS) {
          rates.get(impl).add((c1 - c0) * 1e9 / (t1 - t0));
          cpu.get(impl).add((cpu1 - cpu0) / 1e3 / Math.max(1, c1 - c0));
          latency.get(impl).add(h);
          alloc.get(impl).add((double) bytes / Math.max(1, c1 - c0));
        }
      }
    }
    return new Results(rates, cpu, latency, alloc);
  }
}
