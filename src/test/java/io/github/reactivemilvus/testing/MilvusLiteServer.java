package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.proto.GetVersionResponse;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Milvus Lite 3.x server ({@code milvus-lite server}) in its own process group on
 * 127.0.0.1, on a free port, with a fresh temporary data directory.
 *
 * <p>Start one with {@link #start()} (blocking until it answers GetVersion), or use
 * {@link MilvusLiteExtension} to share one server across all test classes. No authentication and
 * no TLS (milvus-lite ignores {@code authorization}).
 *
 * <p>Chaos support: {@link #kill9()} SIGKILLs the whole group; {@link #restartOnSamePort()} then
 * starts a new process on the same port and data directory (the data directory's flock is freed by
 * the OS when the process dies).
 *
 * <p>Thread-safe: lifecycle methods are synchronized and block (call them from test threads only,
 * never from a Reactor or Netty thread). Accessors never block.
 */
public final class MilvusLiteServer implements AutoCloseable {

  /** Milvus Lite version installed by {@code scripts/install-test-servers.sh}. */
  public static final String VERSION = "3.2.2";
  /** What {@code GetVersion} answers. */
  public static final String EXPECTED_VERSION = "milvus_lite-" + VERSION;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(
      Long.getLong("milvus.lite.startTimeoutSeconds", 90));
  private static final long TERM_GRACE_MILLIS = 5_000;

  private final Path baseDir;
  private final int port;
  private Path dataDir;
  private ServerProcess process;
  private int generation;
  private int generationLogs;
  private boolean closed;

  private MilvusLiteServer(Path baseDir, int port) {
    this.baseDir = baseDir;
    this.port = port;
  }

  /** Starts a new server (installing the venv first if needed) and waits until it answers. */
  public static MilvusLiteServer start() {
    Path exe = TestVenv.executable("milvus-lite"); // fails with the install reason
    Path base;
    try {
      base = Files.createTempDirectory("milvus-lite-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerProcess.deleteOnExit(base);
    MilvusLiteServer server = new MilvusLiteServer(base, FreePorts.freePort());
    try {
      server.launch(exe, server.newDataDir());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public String host() {
    return FreePorts.LOOPBACK;
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:P}. */
  public String uri() {
    return "http://" + host() + ":" + port;
  }

  /** {@code 127.0.0.1:P}, a grpc-java target. */
  public String target() {
    return host() + ":" + port;
  }

  /** Current data directory. */
  public synchronized Path dataDir() {
    return dataDir;
  }

  /** Process group id of the running server, or -1 when stopped. */
  public synchronized long pgid() {
    return process == null ? -1 : process.pgid();
  }

  /** True while the server process group is running. */
  public synchronized boolean isRunning() {
    return process != null && process.groupAlive();
  }

  /** Last lines of the current process output. */
  public synchronized String logTail(int lines) {
    return process == null ? "(not running)" : process.logTail(lines);
  }

  /** SIGTERM to the group, SIGKILL after a grace period; keeps the data directory. */
  public synchronized void stop() {
    if (process != null) {
      process.terminate(TERM_GRACE_MILLIS);
      process = null;
    }
  }

  /** SIGKILL to the whole group (simulates a crash); keeps the data directory. */
  public synchronized void kill9() {
    if (process != null) {
      process.kill9();
      process = null;
    }
  }

  /**
   * Stops the server if running (SIGKILL), then starts a new process on the same port and the
   * same data directory and waits until it answers. If the same directory cannot be reopened
   * (data dir still locked), it falls back to a fresh data directory.
   */
  public synchronized void restartOnSamePort() {
    restartOnSamePort(false);
  }

  /** Like {@link #restartOnSamePort()}; {@code freshDataDir} starts from an empty directory. */
  public synchronized void restartOnSamePort(boolean freshDataDir) {
    ensureOpen();
    kill9();
    Path exe = TestVenv.executable("milvus-lite");
    if (freshDataDir) {
      launch(exe, newDataDir());
      return;
    }
    try {
      launch(exe, dataDir);
    } catch (IllegalStateException e) {
      if (!String.valueOf(e.getMessage()).contains("Lock")) {
        throw e;
      }
      launch(exe, newDataDir());
    }
  }

  /** Stops the server and deletes its directories. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      ServerProcess.deleteNow(baseDir);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("server closed");
    }
  }

  private Path newDataDir() {
    generation++;
    dataDir = baseDir.resolve("data-" + generation);
    return dataDir;
  }

  private void launch(Path exe, Path dir) {
    Path log = baseDir.resolve("server-" + (++generationLogs) + ".log");
    process = ServerProcess.start("milvus-lite:" + port,
        List.of(exe.toString(), "server", "--data-dir", dir.toString(),
            "--host", FreePorts.LOOPBACK, "--port", Integer.toString(port)),
        baseDir, log, Map.of("PYTHONUNBUFFERED", "1"));
    awaitReady(log);
  }

  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String listening = "MilvusLite gRPC server listening on " + FreePorts.LOOPBACK + ":" + port;
    boolean sawLine = false;
    StatusRuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String tail = process.logTail(30);
        ServerProcess dead = process;
        process = null;
        dead.kill9();
        throw new IllegalStateException("milvus-lite exited with code " + dead.exitCode()
            + " before answering on port " + port + "; output tail:\n" + tail);
      }
      if (!sawLine) {
        sawLine = TestVenv.tail(log, 200).contains(listening);
      }
      if (sawLine || FreePorts.isListening(port)) {
        try {
          GetVersionResponse version = GrpcProbe.getVersion(port, null, 3_000);
          if (version.getVersion().startsWith("milvus_lite")) {
            return;
          }
          throw new IllegalStateException("port " + port + " answered GetVersion with '"
              + version.getVersion() + "', not milvus_lite");
        } catch (StatusRuntimeException e) {
          last = e;
        }
      }
      sleep(200);
    }
    String tail = process.logTail(30);
    stop();
    throw new IllegalStateException("milvus-lite did not answer GetVersion on port " + port + " within "
        + START_TIMEOUT + " (last probe: " + last + "); output tail:\n" + tail);
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
    return "MilvusLiteServer[" + uri() + ", dataDir=" + dataDir + "]";
  }
}
