package io.github.reactivemilvus.test.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server process for tests, started with {@code setsid} so that it leads its own process group and the
 * whole group (the server plus any children it forks) can be signalled at once. {@link MilvusLite} runs
 * on it; it is public so that tests starting another server (a Milvus standalone, a proxy in its own
 * process) get the same guarantees without a copy:
 *
 * <pre>{@code
 * Path dir = ServerProcess.createTempDirectory("my-server-");      // deleted at JVM exit at the latest
 * int port = FreePorts.freePort();
 * ServerProcess server = ServerProcess.start("my-server", List.of("my-server", "--port", "" + port),
 *     dir, dir.resolve("server.log"), Map.of());
 * ...
 * server.terminate(Duration.ofSeconds(5));                        // SIGTERM, SIGKILL after 5 s
 * ServerProcess.deleteTempDirectory(dir);
 * }</pre>
 *
 * <p>{@link ServerHome} keeps the directory and the one process of a server that is stopped and started again.
 *
 * <p>Output (stdout and stderr) goes to a log file. Every live group is registered with a JVM shutdown
 * hook that SIGKILLs it (a test run that ends or is interrupted). A watchdog in the group, a shell reading
 * a pipe whose other end only this JVM holds, kills the group when the pipe closes: when the JVM dies
 * without running its hooks ({@code kill -9}, a crash), no server outlives it.
 *
 * <p>Thread-safe; {@link #terminate(Duration)} and {@link #kill9()} block until the group is gone.
 * Linux only (uses {@code setsid}, {@code /proc} and {@code kill}).
 */
public final class ServerProcess {

  private static final Set<ServerProcess> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<Path> DIRS_TO_DELETE = ConcurrentHashMap.newKeySet();

  static {
    Thread hook = new Thread(() -> {
      for (ServerProcess p : LIVE) {
        p.signalGroup("KILL");
      }
      for (Path dir : DIRS_TO_DELETE) {
        deleteRecursively(dir);
      }
    }, "milvus-test-server-shutdown-hook");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private final String name;
  private final Process process;
  private final long pgid;
  private final Path log;

  private ServerProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.pgid = process.pid(); // setsid execs in place: the child is the group leader
    this.log = log;
  }

  /**
   * The watchdog: fd 3 keeps the pipe from this JVM (a background list's stdin would be /dev/null);
   * the subshell waits for its end of file, then SIGKILLs its own process group (kill 0), the server's.
   */
  private static final String WATCHDOG = "exec 3<&0; ( cat <&3 >/dev/null; kill -s KILL 0 ) &"
      + " exec \"$@\" </dev/null 3<&-";

  /**
   * Starts {@code command} in a new process group, in {@code workDir}, with stdout and stderr appended to
   * {@code log}, {@code environment} added to this JVM's, and a watchdog tied to this JVM. Returns at once
   * (the caller waits for the server to be ready).
   *
   * @param name a name for messages and the process list
   * @throws java.io.UncheckedIOException when the process cannot be started
   */
  public static ServerProcess start(String name, List<String> command, Path workDir, Path log,
      Map<String, String> environment) {
    List<String> full = new ArrayList<>();
    full.add("setsid");
    full.add("sh");
    full.add("-c");
    full.add(WATCHDOG);
    full.add(name);
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.PIPE)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      // the program only: the arguments may hold a password or a token
      throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
    }
    awaitOwnGroup(process);
    ServerProcess p = new ServerProcess(name, process, log);
    LIVE.add(p);
    return p;
  }

  /**
   * Waits (up to 5 s) until {@code setsid} has made the process the leader of its own group, so that a
   * stop right after the start signals the group instead of finding it empty; returns at once when the
   * process has ended.
   */
  private static void awaitOwnGroup(Process process) {
    Path stat = Paths.get("/proc", Long.toString(process.pid()), "stat");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (process.isAlive() && System.nanoTime() < deadline) {
      try {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" "); // state, ppid, pgrp, ...
        if (Long.parseLong(fields[2]) == process.pid()) {
          return;
        }
        Thread.sleep(1);
      } catch (IOException | RuntimeException e) {
        return; // gone between the check and the read
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Creates a new temporary directory (for a server's data and logs) that a JVM shutdown hook deletes
   * if {@link #deleteTempDirectory(Path)} has not by then.
   *
   * @throws java.io.UncheckedIOException when it cannot be created
   */
  public static Path createTempDirectory(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      DIRS_TO_DELETE.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory " + prefix + "*", e);
    }
  }

  /** Deletes a directory tree now (best effort) and forgets it in the exit hook. */
  public static void deleteTempDirectory(Path dir) {
    deleteRecursively(dir);
    DIRS_TO_DELETE.remove(dir);
  }

  /** The process group id (the pid of the group leader, which {@code setsid} made of the started command). */
  public long pgid() {
    return pgid;
  }

  /** The log file the output goes to. */
  public Path log() {
    return log;
  }

  /** True while the started command itself runs (not counting the processes it forked). */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** True while any live (non-zombie) process of the group exists. */
  public boolean groupAlive() {
    return !groupMembers(pgid).isEmpty();
  }

  /** The pids of the live (non-zombie) processes of process group {@code pgid}; reads {@code /proc}. */
  public static List<Long> groupMembers(long pgid) {
    List<Long> members = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Paths.get("/proc"), "[0-9]*")) {
      for (Path dir : proc) {
        String stat;
        try {
          stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
          continue; // process vanished
        }
        // pid (comm) state ppid pgrp ...; comm may contain spaces, so parse after ')'
        int close = stat.lastIndexOf(')');
        if (close < 0) {
          continue;
        }
        String[] fields = stat.substring(close + 2).split(" ");
        if (fields.length > 2 && !"Z".equals(fields[0]) && Long.parseLong(fields[2]) == pgid) {
          members.add(Long.parseLong(dir.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return members;
  }

  /**
   * SIGTERM to the group, then SIGKILL when it is still there after {@code grace}; returns once the whole
   * group is gone.
   *
   * @throws IllegalStateException when a process of the group survives SIGKILL
   */
  public void terminate(Duration grace) {
    signalGroup("TERM");
    if (!awaitGroupGone(grace.toMillis())) {
      signalGroup("KILL");
      awaitGroupGone(10_000);
    }
    finish();
  }

  /**
   * SIGKILL to the group (a crash); returns once the whole group is gone.
   *
   * @throws IllegalStateException when a process of the group survives SIGKILL
   */
  public void kill9() {
    signalGroup("KILL");
    awaitGroupGone(10_000);
    finish();
  }

  private void finish() {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      process.getOutputStream().close(); // the watchdog's pipe: its group is gone, and the descriptor goes too
    } catch (IOException ignored) {
      // closing
    }
    if (groupAlive()) {
      throw new IllegalStateException(name + ": process group " + pgid + " survived SIGKILL: " + groupMembers(pgid));
    }
    LIVE.remove(this);
  }

  private boolean awaitGroupGone(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (groupAlive()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !groupAlive();
      }
    }
    return true;
  }

  private void signalGroup(String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // fall back to the direct child only
      if (signal.equals("KILL")) {
        process.destroyForcibly();
      } else {
        process.destroy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last {@code lines} lines of the log. */
  public String logTail(int lines) {
    return tail(log, lines);
  }

  /** The last {@code lines} lines of a text file, or a note saying why there are none. */
  public static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "(no file " + file + ")";
      }
      List<String> all = List.of(Files.readString(file, StandardCharsets.ISO_8859_1).split("\\R"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** The started command's exit code once it has exited, else empty. */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }

  @Override
  public String toString() {
    return name + "[pgid=" + pgid + "]";
  }
}
