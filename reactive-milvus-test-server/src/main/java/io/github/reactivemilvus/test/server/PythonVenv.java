package io.github.reactivemilvus.test.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The Python venv a Milvus Lite release runs from, installed on first use and reused by every later build.
 *
 * <p>Where: the system property {@code reactivemilvus.test.venv.<version>} (for 3.2.2 also
 * {@code reactivemilvus.test.venv}) or the environment variable {@code REACTIVE_MILVUS_TEST_VENV} (3.2.2)
 * names a venv to use (installed into when it lacks Milvus Lite); otherwise
 * {@code <cache>/reactive-milvus-test/milvus-lite-<version>}, the cache being {@code reactivemilvus.test.cache}
 * / {@code REACTIVE_MILVUS_TEST_CACHE}, else {@code $XDG_CACHE_HOME}, else {@code ~/.cache}
 * ({@code ~/Library/Caches} on macOS).
 *
 * <p>How: {@code python3} from the PATH (or {@code reactivemilvus.test.python} / {@code REACTIVE_MILVUS_TEST_PYTHON}),
 * {@code python3 -m venv}, {@code pip install} of the pinned packages. The install holds an exclusive file lock
 * ({@code <venv>.lock}), so two builds (two JVMs, two Maven runs) installing at once install once and the second
 * waits; a marker file written last tells a complete install from an interrupted one, which is removed and
 * redone. A missing Python or a failed install throws {@link IllegalStateException} naming what is missing
 * and the tail of pip's output. Thread-safe; blocks while installing (up to 15 minutes).
 */
public final class PythonVenv {

  /** The marker file written into a venv once its packages are installed. */
  public static final String MARKER = ".reactive-milvus-test-installed";
  private static final long INSTALL_TIMEOUT_MINUTES = 15;
  private static final Object IN_JVM = new Object();

  private PythonVenv() {
  }

  /** The venv directory used for {@code version} (it may not exist yet). */
  public static Path venvDir(LiteVersion version) {
    return venvDir(version, System.getenv());
  }

  static Path venvDir(LiteVersion version, Map<String, String> env) {
    String configured = nonBlank(System.getProperty("reactivemilvus.test.venv." + version.version()));
    if (configured == null && version == LiteVersion.V3_2_2) {
      configured = nonBlank(System.getProperty("reactivemilvus.test.venv"));
      if (configured == null) {
        configured = nonBlank(env.get("REACTIVE_MILVUS_TEST_VENV"));
      }
    }
    if (configured != null) {
      return Paths.get(configured).toAbsolutePath().normalize();
    }
    return cacheDir(env).resolve("reactive-milvus-test").resolve("milvus-lite-" + version.version());
  }

  static Path cacheDir(Map<String, String> env) {
    String dir = nonBlank(System.getProperty("reactivemilvus.test.cache"));
    if (dir == null) {
      dir = nonBlank(env.get("REACTIVE_MILVUS_TEST_CACHE"));
    }
    if (dir == null) {
      dir = nonBlank(env.get("XDG_CACHE_HOME"));
    }
    if (dir != null) {
      return Paths.get(dir).toAbsolutePath();
    }
    Path home = Paths.get(System.getProperty("user.home"));
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")
        ? home.resolve("Library").resolve("Caches") : home.resolve(".cache");
  }

