package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.testing.TcpRelay.Http2Frames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plaintext TCP proxy (127.0.0.1, free port) in front of an HTTP/2 server that reads the client's
 * HTTP/2 frame headers as they pass and records every PING the client sends (not the ACKs), with
 * how long the server had been quiet before it. A keepalive ping is sent after the configured time
 * without reads, so its quiet time is the keepalive interval; the pings grpc-java sends to measure
 * bandwidth follow data at once and have a quiet time near zero.
 *
 * <p>Bytes pass unchanged ({@link TcpRelay}: plain JDK threads with blocking sockets, never Reactor or
 * Netty threads); {@link #close()} closes every socket and joins every thread.
 */
public final class PingRecordingProxy implements AutoCloseable {

  /**
   * A PING from the client.
   *
   * @param atNanos {@link System#nanoTime()} when its header passed
   * @param quiet how long nothing had come from the server before it
   */
  public record Ping(long atNanos, Duration quiet) {}

  private final TcpRelay relay = new TcpRelay("ping-proxy");
  private final int port;
  private final List<Ping> pings = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  private PingRecordingProxy(int targetPort) throws IOException {
    port = relay.listen(client -> {
      connections.incrementAndGet();
      AtomicLong lastServerBytesNanos = new AtomicLong(System.nanoTime());
      relay.relayTo(client, targetPort, Http2Frames.client((type, flags, payload) -> {
        if (type == Http2Frames.TYPE_PING && (flags & Http2Frames.FLAG_ACK) == 0) {
          long now = System.nanoTime();
          pings.add(new Ping(now, Duration.ofNanos(now - lastServerBytesNanos.get())));
        }
      }), (buf, n) -> {
        lastServerBytesNanos.set(System.nanoTime());
        return true;
      });
    });
  }

  /** A proxy to {@code 127.0.0.1:targetPort}. */
  public static PingRecordingProxy to(int targetPort) {
    try {
      return new PingRecordingProxy(targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:port} of the proxy. */
  public String uri() {
    return "http://" + FreePorts.LOOPBACK + ":" + port;
  }

  /** Every PING the clients sent so far, in order. */
  public List<Ping> pings() {
    return List.copyOf(pings);
  }

  /** The pings that came after at least {@code quiet} without server bytes: keepalive pings. */
  public List<Ping> pingsAfterQuiet(Duration quiet) {
    return pings.stream().filter(p -> p.quiet().compareTo(quiet) >= 0).toList();
  }

  /** Client connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  @Override
  public void close() {
    relay.close();
  }
}
