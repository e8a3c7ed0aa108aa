package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.test.server.LiteVersion;
import io.github.reactivemilvus.test.server.MilvusLite;
import java.time.Duration;

/**
 * A real Milvus Lite 3.x server for the project's own tests: the published test artifact's
 * {@link MilvusLite} (reactive-milvus-test-server: own process group on 127.0.0.1, a free port, a fresh
 * data directory, stopped with its whole process tree, also when the JVM is killed), run from the
 * project's venv ({@link TestVenv}: {@code -Dmilvus.venv}, installed by {@code scripts/install-test-servers.sh}),
 * and checked to answer GetVersion before {@link #start()} returns.
 *
 * <p>Start one with {@link #start()}, or use {@link MilvusLiteExtension} to share one server across all test
 * classes ({@link LiteServer} has the accessors). No authentication and no TLS. Chaos support: {@link #kill9()}, {@link #restartOnSamePort()}.
 *
 * <p>Thread-safe: lifecycle methods block (call them from test threads only, never from a Reactor or Netty
 * thread). Accessors never block.
 */
public final class MilvusLiteServer extends LiteServer {

  /** Milvus Lite version installed by {@code scripts/install-test-servers.sh}. */
  public static final String VERSION = LiteVersion.V3_2_2.version();
  /** What {@code GetVersion} answers. */
  public static final String EXPECTED_VERSION = "milvus_lite-" + VERSION;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private MilvusLiteServer(MilvusLite lite) {
    super(lite);
  }

  /** Starts a new server (installing the venv first if needed) and waits until it answers GetVersion. */
  public static MilvusLiteServer start() {
    MilvusLite lite = MilvusLite.start(MilvusLite.options().venv(TestVenv.ensureInstalled()));
    awaitAnswer(lite, "GetVersion", READY_TIMEOUT, MilvusLiteServer::answersVersion);
    return new MilvusLiteServer(lite);
  }

  /** Process group id of the running server, or -1 when stopped. */
  public long pgid() {
    return lite().pgid();
  }

  /** SIGKILL to the whole group (simulates a crash); keeps the data directory. */
  public void kill9() {
    lite().kill9();
  }

  /** Kills the server and starts a new process on the same port and data directory; waits for GetVersion. */
  public void restartOnSamePort() {
    restartOnSamePort(false);
  }

  /** Like {@link #restartOnSamePort()}; {@code freshDataDir} starts from an empty directory. */
  public void restartOnSamePort(boolean freshDataDir) {
    lite().restartOnSamePort(freshDataDir);
    awaitAnswered(lite(), "GetVersion", READY_TIMEOUT, MilvusLiteServer::answersVersion);
  }

  private static boolean answersVersion(int port) {
    GetVersionResponse version = GrpcProbe.getVersion(port, null, 3_000);
    if (!version.getVersion().startsWith("milvus_lite")) {
      throw new IllegalStateException("port " + port + " answered GetVersion with '" + version.getVersion()
          + "', not milvus_lite");
    }
    return true;
  }
}
