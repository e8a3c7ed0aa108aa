package io.github.reactivemilvus.test.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a test server lives across restarts: a temporary directory of its own (data, logs) and the one
 * {@link ServerProcess} running in it at a time. A server that can be stopped, crashed ({@link #kill9()}) and
 * started again keeps one of these; {@link MilvusLite} does.
 *
 * <pre>{@code
 * ServerHome home = ServerHome.create("my-server-", Duration.ofSeconds(5));
 * ServerProcess p = home.start("my-server", List.of(...), home.directory(), home.directory().resolve("out.log"), Map.of());
 * ...
 * home.close();   // stops the process group (SIGTERM, SIGKILL after 5 s) and deletes the directory
 * }</pre>
 *
 * <p>Thread-safe: every method is synchronized; {@link #stop()}, {@link #kill9()} and {@link #close()} block until
 * the process group is gone.
 */
public final class ServerHome implements AutoCloseable {

  private final Path directory;
  private final Duration termGrace;
  private @Nullable ServerProcess process;
  private boolean closed;

  private ServerHome(Path directory, Duration termGrace) {
    this.directory = directory;
    this.termGrace = termGrace;
  }

  /**
   * A new home in a fresh temporary directory named {@code prefix...} (deleted at JVM exit at the latest), whose
   * process {@link #stop()} gives {@code termGrace} between SIGTERM and SIGKILL.
   */
  public static ServerHome create(String prefix, Duration termGrace) {
    Objects.requireNonNull(termGrace, "termGrace");
    return new ServerHome(ServerProcess.createTempDirectory(prefix), termGrace);
  }

  /** The home's directory. */
  public Path directory() {
    return directory;
  }

  /**
   * Starts the home's process ({@link ServerProcess#start}); returns at once.
   *
   * @throws IllegalStateException when the home is closed or its process still runs
   */
  public synchronized ServerProcess start(String name, List<String> command, Path workDir, Path log,
      Map<String, String> environment) {
    if (closed) {
      throw new IllegalStateException(name + ": closed");
    }
    if (process != null) {
      throw new IllegalStateException(name + ": " + process + " still runs; stop it first");
    }
    ServerProcess started = ServerProcess.start(name, command, workDir, log, environment);
    process = started;
    return started;
  }

  /** The running process, or null when stopped. */
  public synchronized @Nullable ServerProcess process() {
    return process;
  }

  /** True while the process group runs. */
  public synchronized boolean isRunning() {
    return process != null && process.groupAlive();
  }

  /** The last lines of the running process's log, or {@code (not running)}. */
  public synchronized String logTail(int lines) {
    return process == null ? "(not running)" : process.logTail(lines);
  }

  /** SIGTERM to the group, SIGKILL after the grace period; keeps the directory. Does nothing when stopped. */
  public synchronized void stop() {
    ServerProcess running = process;
    process = null;
    if (running != null) {
      running.terminate(termGrace);
    }
  }

  /** SIGKILL to the group (a crash); keeps the directory. Does nothing when stopped. */
  public synchronized void kill9() {
    ServerProcess running = process;
    process = null;
    if (running != null) {
      running.kill9();
    }
  }

  /** Stops the process and deletes the directory. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      ServerProcess.deleteTempDirectory(directory);
    }
  }

  /** True once {@link #close()} was called. */
  public synchronized boolean closed() {
    return closed;
  }

  @Override
  public String toString() {
    return "ServerHome[" + directory + ", " + process + "]";
  }
}
