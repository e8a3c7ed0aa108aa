package io.github.reactivemilvus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.reactivemilvus.config.ConnectionConfig;
import io.milvus.v2.client.ConnectConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Shared settings and helpers of the benchmarks. */
final class Support {
  /** System property naming the JSON-lines file that gets the measurements JMH has no column for. */
  static final String EXTRA_PROPERTY = "bench.extra";

  private static final ObjectMapper JSON = new ObjectMapper();

  private Support() {}

  /** Our config for one loopback endpoint: one channel, limits high enough for concurrency 256. */
  static ConnectionConfig ourConfig(int port) {
    return ourConfig(port, 1);
  }

  /** {@link #ourConfig(int)} with {@code poolSize} channels (HTTP/2 connections, each on its own event loop). */
  static ConnectionConfig ourConfig(int port, int poolSize) {
    return ConnectionConfig.builder()
        .host(LoopbackMilvusServer.HOST)
        .port(port)
        .poolSize(poolSize)
        .maxConcurrentCalls(1024)
        .maxPendingCalls(16384)
        .build();
  }

  /** The SDK's config for one loopback endpoint. */
  static ConnectConfig sdkConfig(int port) {
    return ConnectConfig.builder()
        .uri("http://" + LoopbackMilvusServer.HOST + ":" + port)
        .connectTimeoutMs(10_000)
        .build();
  }

  /** Heap in use after full collections, once two readings in a row agree within 64 KiB. */
  static long usedHeapAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      long used = mem.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - last) < 64 * 1024) {
        return Math.min(used, last);
      }
      last = used;
    }
    return last;
  }

  static void shutdown(ExecutorService pool) {
    if (pool == null) {
      return;
    }
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Appends one measurement record (benchmark, params, values) to the extra-results file. */
  static synchronized void record(String benchmark, Map<String, Object> params, Map<String, Object> values) {
    Map<String, Object> rec = new LinkedHashMap<>();
    rec.put("benchmark", benchmark);
    rec.put("params", params);
    rec.put("values", values);
    String line;
    try {
      line = JSON.writeValueAsString(rec);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("[extra] " + line);
    String file = System.getProperty(EXTRA_PROPERTY);
    if (file == null || file.isBlank()) {
      return;
    }
    try {
      Files.writeString(
          Path.of(file),
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
