package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.testing.TcpRelay.Http2Frames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plaintext TCP proxy (127.0.0.1, free port) in front of an HTTP/2 server that can turn into a
 * blackhole: after {@link #blackhole()} nothing passes in either direction and nothing is closed,
 * as when a middlebox loses its state or a link goes dark. It also records every GOAWAY frame the
 * server sends, with its error code and debug data.
 *
 * <ul>
 *   <li>A connection open when the blackhole starts is dead for good: its bytes are read and
 *       dropped both ways, its sockets stay open (the peers see no FIN and no RST).
 *   <li>A connection accepted during the blackhole is held: accepted, never read, never answered,
 *       as a handshake that does not get through. {@link #heal()} connects it to the server then,
 *       with nothing lost (its bytes waited in the socket buffers).
 *   <li>After {@link #heal()} new connections pass as before.
 * </ul>
 *
 * <p>Relayed by {@link TcpRelay} (plain JDK threads with blocking sockets, never Reactor or Netty threads);
 * {@link #close()} closes every socket, held ones included, and joins every thread.
 */
public final class BlackholeProxy implements AutoCloseable {
  /** HTTP/2 ENHANCE_YOUR_CALM, what a server sends with {@code too_many_pings}. */
  public static final long ENHANCE_YOUR_CALM = 0xb;

  /**
   * A GOAWAY frame from the server.
   *
   * @param atNanos {@link System#nanoTime()} when it passed
   * @param errorCode its HTTP/2 error code
   * @param debugData its debug data as text ({@code too_many_pings} for ping abuse)
   */
  public record GoAway(long atNanos, long errorCode, String debugData) {}

  private final TcpRelay relay = new TcpRelay("blackhole-proxy");
  private final int port;
  private final int targetPort;
  private final List<GoAway> goAways = new CopyOnWriteArrayList<>();
  private final List<Connection> live = new ArrayList<>(); // guarded by this
  private final List<Socket> held = new ArrayList<>(); // guarded by this
  private final AtomicInteger connections = new AtomicInteger();
  private boolean blackholed; // guarded by this

  private BlackholeProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.port = relay.listen(client -> {
      connections.incrementAndGet();
      synchronized (this) {
        if (blackholed) {
          held.add(client);
        } else {
          open(client);
        }
      }
    });
  }

  /** A proxy to {@code 127.0.0.1:targetPort}, forwarding. */
  public static BlackholeProxy to(int targetPort) {
    try {
      return new BlackholeProxy(targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:port} of the proxy. */
  public String uri() {
    return "http://" + FreePorts.LOOPBACK + ":" + port;
  }

  /** Client connections accepted so far (held ones included). */
  public int connections() {
    return connections.get();
  }

  /** Every GOAWAY the server sent so far, in order. */
  public List<GoAway> goAways() {
    return List.copyOf(goAways);
  }

  /** Stops all forwarding: open connections go dead (sockets kept open), new ones are held. */
  public synchronized void blackhole() {
    blackholed = true;
    live.forEach(c -> c.dead = true);
    live.clear();
  }

  /** Forwards again: held connections are connected to the server, new ones pass; dead ones stay dead. */
  public synchronized void heal() {
    blackholed = false;
    for (Socket client : held) {
      try {
        open(client);
      } catch (IOException e) {
        TcpRelay.closeQuietly(client);
      }
    }
    held.clear();
  }

  private void open(Socket client) throws IOException {
    Connection c = new Connection();
    relay.relayTo(client, targetPort, c.direction(null), c.direction(Http2Frames.server(Http2Frames.TYPE_GOAWAY,
        (type, flags, payload) -> record(payload))));
    live.add(c);
  }

  private void record(byte[] payload) {
    if (payload.length < 8) {
      return; // not a well-formed GOAWAY
    }
    long code = ((payload[4] & 0xffL) << 24) | ((payload[5] & 0xff) << 16) | ((payload[6] & 0xff) << 8) | (payload[7] & 0xff);
    goAways.add(new GoAway(System.nanoTime(), code, new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8)));
  }

  /**
   * One proxied connection; once dead, its bytes are read and dropped both ways and its sockets stay open (the
   * peer's TCP stack sees its bytes accepted and nothing come back).
   */
  private static final class Connection {
    private volatile boolean dead;

    TcpRelay.Tap direction(Http2Frames frames) {
      return new TcpRelay.Tap() {
        @Override
        public boolean pass(byte[] buf, int n) {
          if (dead) {
            return false;
          }
          if (frames != null) {
            frames.parse(buf, n);
          }
          return true;
        }

        @Override
        public boolean closeWhenDone() {
          return !dead;
        }
      };
    }
  }

  @Override
  public void close() {
    relay.close();
  }
}
