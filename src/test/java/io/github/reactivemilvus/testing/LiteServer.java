package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.test.server.MilvusLite;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Milvus Lite server of the project's tests: the published test artifact's {@link MilvusLite} (its own process
 * group on 127.0.0.1, a free port, a fresh data directory, stopped with its whole process tree, also when the JVM
 * is killed), run from the project's venv and checked to answer a gRPC call before a test gets it (the artifact
 * waits only for the port). {@link MilvusLiteServer} (3.2.2) and {@link MilvusLite25Server} (2.5.1) differ in
 * the call that proves them ready.
 *
 * <p>Thread-safe: lifecycle methods block (test threads only, never a Reactor or Netty thread); accessors do not.
 */
public abstract class LiteServer implements AutoCloseable {

  /** One readiness probe: true when the server answered as expected; a wrong answer throws. */
  @FunctionalInterface
  interface Probe {
    boolean answered(int port);
  }

  private final MilvusLite lite;

  LiteServer(MilvusLite lite) {
    this.lite = lite;
  }

  /** The fixture this server is (for tests written against the published test artifact). */
  public MilvusLite lite() {
    return lite;
  }

  /** {@code 127.0.0.1}. */
  public String host() {
    return lite.host();
  }

  /** The server's port. */
  public int port() {
    return lite.port();
  }

  /** {@code http://127.0.0.1:P}. */
  public String uri() {
    return lite.uri();
  }

  /** {@code 127.0.0.1:P}, a grpc-java target. */
  public String target() {
    return lite.target();
  }

  /** The current data directory. */
  public Path dataDir() {
    return lite.dataDir();
  }

  /** True while the server process group is running. */
  public boolean isRunning() {
    return lite.isRunning();
  }

  /** Last lines of the current process output. */
  public String logTail(int lines) {
    return lite.logTail(lines);
  }

  /** SIGTERM to the group, SIGKILL after a grace period; keeps the data directory. */
  public void stop() {
    lite.stop();
  }

  /** Stops the server and deletes its directories. Idempotent. */
  @Override
  public void close() {
    lite.close();
  }

  /** {@link #awaitAnswered}, closing {@code lite} when it fails: for a server just started. */
  static void awaitAnswer(MilvusLite lite, String rpc, Duration timeout, Probe probe) {
    try {
      awaitAnswered(lite, rpc, timeout, probe);
    } catch (RuntimeException e) {
      lite.close();
      throw e;
    }
  }

  /** Probes {@code rpc} until it is answered, the process exits or {@code timeout} passes. */
  static void awaitAnswered(MilvusLite lite, String rpc, Duration timeout, Probe probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    StatusRuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!lite.isRunning()) {
        throw new IllegalStateException(lite.description() + " exited before answering " + rpc + " on port " + lite.port()
            + "; output tail:\n" + lite.logTail(30));
      }
      try {
        if (probe.answered(lite.port())) {
          return;
        }
      } catch (StatusRuntimeException e) {
        last = e;
      }
      sleep(200);
    }
    throw new IllegalStateException(lite.description() + " did not answer " + rpc + " on port " + lite.port() + " within "
        + timeout + " (last probe: " + last + "); output tail:\n" + lite.logTail(30));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + uri() + ", dataDir=" + dataDir() + "]";
  }
}
