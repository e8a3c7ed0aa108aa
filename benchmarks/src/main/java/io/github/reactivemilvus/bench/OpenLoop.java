package io.github.reactivemilvus.bench;

import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * An open-loop HTTP load generator: requests are sent at a fixed rate whatever the answers do, and
 * each request's latency is measured from the time it was meant to be sent (not the time it was
 * sent), so a stalled service is charged for every request that should have gone out meanwhile
 * (coordinated omission corrected). One sender thread paces the requests; Reactor Netty's HTTP
 * client on its own single event loop (not the service's) sends them over up to 4,000 keep-alive
 * connections. Latencies go into an HdrHistogram {@link Recorder}.
 */
final class OpenLoop implements AutoCloseable {
  /** A step of one rate: what it sent and how long the answers took. */
  record Step(double rate, long sent, long completed, long errors, boolean aborted, Histogram latencies) {
    double p50Ms() {
      return latencies.getValueAtPercentile(50) / 1e6;
    }

    double p99Ms() {
      return latencies.getValueAtPercentile(99) / 1e6;
    }

    double maxMs() {
      return latencies.getMaxValue() / 1e6;
    }

    boolean passed(double p99LimitMs) {
      return !aborted && errors == 0 && completed == sent && latencies.getTotalCount() > 0 && p99Ms() < p99LimitMs;
    }
  }

  private final LoopResources loop = LoopResources.create("loadgen", 1, true);
  private final ConnectionProvider connections = ConnectionProvider.builder("loadgen")
      .maxConnections(4000)
      .pendingAcquireMaxCount(-1)
      .pendingAcquireTimeout(Duration.ofSeconds(60))
      .build();
  private final HttpClient http;
  private final AtomicInteger outstanding = new AtomicInteger();

  OpenLoop(int port) {
    http = HttpClient.create(connections).runOn(loop).baseUrl("http://" + LoopbackMilvusServer.HOST + ":" + port)
        .responseTimeout(Duration.ofSeconds(30));
  }

  /**
   * Sends {@code method path?q=i} at {@code rate} per second for {@code warmupMs} (not recorded) and
   * then {@code measureMs}, and waits for the answers (at most {@code drainMs}). The step is aborted
   * (stops sending, fails) once more than {@code max(200, rate / 4)} requests are unanswered: then
   * the answers already take over 250 ms on average, far over any limit checked here.
   */
  Step run(HttpMethod method, String path, double rate, long warmupMs, long measureMs, long drainMs) {
    // answers still due from an earlier step would count against this one
    long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (outstanding.get() > 0 && System.nanoTime() < settle) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    AtomicLong completed = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long period = (long) (1e9 / rate);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long measureFrom = start + TimeUnit.MILLISECONDS.toNanos(warmupMs);
    long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMs);
    int limit = (int) Math.max(200, rate / 4);
    long sent = 0;
    boolean aborted = false;
    for (long i = 0;; i++) {
      long intended = start + i * period;
      if (intended >= end) {
        break;
      }
      long now;
      while ((now = System.nanoTime()) < intended) {
        LockSupport.parkNanos(intended - now);
      }
      if (outstanding.get() > limit) {
        aborted = true;
        break;
      }
      boolean measured = intended >= measureFrom;
      if (measured) {
        sent++;
      }
      outstanding.incrementAndGet();
      http.request(method).uri(path + "?q=" + i)
          .responseSingle((res, body) -> body.asString().defaultIfEmpty("").map(b -> res.status().code()))
          .subscribe(code -> {
            long latency = System.nanoTime() - intended;
            if (measured) {
              if (code == 200) {
                recorder.recordValue(Math.min(latency, TimeUnit.SECONDS.toNanos(60)));
                completed.incrementAndGet();
              } else {
                errors.incrementAndGet();
              }
            }
            outstanding.decrementAndGet();
          }, e -> {
            if (measured) {
              errors.incrementAndGet();
            }
            outstanding.decrementAndGet();
          });
    }
    long drainUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMs);
    while (outstanding.get() > 0 && System.nanoTime() < drainUntil) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return new Step(rate, sent, completed.get(), errors.get(), aborted || outstanding.get() > 0,
        recorder.getIntervalHistogram());
  }

  /** Requests sent and not answered yet (a step that timed out its drain leaves some). */
  int outstanding() {
    return outstanding.get();
  }

  @Override
  public void close() {
    connections.disposeLater().block(Duration.ofSeconds(10));
    loop.disposeLater().block(Duration.ofSeconds(10));
  }
}
