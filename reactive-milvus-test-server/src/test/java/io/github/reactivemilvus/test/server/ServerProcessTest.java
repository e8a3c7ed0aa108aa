package io.github.reactivemilvus.test.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The public process, directory and port handling, with a shell standing in for a server (no Milvus needed). */
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
  void aStopRightAfterTheStartFindsTheServerInItsOwnGroupAndEndsIt() throws Exception {
    Path dir = ServerProcess.createTempDirectory("server-process-test-");
    try {
      for (int i = 0; i < 5; i++) {
        ServerProcess server = ServerProcess.start("quick", List.of("sleep", "300"), dir, dir.resolve(i + ".log"), Map.of());
        assertThat(ServerProcess.groupMembers(server.pgid())).as("the group exists when start returns").isNotEmpty();
        server.terminate(Duration.ofMillis(500));
        assertThat(server.groupAlive()).isFalse();
      }
    } finally {
      ServerProcess.deleteTempDirectory(dir);
    }
  }

  @Test
  void aProgramThatCannotStartIsNamedWithoutItsArguments() {
    Path dir = ServerProcess.createTempDirectory("server-process-test-");
    try {
      assertThatThrownBy(() -> ServerProcess.start("absent", List.of("/nonexistent/server", "--password", "s3cret"),
          dir.resolve("missing-dir"), dir.resolve("out.log"), Map.of()))
          .hasMessageContaining("cannot start absent (/nonexistent/server)").hasMessageNotContaining("s3cret");
    } finally {
      ServerProcess.deleteTempDirectory(dir);
    }
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
  void aHomeRunsOneProcessAtATimeAndClosingStopsItAndDeletesTheDirectory() throws Exception {
    ServerHome home = ServerHome.create("server-home-test-", Duration.ofMillis(500));
    Path dir = home.directory();
    ServerProcess first = home.start("stubborn", List.of("sh", "-c", STUBBORN), dir, dir.resolve("1.log"), Map.of());
    awaitLog(first, "started");
    assertThatThrownBy(() -> home.start("second", List.of("sleep", "300"), dir, dir.resolve("2.log"), Map.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("still runs");

    home.kill9();
    assertThat(home.isRunning()).isFalse();
    assertThat(home.logTail(5)).isEqualTo("(not running)");
    ServerProcess second = home.start("stubborn", List.of("sh", "-c", STUBBORN), dir, dir.resolve("2.log"), Map.of());
    awaitLog(second, "started");
    assertThat(home.process()).isSameAs(second);

    home.close();
    assertThat(ServerProcess.groupMembers(second.pgid())).isEmpty();
    assertThat(dir).doesNotExist();
    assertThat(home.closed()).isTrue();
    assertThatThrownBy(() -> home.start("late", List.of("sleep", "300"), dir, dir.resolve("3.log"), Map.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    home.close();
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
