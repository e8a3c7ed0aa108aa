package io.github.reactivemilvus.test.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The public process and port handling, with a shell standing in for a server (no Milvus needed). */
class ServerProcessTest {

  /** A "server" that forks a child, then ignores SIGTERM, as a stuck server would. */
  private static final String STUBBORN = "sleep 300 & trap '' TERM; echo started; wait";

  @Test
  void terminateStopsTheWholeGroupEvenWhenTheServerIgnoresSigterm() throws Exception {
    Path dir = ServerProcess.createTempDirectory("server-process-test-");
    try {
      ServerProcess server = ServerProcess.start("stubborn", List.of("sh", "-c", STUBBORN), dir, dir.resolve("out.log"),
          Map.of());
      awaitLog(server, "started");
      assertThat(server.isAlive()).isTrue();
      assertThat(ServerProcess.groupMembers(server.pgid())).as("the shell, its child and the watchdog").hasSizeGreaterThan(2);
      assertThat(server.exitCode()).isEmpty();

      server.terminate(Duration.ofMillis(500));

      assertThat(server.groupAlive()).isFalse();
      assertThat(server.isAlive()).isFalse();
      assertThat(server.exitCode()).isPresent();
      assertThat(server.logTail(5)).contains("started");
    } finally {
      ServerProcess.deleteTempDirectory(dir);
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void kill9EndsTheGroupAtOnce() throws Exception {
    Path dir = ServerProcess.createTempDirectory("server-process-test-");
    try {
      ServerProcess server = ServerProcess.start("stubborn", List.of("sh", "-c", STUBBORN), dir, dir.resolve("out.log"),
          Map.of("UNUSED", "1"));
      awaitLog(server, "started");
      server.kill9();
      assertThat(ServerProcess.groupMembers(server.pgid())).isEmpty();
    } finally {
      ServerProcess.deleteTempDirectory(dir);
    }
  }

  @Test
  void aFreePortIsBindableAndAClosedPortRefusesConnections() throws Exception {
    int closed = FreePorts.closedPort();
    assertThat(FreePorts.isListening(closed)).isFalse();
    int free = FreePorts.freePort();
    assertThat(free).isGreaterThanOrEqualTo(10_000);
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(FreePorts.LOOPBACK, free));
      assertThat(FreePorts.isListening(free)).isTrue();
    }
  }

  private static void awaitLog(ServerProcess server, String line) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!server.logTail(5).contains(line) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.logTail(5)).contains(line);
  }
}
