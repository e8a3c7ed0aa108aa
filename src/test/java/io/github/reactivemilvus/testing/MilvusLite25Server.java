package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.proto.ConnectRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Milvus Lite 2.5.1 server: the C++ Milvus engine (segcore, knowhere) behind a gRPC front,
 * started as {@code $SITE/milvus_lite/lib/milvus DIR/lite.db 127.0.0.1:PORT ERROR} in its own
 * process group, on a free port, with a fresh temporary data directory.
 *
 * <p>It implements Connect and the data RPCs and answers UNIMPLEMENTED for GetVersion, CheckHealth,
 * databases, partitions, aliases, users and compaction (see {@code shared/reference/test-servers.md}),
 * so readiness is a Connect answered with success. No authentication, no TLS.
 *
 * <p>The venv ({@code milvus-lite==2.5.1}, {@code pymilvus==2.5.18}) is the system property
 * {@code milvus.venv.lite25}, default {@code venv-lite25} beside the {@link TestVenv} venv; it is
 * installed on first use by {@code scripts/install-lite25.sh} (once per JVM; a failure fails the tests
 * with the script's output). Use {@link MilvusLite25Extension} to share one server per test run.
 *
 * <p>Thread-safe: lifecycle methods are synchronized and block (test threads only).
 */
public final class MilvusLite25Server implements AutoCloseable {

  /** The milvus-lite release installed by {@code scripts/install-lite25.sh}. */
  public static final String VERSION = "2.5.1";
  /** Marker written by the install script. */
  public static final String MARKER = ".test-servers-installed";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(
      Long.getLong("milvus.lite25.startTimeoutSeconds", 60));
  private static final long TERM_GRACE_MILLIS = 5_000;
  private static Path installed;
  private static IllegalStateException installFailure;

  private final Path baseDir;
  private final int port;
  private ServerProcess process;
  private boolean closed;

  private MilvusLite25Server(Path baseDir, int port) {
    this.baseDir = baseDir;
    this.port = port;
  }

  /** Starts a new server (installing the venv first if needed) and waits until it answers Connect. */
  public static MilvusLite25Server start() {
    Path venv = ensureInstalled();
    Path base;
    try {
      base = Files.createTempDirectory("milvus-lite25-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerProcess.deleteOnExit(base);
    MilvusLite25Server server = new MilvusLite25Server(base, FreePorts.freePort());
    try {
      server.launch(venv);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The venv directory (may not exist yet). */
  public static Path venvDir() {
    String venv = System.getProperty("milvus.venv.lite25");
    return venv != null && !venv.isBlank()
        ? Paths.get(venv).toAbsolutePath().normalize()
        : TestVenv.venvDir().resolveSibling("venv-lite25");
  }

  /** The venv's Python (pymilvus 2.5.18), installing the venv first if needed. */
  public static Path python() {
    return ensureInstalled().resolve("bin").resolve("python");
  }

  /** Installs the venv once per JVM if its marker is missing; returns it. */
  public static synchronized Path ensureInstalled() {
    if (installed != null) {
      return installed;
    }
    if (installFailure != null) {
      throw installFailure;
    }
    Path venv = venvDir();
    if (!Files.isRegularFile(venv.resolve(MARKER))) {
      try {
        runInstallScript(venv);
      } catch (IllegalStateException e) {
        installFailure = e;
        throw e;
      }
    }
    installed = venv;
    return venv;
  }

  private static void runInstallScript(Path venv) {
    Path script = TestVenv.projectDir().resolve("scripts").resolve("install-lite25.sh");
    try {
      Path log = Files.createTempFile("install-lite25", ".log");
      try {
        Process p = new ProcessBuilder("bash", script.toString(), venv.toString())
            .directory(TestVenv.projectDir().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IllegalStateException(script + " did not finish within 15 min:\n" + TestVenv.tail(log, 40));
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(venv.resolve(MARKER))) {
          throw new IllegalStateException(script + " failed (exit " + p.exitValue() + "):\n" + TestVenv.tail(log, 40));
        }
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing Milvus Lite 2.5.1", e);
    }
  }

  /** The site-packages directory of the venv. */
  static Path sitePackages(Path venv) {
    Path lib = venv.resolve("lib");
    try (var dirs = Files.list(lib)) {
      return dirs.filter(d -> d.getFileName().toString().startsWith("python")).map(d -> d.resolve("site-packages"))
          .filter(Files::isDirectory).findFirst()
          .orElseThrow(() -> new IllegalStateException("no site-packages under " + lib));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** The data directory (holds {@code lite.db}). */
  public Path dataDir() {
    return baseDir.resolve("data");
  }

  /** True while the server process group is running. */
  public synchronized boolean isRunning() {
    return process != null && process.groupAlive();
  }

  /** Last lines of the server output. */
  public synchronized String logTail(int lines) {
    return process == null ? "(not running)" : process.logTail(lines);
  }

  /** SIGTERM to the group, SIGKILL after a grace period. */
  public synchronized void stop() {
    if (process != null) {
      process.terminate(TERM_GRACE_MILLIS);
      process = null;
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

  private void launch(Path venv) {
    Path lib = sitePackages(venv).resolve("milvus_lite").resolve("lib");
    Path exe = lib.resolve("milvus");
    if (!Files.isExecutable(exe)) {
      throw new IllegalStateException("Milvus Lite 2.5.1 binary missing: " + exe + " (delete " + venv.resolve(MARKER)
          + " to reinstall)");
    }
    Path data = dataDir();
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = baseDir.resolve("server.log");
    process = ServerProcess.start("milvus-lite-2.5.1:" + port,
        List.of(exe.toString(), data.resolve("lite.db").toString(), FreePorts.LOOPBACK + ":" + port, "ERROR"),
        data, log, Map.of("LD_LIBRARY_PATH", lib.toString()));
    awaitReady();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    StatusRuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String tail = process.logTail(30);
        ServerProcess dead = process;
        process = null;
        dead.kill9();
        throw new IllegalStateException("milvus-lite 2.5.1 exited with code " + dead.exitCode()
            + " before answering on port " + port + "; output tail:\n" + tail);
      }
      if (FreePorts.isListening(port)) {
        ManagedChannel channel = GrpcProbe.plaintextChannel(port);
        try {
          var status = GrpcProbe.stub(channel, null).withDeadlineAfter(3, TimeUnit.SECONDS)
              .connect(ConnectRequest.getDefaultInstance()).getStatus();
          if (status.getCode() == 0 && status.getErrorCodeValue() == 0) {
            return;
          }
          throw new IllegalStateException("port " + port + " answered Connect with " + status);
        } catch (StatusRuntimeException e) {
          last = e;
        } finally {
          channel.shutdownNow();
        }
      }
      MilvusLiteServer.sleep(100);
    }
    String tail = process.logTail(30);
    stop();
    throw new IllegalStateException("milvus-lite 2.5.1 did not answer Connect on port " + port + " within "
        + START_TIMEOUT + " (last probe: " + last + "); output tail:\n" + tail);
  }

  @Override
  public String toString() {
    return "MilvusLite25Server[" + uri() + "]";
  }
}
