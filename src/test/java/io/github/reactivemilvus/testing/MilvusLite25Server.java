package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.test.server.LiteVersion;
import io.github.reactivemilvus.test.server.MilvusLite;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Milvus Lite 2.5.1 server: the C++ Milvus engine (segcore, knowhere) behind a gRPC front, started by the
 * published test artifact's {@link MilvusLite} ({@link LiteVersion#V2_5_1}: its own process group on 127.0.0.1, a
 * free port, a fresh data directory, stopped with its whole process tree, also when the JVM is killed), run from
 * the project's venv, and checked to answer Connect before {@link #start()} returns.
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
 * <p>Thread-safe: lifecycle methods block (test threads only).
 */
public final class MilvusLite25Server extends LiteServer {

  /** The milvus-lite release installed by {@code scripts/install-lite25.sh}. */
  public static final String VERSION = LiteVersion.V2_5_1.version();

  private static final Duration START_TIMEOUT = Duration.ofSeconds(
      Long.getLong("milvus.lite25.startTimeoutSeconds", 60));

  private MilvusLite25Server(MilvusLite lite) {
    super(lite);
  }

  /** Starts a new server (installing the venv first if needed) and waits until it answers Connect. */
  public static MilvusLite25Server start() {
    MilvusLite lite = MilvusLite.start(MilvusLite.options().version(LiteVersion.V2_5_1).venv(ensureInstalled())
        .startTimeout(START_TIMEOUT));
    awaitAnswer(lite, "Connect", START_TIMEOUT, MilvusLite25Server::answersConnect);
    return new MilvusLite25Server(lite);
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

  /** Installs the venv once per JVM ({@code scripts/install-lite25.sh}) if its marker is missing; returns it. */
  public static Path ensureInstalled() {
    return TestVenv.ensureInstalled(venvDir(), "install-lite25.sh");
  }

  private static boolean answersConnect(int port) {
    ManagedChannel channel = GrpcProbe.plaintextChannel(port);
    try {
      var status = GrpcProbe.stub(channel, null).withDeadlineAfter(3, TimeUnit.SECONDS)
          .connect(ConnectRequest.getDefaultInstance()).getStatus();
      if (status.getCode() == 0 && status.getErrorCodeValue() == 0) {
        return true;
      }
      throw new IllegalStateException("port " + port + " answered Connect with " + status);
    } finally {
      channel.shutdownNow();
    }
  }
}
