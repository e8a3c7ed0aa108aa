package io.github.reactivemilvus.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Bytes allocated by every thread of this JVM, from {@code com.sun.management.ThreadMXBean}: a
 * snapshot per live thread; the difference of two snapshots counts threads that started between
 * them from zero (a thread that ended in between is lost, which the benchmarks avoid by keeping
 * their threads alive).
 */
final class Alloc {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> byThread;

  private Alloc(Map<Long, Long> byThread) {
    this.byThread = byThread;
  }

  static Alloc snapshot() {
    long[] ids = THREADS.getAllThreadIds();
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> m = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        m.put(ids[i], bytes[i]);
      }
    }
    return new Alloc(m);
  }

  /** Bytes allocated since {@code earlier}, all threads. */
  long since(Alloc earlier) {
    long total = 0;
    for (Map.Entry<Long, Long> e : byThread.entrySet()) {
      total += e.getValue() - earlier.byThread.getOrDefault(e.getKey(), 0L);
    }
    return total;
  }
}
