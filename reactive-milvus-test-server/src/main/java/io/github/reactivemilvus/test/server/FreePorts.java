package io.github.reactivemilvus.test.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback port helpers for tests: every server of this artifact binds {@value #LOOPBACK} on a port from
 * {@link #freePort()}; tests of connection failures use {@link #closedPort()}.
 *
 * <p>{@link #freePort()} returns a port on which nothing listens (on any interface), chosen at
 * random BELOW the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}). A
 * server started right after can bind it; ports handed out by {@code bind(0)} to other processes
 * on the machine come from the ephemeral range, so they cannot steal it in between.
 * {@link #closedPort()} returns a port on which nothing listens, for "connection refused" tests.
 * Thread-safe; the calls block briefly (socket bind/close).
 */
public final class FreePorts {

  /** Loopback host used by every test server. */
  public static final String LOOPBACK = "127.0.0.1";

  private static final int LOWEST = 10_000;
  private static final Set<Integer> AVOID = Set.of(19529, 19530, 19531, 21121, 21123, 21124, 22930,
      13333, 27017, 15672);

  private FreePorts() {
  }

  /** A port that was free on all interfaces a moment ago, outside the ephemeral range. */
  public static int freePort() {
    int highest = ephemeralLow() - 1;
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
      if (!AVOID.contains(port) && canBind(port)) {
        return port;
      }
    }
    throw new IllegalStateException("cannot find a free port in " + LOWEST + ".." + highest);
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(port), 1); // wildcard: free on every interface
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > LOWEST + 1_000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  /**
   * A port on 127.0.0.1 with nothing listening: a connect attempt is refused. Checked by a
   * connect attempt after the port was released.
   */
  public static int closedPort() {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port = freePort();
      if (!isListening(port)) {
        return port;
      }
    }
    throw new IllegalStateException("could not find a closed loopback port");
  }

  /** True if a TCP connect to 127.0.0.1:port succeeds within 500 ms. */
  public static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
