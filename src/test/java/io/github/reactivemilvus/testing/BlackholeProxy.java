package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.test.server.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
 * <p>Plain JDK threads with blocking sockets (never Reactor or Netty threads); {@link #close()}
 * closes every socket and joins every thread.
 */
public final class BlackholeProxy implements AutoCloseable {
  private static final int FRAME_HEADER_LENGTH = 9;
  private static final int TYPE_GOAWAY = 0x7;
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

  private final ServerSocket listener;
  private final int targetPort;
  private final List<GoAway> goAways = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final List<Connection> live = new ArrayList<>();
  private final List<Socket> held = new ArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private boolean blackholed;
  private volatile boolean closed;

  private BlackholeProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getByName(FreePorts.LOOPBACK), 0));
    thread("blackhole-proxy-accept", this::acceptLoop);
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
    return "http://" + FreePorts.LOOPBACK + ":" + listener.getLocalPort();
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
      open(client);
    }
    held.clear();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        client.setTcpNoDelay(true);
        sockets.add(client);
        connections.incrementAndGet();
        synchronized (this) {
          if (blackholed) {
            held.add(client);
          } else {
            open(client);
          }
        }
      } catch (IOException e) {
        if (!closed) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void open(Socket client) {
    Socket server;
    try {
      server = new Socket(FreePorts.LOOPBACK, targetPort);
      server.setTcpNoDelay(true);
    } catch (IOException e) {
      closeQuietly(client);
      return;
    }
    sockets.add(server);
    Connection c = new Connection();
    live.add(c);
    thread("blackhole-proxy-up", () -> c.pump(client, server, false));
    thread("blackhole-proxy-down", () -> c.pump(server, client, true));
  }

  private void thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** One proxied connection: whether it went dead, and the parser of the server's frames. */
  private final class Connection {
    private volatile boolean dead;
    private final byte[] header = new byte[FRAME_HEADER_LENGTH];
    private int headerFill;
    private long skip;
    private byte[] goAway;
    private int goAwayFill;

    void pump(Socket from, Socket to, boolean parse) {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (dead) {
            continue; // dropped: the peer's TCP stack sees its bytes accepted and nothing come back
          }
          if (parse) {
            parse(buf, n);
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the other side closed, or close() did
      } finally {
        if (!dead) {
          closeQuietly(from);
          closeQuietly(to);
        }
      }
    }

    /** Walks the server's bytes frame by frame, keeping the payload of GOAWAY frames. */
    private void parse(byte[] buf, int n) {
      int i = 0;
      while (i < n) {
        if (goAway != null) {
          int step = Math.min(goAway.length - goAwayFill, n - i);
          System.arraycopy(buf, i, goAway, goAwayFill, step);
          goAwayFill += step;
          i += step;
          if (goAwayFill == goAway.length) {
            record(goAway);
            goAway = null;
          }
          continue;
        }
        if (skip > 0) {
          int step = (int) Math.min(skip, n - i);
          skip -= step;
          i += step;
          continue;
        }
        header[headerFill++] = buf[i++];
        if (headerFill == FRAME_HEADER_LENGTH) {
          headerFill = 0;
          int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
          if ((header[3] & 0xff) == TYPE_GOAWAY && length >= 8) {
            goAway = new byte[length];
            goAwayFill = 0;
          } else {
            skip = length;
          }
        }
      }
    }

    private void record(byte[] payload) {
      long code = ((payload[4] & 0xffL) << 24) | ((payload[5] & 0xff) << 16) | ((payload[6] & 0xff) << 8) | (payload[7] & 0xff);
      goAways.add(new GoAway(System.nanoTime(), code, new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8)));
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing
    }
    sockets.forEach(BlackholeProxy::closeQuietly);
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
