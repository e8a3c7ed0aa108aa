package io.github.reactivemilvus.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Thread-leak check: take a {@link #snapshot()} before creating a registry, close it, then
 * {@link #assertNoNewThreads(Duration, String...)} asserts that no thread that was not alive at the
 * snapshot and whose name starts with one of the prefixes survives. Threads die asynchronously,
 * so it polls until the deadline.
 *
 * <pre>{@code
 * LeakCheck before = LeakCheck.snapshot();
 * try (var registry = ...) { ... }
 * before.assertNoNewThreads(Duration.ofSeconds(10), LeakCheck.DEFAULT_PREFIXES);
 * }</pre>
 *
 * <p>Immutable snapshot; thread-safe. The assertion blocks (polls) on the calling test thread.
 */
public final class LeakCheck {

  /** Prefixes of threads a connection registry may start. */
  public static final String[] DEFAULT_PREFIXES = {"milvus-", "grpc-", "nioEventLoop", "epoll",
    "multiThreadIoEventLoopGroup"};

  private final Set<Long> threadIds;

  private LeakCheck(Set<Long> threadIds) {
    this.threadIds = threadIds;
  }

  /** The threads alive now. */
  public static LeakCheck snapshot() {
    return new LeakCheck(Thread.getAllStackTraces().keySet().stream().map(Thread::getId)
        .collect(Collectors.toUnmodifiableSet()));
  }

  /** Names of all live threads now. */
  public static Set<String> liveThreadNames() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
  }

  /** Live threads started after this snapshot whose names start with one of the prefixes. */
  public List<Thread> newThreads(String... prefixes) {
    List<Thread> result = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && !threadIds.contains(t.getId()) && matches(t.getName(), prefixes)) {
        result.add(t);
      }
    }
    return result;
  }

  /**
   * Polls until no new thread matching the prefixes is alive, or throws {@link AssertionError}
   * listing the survivors and their stacks after {@code timeout}.
   */
  public void assertNoNewThreads(Duration timeout, String... prefixes) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Thread> survivors = newThreads(prefixes);
    while (!survivors.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      survivors = newThreads(prefixes);
    }
    if (!survivors.isEmpty()) {
      StringBuilder message = new StringBuilder("threads still alive after ").append(timeout)
          .append(" (prefixes ").append(Arrays.toString(prefixes)).append("):");
      Set<String> seen = new HashSet<>();
      for (Thread t : survivors) {
        message.append("\n  ").append(t.getName()).append(" [").append(t.getState()).append(']');
        StackTraceElement[] stack = t.getStackTrace();
        if (seen.add(t.getName().replaceAll("\\d+", "#"))) {
          for (int i = 0; i < Math.min(8, stack.length); i++) {
            message.append("\n      at ").append(stack[i]);
          }
        }
      }
      throw new AssertionError(message.toString());
    }
  }

  private static boolean matches(String name, String[] prefixes) {
    if (prefixes.length == 0) {
      return true;
    }
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
