package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.test.server.LiteVersion;
import io.github.reactivemilvus.test.server.MilvusLite;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;

/**
 * A real Milvus Lite 3.x server for the project's own tests: the published test artifact's
 * {@link MilvusLite} (reactive-milvus-test-server: own process group on 127.0.0.1, a free port, a fresh
 * data directory, stopped with its whole process tree, also when the JVM is killed), run from the
 * project's venv ({@link TestVenv}: {@code -Dmilvus.venv}, installed by {@code scripts/install-test-servers.sh}),
 * and checked to answer GetVersion before {@link #start()} returns.
 *
 * <p>Start one with {@link #start()}, or use {@link MilvusLiteExtension} to share one server across all test
 * classes. No authentication and no TLS. Chaos support: {@link #kill9()}, {@link #restartOnSamePort()}.
 *
 * <p>Thread-safe: lifecycle methods block (call them from test threads only, never from a Reactor or Netty
 * thread). Accessors never block.
 */
public final class MilvusLiteServer implements AutoCloseable {

  /** Milvus Lite version installed by {@code scripts/install-test-servers.sh}. */
  public static final String VERSION = LiteVersion.V3_2_2.version();
  /** What {@code GetVersion} answers. */
  public static final String EXPECTED_VERSION = "milvus_lite-" + VERSION;

  private final MilvusLite lite;

  private MilvusLiteServer(MilvusLite lite) {
    this.lite = lite;
  }

  /** Starts a new server (installing the venv first if needed) and waits until it answers GetVersion. */
  public static MilvusLiteServer start() {
    MilvusLite lite = MilvusLite.start(MilvusLite.options().venv(TestVenv.ensureInstalled()));
    MilvusLiteServer server = new MilvusLiteServer(lite);
    try {
      server.awaitVersion();
    } catch (RuntimeException e) {
      lite.close();
      throw e;
    }
    return server;
  }

  /** The fixture this server is (for tests written against the published test artifact). */
  public MilvusLite lite() {
    return lite;
  }

  public String host() {
    return lite.host();
  }

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

  /** Current data directory. */
  public Path dataDir() {
    return lite.dataDir();
  }

  /** Process group id of the running server, or -1 when stopped. */
  public long pgid() {
    return lite.pgid();
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

  /** SIGKILL to the whole group (simulates a crash); keeps the data directory. */
  public void kill9() {
    lite.kill9();
  }

  /** Kills the server and starts a new process on the same port and data directory; waits for GetVersion. */
  public void restartOnSamePort() {
    restartOnSamePort(false);
  }

  /** Like {@link #restartOnSamePort()}; {@code freshDataDir} starts from an empty directory. */
  public void restartOnSamePort(boolean freshDataDir) {
    lite.restartOnSamePort(freshDataDir);
    awaitVersion();
  }

  /** Stops the server and deletes its directories. Idempotent. */
  @Override
  public void close() {
    lite.close();
  }

  private void awaitVersion() {
    long deadline = System.nanoTime() + 30_000_000_000L;
    StatusRuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        GetVersionResponse version = GrpcProbe.getVersion(port(), null, 3_000);
        if (version.getVersion().startsWith("milvus_lite")) {
          return;
        }
        throw new IllegalStateException("port " + port() + " answered GetVersion with '" + version.getVersion()
            + "', not milvus_lite");
      } catch (StatusRuntimeException e) {
        last = e;
      }
      sleep(200);
    }
    throw new IllegalStateException("milvus-lite did not answer GetVersion on port " + port() + " (last probe: "
        + last + "); output tail:\n" + logTail(30));
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
    return "MilvusLiteServer[" + uri() + ", dataDir=" + dataDir() + "]";
  }
}
