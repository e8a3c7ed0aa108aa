package io.github.reactivemilvus.test.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A real Milvus Lite server in its own process group on 127.0.0.1, on a free port, with a fresh temporary
 * data directory: 3.2.2 by default, 2.5.1 (the C++ engine) with {@link Options#version(LiteVersion)}.
 *
 * <pre>{@code
 * try (MilvusLite milvus = MilvusLite.start()) {
 *   ... milvus.uri() ...   // http://127.0.0.1:<port>
 * }
 * }</pre>
 *
 * <p>{@link #start(Options)} installs the release into its cached venv when needed ({@link PythonVenv}) and
 * returns once the server accepts connections. {@link #close()} stops the whole process group (SIGTERM, then
 * SIGKILL after 5 s) and deletes the data directory; a JVM shutdown hook does the same for servers still
 * running at exit, and a watchdog process kills the group when the JVM dies without running its hooks.
 * No authentication and no TLS (Milvus Lite ignores the {@code authorization} header).
 *
 * <p>For failure tests: {@link #kill9()} SIGKILLs the group; {@link #restartOnSamePort()} starts a new process
 * on the same port and data directory.
 *
 * <p>Thread-safe: the lifecycle methods block (call them from test threads, never from a
 * Reactor or Netty thread); the accessors do not block.
 */
public final class MilvusLite implements MilvusServer {

  /** The loopback address every server binds. */
  public static final String HOST = FreePorts.LOOPBACK;
  private static final Duration TERM_GRACE = Duration.ofSeconds(5);

  private final Options options;
  private final Path venv;
  private final ServerHome home;
  private final int port;
  private Path dataDir;
  private int generation;
  private int logs;

  private MilvusLite(Options options, Path venv, ServerHome home, int port) {
    this.options = options;
    this.venv = venv;
    this.home = home;
    this.port = port;
    this.dataDir = createDataDir(home.directory(), ++generation);
  }

  /** Default options: Milvus Lite 3.2.2 from its cached venv, 90 s to start. */
  public static Options options() {
    return new Options();
  }

  /** Starts Milvus Lite 3.2.2 (installing it first if needed) and waits until it accepts connections. */
  public static MilvusLite start() {
    return start(options());
  }

  /**
   * Starts a server as {@code options} say and waits until it accepts connections.
   *
   * @throws IllegalStateException when Python or the install is missing, or the server does not start (with the
   *     server's output)
   */
  public static MilvusLite start(Options options) {
    Objects.requireNonNull(options, "options");
    Path venv = options.venv != null ? options.venv : PythonVenv.ensureInstalled(options.version);
    ServerHome home = ServerHome.create("milvus-lite-" + options.version.version() + "-", TERM_GRACE);
    try {
      MilvusLite server = new MilvusLite(options, venv, home, FreePorts.freePort());
      server.launch(server.dataDir);
      return server;
    } catch (RuntimeException e) {
      home.close();
      throw e;
    }
  }

  /** The release this server runs. */
  public LiteVersion version() {
    return options.version;
  }

  /** {@value #HOST}. */
  public String host() {
    return HOST;
  }

  /** The server's port. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  @Override
  public String uri() {
    return "http://" + HOST + ":" + port;
  }

  /** {@code 127.0.0.1:<port>}, a grpc-java target. */
  public String target() {
    return HOST + ":" + port;
  }

  @Override
  public String description() {
    return "milvus-lite " + options.version.version();
  }

  @Override
  public boolean external() {
    return false;
  }

  /** The current data directory. */
  public synchronized Path dataDir() {
    return dataDir;
  }

  /** The server's process group id, or -1 when stopped. */
  public long pgid() {
    ServerProcess process = home.process();
    return process == null ? -1 : process.pgid();
  }

  /** True while the server's process group runs. */
  public boolean isRunning() {
    return home.isRunning();
  }

  /** The last lines of the server's output. */
  public String logTail(int lines) {
    return home.logTail(lines);
  }

  /** SIGTERM to the group, SIGKILL after a grace period; keeps the data directory. */
  public void stop() {
    home.stop();
  }

  /** SIGKILL to the whole group (a crash); keeps the data directory. */
  public void kill9() {
    home.kill9();
  }

  /**
   * Stops the server if running (SIGKILL), then starts a new process on the same port and data directory and
   * waits until it accepts connections; when the directory cannot be reopened, starts from a fresh one.
   */
  public synchronized void restartOnSamePort() {
    restartOnSamePort(false);
  }

  /** Like {@link #restartOnSamePort()}; {@code freshDataDir} starts from an empty directory. */
  public synchronized void restartOnSamePort(boolean freshDataDir) {
    if (home.closed()) {
      throw new IllegalStateException("server closed");
    }
    kill9();
    if (freshDataDir) {
      launch(newDataDir());
      return;
    }
    try {
      launch(dataDir);
    } catch (ExitedBeforeReady e) {
      if (!e.dataDirLocked) {
        throw e;
      }
      launch(newDataDir());
    }
  }

  /** Stops the server and deletes its directories. Idempotent. */
  @Override
  public void close() {
    home.close();
  }

  private Path newDataDir() {
    dataDir = createDataDir(home.directory(), ++generation);
    return dataDir;
  }

  private static Path createDataDir(Path baseDir, int generation) {
    Path dir = baseDir.resolve("data-" + generation);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void launch(Path dir) {
    Path log = home.directory().resolve("server-" + (++logs) + ".log");
    String name = "milvus-lite-" + options.version.version() + ":" + port;
    ServerProcess started;
    if (options.version == LiteVersion.V3_2_2) {
      Path exe = venv.resolve("bin").resolve("milvus-lite");
      started = home.start(name, List.of(exe.toString(), "server", "--data-dir", dir.toString(),
          "--host", HOST, "--port", Integer.toString(port)), home.directory(), log, Map.of("PYTHONUNBUFFERED", "1"));
    } else {
      Path engine = PythonVenv.liteEngine(venv);
      if (engine == null) {
        throw new IllegalStateException("Milvus Lite 2.5.1's engine (site-packages/milvus_lite/lib/milvus) is missing in "
            + venv + "; delete that venv to reinstall it");
      }
      String libs = String.valueOf(engine.getParent());
      String inherited = System.getenv("LD_LIBRARY_PATH");
      started = home.start(name, List.of(engine.toString(), dir.resolve("milvus.db").toString(),
          HOST + ":" + port, "ERROR"), dir, log,
          Map.of("LD_LIBRARY_PATH", inherited == null || inherited.isBlank() ? libs : libs + ":" + inherited));
    }
    awaitReady(started, log);
  }

  private void awaitReady(ServerProcess started, Path log) {
    long start = System.nanoTime();
    long deadline = start + options.startTimeout.toNanos();
    String listening = "listening on " + HOST + ":" + port;
    while (System.nanoTime() < deadline) {
      if (!started.isAlive()) {
        String tail = started.logTail(30);
        kill9();
        // the server's own output is the only word on why it stopped: a killed predecessor's lock on the data
        // directory is read from there, once, and carried as a flag
        throw new ExitedBeforeReady(description() + " exited with code " + started.exitCode().orElse(-1) + " before accepting"
            + " connections on port " + port + "; output:\n" + tail, tail.contains("Lock"));
      }
      if (FreePorts.isListening(port)) {
        // 3.2.2 logs once its gRPC server is serving; 2.5.1 logs nothing at level ERROR
        boolean announced = options.version != LiteVersion.V3_2_2 || ServerProcess.tail(log, 200).contains(listening);
        if (announced || System.nanoTime() - start > Duration.ofSeconds(10).toNanos()) {
          return;
        }
      }
      sleep(100);
    }
    String tail = started.logTail(30);
    stop();
    throw new IllegalStateException(description() + " did not accept connections on port " + port + " within "
        + options.startTimeout + "; output:\n" + tail);
  }

  /** The server process ended before it accepted connections; whether its log names a lock on the data directory. */
  private static final class ExitedBeforeReady extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    final boolean dataDirLocked;

    ExitedBeforeReady(String message, boolean dataDirLocked) {
      super(message);
      this.dataDirLocked = dataDirLocked;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "MilvusLite[" + description() + ", " + uri() + ", dataDir=" + dataDir + "]";
  }

  /**
   * How to start a {@link MilvusLite}: the release ({@code -Dreactivemilvus.test.lite=2.5.1} changes the
   * default), the venv (default: the release's cached venv) and the start timeout
   * ({@code -Dreactivemilvus.test.startTimeoutSeconds}, default 90). Immutable.
   */
  public static final class Options {
    private final LiteVersion version;
    private final @Nullable Path venv;
    private final Duration startTimeout;

    Options() {
      this(defaultVersion(), null, Duration.ofSeconds(Long.getLong("reactivemilvus.test.startTimeoutSeconds", 90)));
    }

    private Options(LiteVersion version, @Nullable Path venv, Duration startTimeout) {
      this.version = version;
      this.venv = venv;
      this.startTimeout = startTimeout;
    }

    private static LiteVersion defaultVersion() {
      String v = System.getProperty("reactivemilvus.test.lite");
      return v == null || v.isBlank() ? LiteVersion.V3_2_2 : LiteVersion.of(v);
    }

    /** The release to start. */
    public Options version(LiteVersion version) {
      return new Options(Objects.requireNonNull(version, "version"), venv, startTimeout);
    }

    /** A venv that already holds the release (no install). */
    public Options venv(Path venv) {
      return new Options(version, venv, startTimeout);
    }

    /** How long to wait for the server to accept connections. */
    public Options startTimeout(Duration timeout) {
      return new Options(version, venv, Objects.requireNonNull(timeout, "timeout"));
    }

    /** The release to start. */
    public LiteVersion version() {
      return version;
    }
  }
}
