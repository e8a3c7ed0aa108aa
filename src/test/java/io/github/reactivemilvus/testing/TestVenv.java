package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.test.server.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Locates the Python venvs that hold the real Milvus-protocol servers and installs them on first use.
 *
 * <p>The main venv ({@code milvus-lite}, {@code milvus-server}) is the system property {@code milvus.venv},
 * default {@code <project>/target/venv} (project = system property {@code project.basedir}, else the working
 * directory); other venvs (Milvus Lite 2.5.1's) sit beside it. If the marker file written by a venv's install
 * script ({@code scripts/install-test-servers.sh} for the main one) is missing, the script is run once per
 * JVM; its outcome (success or failure) is cached. A failed install throws {@link IllegalStateException}
 * carrying the tail of the script output, so integration tests fail with the reason instead of being skipped.
 *
 * <p>Thread-safe: {@link #ensureInstalled(Path, String)} is synchronized and blocks while installing.
 */
public final class TestVenv {

  /** Marker written by the install scripts when all packages are installed. */
  public static final String MARKER = ".test-servers-installed";

  private static final long INSTALL_TIMEOUT_MINUTES = 15;
  private static final Map<Path, Path> INSTALLED = new HashMap<>();
  private static final Map<Path, IllegalStateException> FAILED = new HashMap<>();

  private TestVenv() {
  }

  /** The project root directory. */
  public static Path projectDir() {
    String basedir = System.getProperty("project.basedir");
    return Paths.get(basedir != null && !basedir.isBlank() ? basedir : System.getProperty("user.dir"))
        .toAbsolutePath().normalize();
  }

  /** The venv directory (may not exist yet). */
  public static Path venvDir() {
    String venv = System.getProperty("milvus.venv");
    return venv != null && !venv.isBlank()
        ? Paths.get(venv).toAbsolutePath().normalize()
        : projectDir().resolve("target").resolve("venv");
  }

  /** Path of a console script in the venv's {@code bin}, installing the venv first if needed. */
  public static Path executable(String name) {
    Path exe = ensureInstalled().resolve("bin").resolve(name);
    if (!Files.isExecutable(exe)) {
      throw new IllegalStateException("test server executable missing: " + exe
          + " (delete " + venvDir().resolve(MARKER) + " to reinstall)");
    }
    return exe;
  }

  /**
   * Makes sure the main venv's servers are installed and returns the venv directory.
   *
   * @throws IllegalStateException if installing failed (also on every later call in this JVM)
   */
  public static Path ensureInstalled() {
    return ensureInstalled(venvDir(), "install-test-servers.sh");
  }

  /**
   * Makes sure {@code venv} is installed, running {@code scripts/<script> <venv>} when its marker is missing,
   * and returns it.
   *
   * @throws IllegalStateException if installing failed (also on every later call in this JVM)
   */
  public static synchronized Path ensureInstalled(Path venv, String script) {
    if (INSTALLED.containsKey(venv)) {
      return venv;
    }
    IllegalStateException failure = FAILED.get(venv);
    if (failure != null) {
      throw failure;
    }
    try {
      if (!Files.isRegularFile(venv.resolve(MARKER))) {
        runInstallScript(venv, projectDir().resolve("scripts").resolve(script));
      }
      INSTALLED.put(venv, venv);
      return venv;
    } catch (IllegalStateException e) {
      FAILED.put(venv, e);
      throw e;
    }
  }

  private static void runInstallScript(Path venv, Path script) {
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("install script not found: " + script);
    }
    Path log;
    try {
      log = Files.createTempFile("install-test-servers", ".log");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a log file for " + script, e);
    }
    Process process = null;
    boolean finished = false;
    try {
      process = new ProcessBuilder("bash", script.toString(), venv.toString())
          .directory(projectDir().toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      finished = process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      if (!finished) {
        throw new IllegalStateException(script.getFileName() + " did not finish within "
            + INSTALL_TIMEOUT_MINUTES + " min; output tail:\n" + ServerProcess.tail(log, 40));
      }
      if (process.exitValue() != 0 || !Files.isRegularFile(venv.resolve(MARKER))) {
        throw new IllegalStateException("installing the test servers failed (exit "
            + process.exitValue() + ", " + script + "); output tail:\n" + ServerProcess.tail(log, 40));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing the test servers", e);
    } finally {
      if (process != null && !finished) {
        // timed out or interrupted: the script's pip runs as its child
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // temp file; best effort
      }
    }
  }
}
