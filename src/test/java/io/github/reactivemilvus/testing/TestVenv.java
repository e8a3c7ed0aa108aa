package io.github.reactivemilvus.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Locates the Python venv that holds the real Milvus-protocol servers ({@code milvus-lite},
 * {@code milvus-server}) and installs them on first use.
 *
 * <p>The venv is the system property {@code milvus.venv}, default {@code <project>/target/venv}
 * (project = system property {@code project.basedir}, else the working directory). If the marker
 * file written by {@code scripts/install-test-servers.sh} is missing, the script is run once per
 * JVM; its outcome (success or failure) is cached. A failed install throws
 * {@link IllegalStateException} carrying the tail of the script output, so integration tests fail
 * with the reason instead of being skipped.
 *
 * <p>Thread-safe: {@link #ensureInstalled()} is synchronized and blocks while installing.
 */
public final class TestVenv {

  /** Marker written by the install script when all packages are installed. */
  public static final String MARKER = ".test-servers-installed";

  private static final long INSTALL_TIMEOUT_MINUTES = 15;
  private static Path installed;
  private static IllegalStateException failure;

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
   * Makes sure the servers are installed and returns the venv directory.
   *
   * @throws IllegalStateException if installing failed (also on every later call in this JVM)
   */
  public static synchronized Path ensureInstalled() {
    if (installed != null) {
      return installed;
    }
    if (failure != null) {
      throw failure;
    }
    Path venv = venvDir();
    if (Files.isRegularFile(venv.resolve(MARKER))) {
      installed = venv;
      return venv;
    }
    try {
      runInstallScript(venv);
      installed = venv;
      return venv;
    } catch (IllegalStateException e) {
      failure = e;
      throw e;
    }
  }

  private static void runInstallScript(Path venv) {
    Path script = projectDir().resolve("scripts").resolve("install-test-servers.sh");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("install script not found: " + script);
    }
    Path log;
    try {
      log = Files.createTempFile("install-test-servers", ".log");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a log file for " + script, e);
    }
    try {
      Process process = new ProcessBuilder("bash", script.toString(), venv.toString())
          .directory(projectDir().toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      boolean done = process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      if (!done) {
        process.destroyForcibly();
        throw new IllegalStateException("install-test-servers.sh did not finish within "
            + INSTALL_TIMEOUT_MINUTES + " min; output tail:\n" + tail(log, 40));
      }
      if (process.exitValue() != 0 || !Files.isRegularFile(venv.resolve(MARKER))) {
        throw new IllegalStateException("installing the test servers failed (exit "
            + process.exitValue() + ", " + script + "); output tail:\n" + tail(log, 40));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing the test servers", e);
    } finally {
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // temp file; best effort
      }
    }
  }

  /** The last {@code lines} lines of a text file, or a note if it cannot be read. */
  static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "(no file " + file + ")";
      }
      byte[] bytes = Files.readAllBytes(file);
      List<String> all = List.of(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
