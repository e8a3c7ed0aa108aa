package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.test.server.ServerHome;
import io.github.reactivemilvus.test.server.ServerProcess;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Milvus 2.3.5 standalone server (PyPI {@code milvus}, console script {@code milvus-server})
 * with authorization enabled (user {@code root}, password {@code Milvus}), with a fresh data directory
 * and free ports. The process runs in the published test artifact's {@link ServerHome} (as Milvus Lite
 * does): its own process group, stopped whole, also by a watchdog when the JVM is killed.
 *
 * <p>The {@code milvus-server} CLI treats every port as a starting point and moves up to the next
 * free one, so the actual proxy port is read back from {@code <data>/configs/milvus.yaml}
 * ({@code proxy.port}). Readiness = GetVersion with root/Milvus succeeds (a cold start takes
 * seconds to minutes; timeout: system property {@code milvus.standalone.startTimeoutSeconds},
 * default 240).
 *
 * <p>All ports are free ones, including the embedded etcd's client and peer ports (otherwise
 * fixed at 2379/2380): an etcd config file on 127.0.0.1 is passed through the environment
 * variable {@code ETCD_CONFIG_PATH} (Milvus maps it to {@code etcd.config.path}), so several
 * servers can run side by side. Caveat: Milvus binds its gRPC ports on all interfaces; the
 * {@code milvus-server} CLI offers no way to change that.
 *
 * <p>Thread-safe; lifecycle methods block (test threads only).
 */
public final class MilvusStandaloneServer implements AutoCloseable {

  public static final String VERSION = "2.3.5";
  public static final String USER = "root";
  public static final String PASSWORD = "Milvus";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(
      Long.getLong("milvus.standalone.startTimeoutSeconds", 240));
  private static final Duration TERM_GRACE = Duration.ofSeconds(10);

  private final ServerHome home;
  private final Path baseDir;
  private final Path dataDir;
  private int port = -1;
  private String version;
  private Duration startupTime;
  private List<String> lastCommand;
  private Map<String, String> lastEnvironment;

  private MilvusStandaloneServer(ServerHome home) {
    this.home = home;
    this.baseDir = home.directory();
    this.dataDir = baseDir.resolve("data");
  }