  /**
   * The venv of {@code version}, installed first when needed.
   *
   * @throws IllegalStateException when Python is missing or the install failed (with the reason)
   */
  public static Path ensureInstalled(LiteVersion version) {
    Path venv = venvDir(version);
    if (isComplete(venv, version)) {
      return venv;
    }
    synchronized (IN_JVM) {
      try {
        Files.createDirectories(venv.getParent());
        Path lockFile = venv.resolveSibling(venv.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
          if (!isComplete(venv, version)) {
            install(venv, version);
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot install Milvus Lite " + version.version() + " into " + venv + ": " + e, e);
      }
    }
    return venv;
  }

  /** True when the venv holds the release: the marker, or (a venv made by other means) its server program. */
  static boolean isComplete(Path venv, LiteVersion version) {
    return Files.isRegularFile(venv.resolve(MARKER)) || isCompleteProgram(venv, version);
  }

  /** Milvus Lite 2.x's engine program ({@code site-packages/milvus_lite/lib/milvus}) in {@code venv}, or null. */
  static @Nullable Path liteEngine(Path venv) {
    Path lib = venv.resolve("lib");
    if (!Files.isDirectory(lib)) {
      return null;
    }
    try (DirectoryStream<Path> pythons = Files.newDirectoryStream(lib, "python3*")) {
      for (Path python : pythons) {
        Path engine = python.resolve("site-packages").resolve("milvus_lite").resolve("lib").resolve("milvus");
        if (Files.isExecutable(engine)) {
          return engine;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static void install(Path venv, LiteVersion version) throws IOException {
    String python = python();
    Path log = Files.createTempFile("reactive-milvus-test-install", ".log");
    try {
      if (Files.exists(venv) && !Files.isExecutable(venv.resolve("bin").resolve("python"))) {
        ServerProcess.deleteRecursively(venv);
      }
      if (!Files.exists(venv)) {
        run(List.of(python, "-m", "venv", venv.toString()), log,
            "'" + python + " -m venv' failed (on Debian and Ubuntu the python3-venv package provides it)");
      }
      List<String> pip = new ArrayList<>(List.of(venv.resolve("bin").resolve("python").toString(), "-m", "pip", "install",
          "--disable-pip-version-check", "--no-input", "-q"));
      pip.addAll(version.packages());
      run(pip, log, "pip install " + String.join(" ", version.packages()) + " failed");
      if (!isCompleteProgram(venv, version)) {
        throw new IllegalStateException("Milvus Lite " + version.version() + " installed into " + venv
            + " but its server program is missing");
      }
      Files.writeString(venv.resolve(MARKER), String.join(" ", version.packages()) + "\n", StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      ServerProcess.deleteRecursively(venv);
      throw e;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static boolean isCompleteProgram(Path venv, LiteVersion version) {
    return version == LiteVersion.V3_2_2 ? Files.isExecutable(venv.resolve("bin").resolve("milvus-lite"))
        : liteEngine(venv) != null;
  }

  /** The Python to create venvs with, checked to be there and 3.10 or later. */
  static String python() {
    String python = System.getProperty("reactivemilvus.test.python");
    if (python == null || python.isBlank()) {
      python = System.getenv("REACTIVE_MILVUS_TEST_PYTHON");
    }
    if (python == null || python.isBlank()) {
      python = "python3";
    }
    String version;
    try {
      Process p = new ProcessBuilder(python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])")
          .redirectErrorStream(true).start();
      // a few bytes of output fit the pipe: waiting first keeps the timeout in force
      boolean done = p.waitFor(30, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!done || p.exitValue() != 0) {
        throw new IllegalStateException("'" + python + "' does not run: " + version);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Milvus Lite needs Python 3.10 or later, but '" + python + "' is not on the PATH ("
          + e.getMessage() + "). Install Python 3, name it with -Dreactivemilvus.test.python=/path/to/python3, or run "
          + "the tests against a running Milvus with REACTIVE_MILVUS_TEST_URI=http://host:19530", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking for Python", e);
    }
    String[] parts = version.split("\\.");
    try {
      if (Integer.parseInt(parts[0]) < 3 || Integer.parseInt(parts[0]) == 3 && Integer.parseInt(parts[1]) < 10) {
        throw new IllegalStateException("Milvus Lite needs Python 3.10 or later; '" + python + "' is " + version);
      }
    } catch (RuntimeException e) {
      if (e instanceof IllegalStateException) {
        throw e;
      }
      throw new IllegalStateException("cannot tell the version of '" + python + "': " + version, e);
    }
    return python;
  }

  private static void run(List<String> command, Path log, String failure) {
    Process started = null;
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      started = p;
      if (!p.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        destroyWithDescendants(p);
        throw new IllegalStateException(failure + ": not done within " + INSTALL_TIMEOUT_MINUTES + " minutes; output:\n"
            + ServerProcess.tail(log, 40));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(failure + " (exit " + p.exitValue() + "); output:\n" + ServerProcess.tail(log, 40));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      if (started != null) {
        destroyWithDescendants(started); // before the caller deletes the venv it writes into
      }
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + failure, e);
    }
  }

  private static void destroyWithDescendants(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static @Nullable String nonBlank(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
