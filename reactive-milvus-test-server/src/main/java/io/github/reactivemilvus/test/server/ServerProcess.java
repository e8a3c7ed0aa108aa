package io.github.reactivemilvus.test.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server process started with {@code setsid}, so that it leads its own process group and the whole
 * group (the server plus any children it forks) can be signalled at once.
 *
 * <p>Output (stdout and stderr) goes to a log file. Every live group is registered with a JVM shutdown
 * hook that SIGKILLs it (a test run that ends or is interrupted). A watchdog in the group, a shell reading
 * a pipe whose other end only this JVM holds, kills the group when the pipe closes: when the JVM dies
 * without running its hooks ({@code kill -9}, a crash), no server outlives it.
 *
 * <p>Thread-safe; {@link #terminate(long)} and {@link #kill9()} block until the group is gone.
 * Linux only (uses {@code /proc} and {@code kill}).
 */
final class ServerProcess {

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

  /** Starts {@code setsid command...} with output to {@code log} and a watchdog tied to this JVM. */
  static ServerProcess start(String name, List<String> command, Path workDir, Path log, Map<String, String> env) {
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
    builder.environment().putAll(env);
    try {
      ServerProcess p = new ServerProcess(name, builder.start(), log);
      LIVE.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", full), e);
    }
  }

  /** Registers a directory to delete when the JVM exits (if still present). */
  static void deleteOnExit(Path dir) {
    DIRS_TO_DELETE.add(dir);
  }

  /** Deletes a directory tree now (best effort) and unregisters it from the exit hook. */
  static void deleteNow(Path dir) {
    deleteRecursively(dir);
    DIRS_TO_DELETE.remove(dir);
  }

  long pgid() {
    return pgid;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** True while the direct child is running. */
  boolean isAlive() {
    return process.isAlive();
  }

  /** True while any non-zombie process of the group exists. */
  boolean groupAlive() {
    return !groupMembers().isEmpty();
  }

  /** Pids of the live (non-zombie) processes whose process group is this one. */
  List<Long> groupMembers() {
    return groupMembers(pgid);
  }

  /** Pids of the live (non-zombie) processes of process group {@code pgid}. */
  static List<Long> groupMembers(long pgid) {
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

  /** SIGTERM to the group, then SIGKILL after {@code graceMillis}; waits until the group is gone. */
  void terminate(long graceMillis) {
    signalGroup("TERM");
    if (!awaitGroupGone(graceMillis)) {
      signalGroup("KILL");
      awaitGroupGone(10_000);
    }
    finish();
  }

  /** SIGKILL to the group; waits until the group is gone. */
  void kill9() {
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
    if (groupAlive()) {
      throw new IllegalStateException(name + ": process group " + pgid + " survived SIGKILL: " + groupMembers());
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

  /** Last lines of the log. */
  String logTail(int lines) {
    return tail(log, lines);
  }

  /** The last {@code lines} lines of a text file, or a note if it cannot be read. */
  static String tail(Path file, int lines) {
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

  /** Exit code if the direct child has exited, else null. */
  Integer exitCode() {
    return process.isAlive() ? null : process.exitValue();
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