  /** Starts a new server with authorization enabled and waits until it answers GetVersion. */
  public static MilvusStandaloneServer start() {
    Path exe = TestVenv.executable("milvus-server");
    MilvusStandaloneServer server = new MilvusStandaloneServer(ServerHome.create("milvus-standalone-", TERM_GRACE));
    try {
      server.launch(exe);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public String host() {
    return FreePorts.LOOPBACK;
  }

  /** Actual proxy (gRPC) port. */
  public synchronized int port() {
    return port;
  }

  /** {@code http://127.0.0.1:P}. */
  public String uri() {
    return "http://" + host() + ":" + port();
  }

  public String user() {
    return USER;
  }

  public String password() {
    return PASSWORD;
  }

  /** Headers with {@code authorization: base64(root:Milvus)}. */
  public Metadata credentials() {
    return GrpcProbe.authHeaders(USER, PASSWORD);
  }

  /** Version string GetVersion answered when the server became ready (e.g. {@code v2.3.5-lite}). */
  public synchronized String version() {
    return version;
  }

  /** Time from launching the process to the first successful GetVersion. */
  public synchronized Duration startupTime() {
    return startupTime;
  }

  public Path dataDir() {
    return dataDir;
  }

  public boolean isRunning() {
    return home.isRunning();
  }

  /** Tail of the wrapper output and of Milvus' own stdout/stderr logs. */
  public synchronized String logTail(int lines) {
    StringBuilder out = new StringBuilder();
    out.append("--- milvus-server output ---\n").append(ServerProcess.tail(baseDir.resolve("server.log"), lines));
    for (String name : List.of("milvus-stderr.log", "milvus-stdout.log")) {
      Path log = dataDir.resolve("logs").resolve(name);
      if (Files.exists(log)) {
        out.append("\n--- ").append(name).append(" ---\n").append(ServerProcess.tail(log, lines));
      }
    }
    return out.toString();
  }

  /** SIGTERM to the group, SIGKILL after a grace period. */
  public void stop() {
    home.stop();
  }

  /** SIGKILL to the whole group. */
  public void kill9() {
    home.kill9();
  }

  /** Stops the server and deletes its directories. Idempotent. */
  @Override
  public void close() {
    home.close();
  }

  private void launch(Path exe) {
    List<String> command = new ArrayList<>(List.of(exe.toString(), "--data", dataDir.toString(),
        "--authorization-enabled", "true"));
    for (String flag : List.of("--proxy-port", "--proxy-internal-port", "--etcd-port", "--root-coord-port",
        "--query-coord-port", "--query-node-port", "--index-coord-port", "--index-node-port",
        "--data-coord-port", "--data-node-port")) {
      command.add(flag);
      command.add(Integer.toString(FreePorts.freePort()));
    }
    Path etcdConfig = baseDir.resolve("embed-etcd.yaml");
    int etcdClient = FreePorts.freePort();
    int etcdPeer = FreePorts.freePort();
    try {
      Files.writeString(etcdConfig, String.join("\n",
          "name: milvus-test",
          "listen-client-urls: http://127.0.0.1:" + etcdClient,
          "advertise-client-urls: http://127.0.0.1:" + etcdClient,
          "listen-peer-urls: http://127.0.0.1:" + etcdPeer,
          "initial-advertise-peer-urls: http://127.0.0.1:" + etcdPeer,
          "initial-cluster: milvus-test=http://127.0.0.1:" + etcdPeer, ""), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lastCommand = List.copyOf(command);
    lastEnvironment = Map.of("PYTHONUNBUFFERED", "1", "ETCD_CONFIG_PATH", etcdConfig.toString());
    run(START_TIMEOUT);
  }

  private void run(Duration timeout) {
    long started = System.nanoTime();
    ServerProcess process = home.start("milvus-standalone", lastCommand, baseDir, baseDir.resolve("server.log"),
        lastEnvironment);
    awaitReady(process, started, timeout);
  }

  /**
   * Chaos support: SIGKILLs the group if it still runs, then starts the server again with the same
   * ports (proxy, etcd and the others) and the same data directory, and waits until it answers
   * GetVersion within {@code timeout}. Fails if the proxy came back on another port.
   */
  public synchronized void restartOnSamePorts(Duration timeout) {
    if (home.closed()) {
      throw new IllegalStateException("closed");
    }
    kill9();
    int before = port;
    port = -1; // read again from the configuration the restarted server writes
    run(timeout);
    if (port != before) {
      throw new IllegalStateException("the proxy came back on port " + port + ", not " + before);
    }
  }

  private void awaitReady(ServerProcess process, long started, Duration timeout) {
    long deadline = started + timeout.toNanos();
    Path config = dataDir.resolve("configs").resolve("milvus.yaml");
    String last = "no probe yet";
    Metadata credentials = credentials();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String tail = logTail(30);
        kill9();
        throw new IllegalStateException("Milvus standalone (milvus-server " + VERSION + ") exited with code "
            + process.exitCode().orElse(-1) + " before it was ready; " + tail);
      }
      if (port < 0) {
        port = readProxyPort(config);
      }
      if (port > 0 && FreePorts.isListening(port)) {
        try {
          GetVersionResponse response = GrpcProbe.getVersion(port, credentials, 5_000);
          if (response.getStatus().getCode() == 0 && response.getStatus().getErrorCodeValue() == 0
              && !response.getVersion().isEmpty()) {
            if (!response.getVersion().startsWith("v" + VERSION)) {
              String tail = logTail(30);
              stop();
              throw new IllegalStateException("port " + port + " is served by another server (GetVersion '"
                  + response.getVersion() + "'), not Milvus " + VERSION + "; " + tail);
            }
            version = response.getVersion();
            startupTime = Duration.ofNanos(System.nanoTime() - started);
            return;
          }
          last = "GetVersion status " + response.getStatus();
        } catch (StatusRuntimeException e) {
          last = e.getStatus().toString();
        }
      }
      LiteServer.sleep(500);
    }
    String tail = logTail(30);
    stop();
    throw new IllegalStateException("Milvus standalone did not answer GetVersion (root/Milvus) within "
        + timeout + " (proxy port " + port + ", last probe: " + last + "); " + tail);
  }

  /** {@code proxy.port} from the generated milvus.yaml, or -1 if not written yet. */
  static int readProxyPort(Path config) {
    if (!Files.isRegularFile(config)) {
      return -1;
    }
    try {
      String yaml = Files.readString(config, StandardCharsets.UTF_8);
      boolean inProxy = false;
      for (String line : yaml.split("\\R")) {
        if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
          inProxy = line.startsWith("proxy:");
          continue;
        }
        if (inProxy) {
          Matcher m = Pattern.compile("^  port:\\s*(\\d+)").matcher(line);
          if (m.find()) {
            return Integer.parseInt(m.group(1));
          }
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    return "MilvusStandaloneServer[" + uri() + ", " + version + "]";
  }
}
