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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plaintext TCP proxy (127.0.0.1, free port) in front of an HTTP/2 server that reads the client's
 * HTTP/2 frame headers as they pass and records every PING the client sends (not the ACKs), with
 * how long the server had been quiet before it. A keepalive ping is sent after the configured time
 * without reads, so its quiet time is the keepalive interval; the pings grpc-java sends to measure
 * bandwidth follow data at once and have a quiet time near zero.
 *
 * <p>Bytes pass unchanged. Plain JDK threads with blocking sockets (never Reactor or Netty
 * threads); {@link #close()} closes every socket and joins every thread.
 */
public final class PingRecordingProxy implements AutoCloseable {
  private static final int PREFACE_LENGTH = 24; // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
  private static final int FRAME_HEADER_LENGTH = 9;
  private static final int TYPE_PING = 0x6;
  private static final int FLAG_ACK = 0x1;

  /**
   * A PING from the client.
   *
   * @param atNanos {@link System#nanoTime()} when its header passed
   * @param quiet how long nothing had come from the server before it
   */
  public record Ping(long atNanos, Duration quiet) {}

  private final ServerSocket listener;
  private final int targetPort;
  private final List<Ping> pings = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  private PingRecordingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getByName(FreePorts.LOOPBACK), 0));
    thread("ping-proxy-accept", this::acceptLoop);
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
    return "http://" + FreePorts.LOOPBACK + ":" + listener.getLocalPort();
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

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(FreePorts.LOOPBACK, targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        connections.incrementAndGet();
        Connection c = new Connection();
        thread("ping-proxy-up", () -> c.clientToServer(client, server));
        thread("ping-proxy-down", () -> c.serverToClient(server, client));
      } catch (IOException e) {
        if (!closed) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** One proxied connection: the client's frame parser and the server's last activity. */
  private final class Connection {
    private volatile long lastServerBytesNanos = System.nanoTime();
    private long skip = PREFACE_LENGTH;
    private final byte[] header = new byte[FRAME_HEADER_LENGTH];
    private int headerFill;

    void clientToServer(Socket client, Socket server) {
      pump(client, server, true);
    }

    void serverToClient(Socket server, Socket client) {
      pump(server, client, false);
    }

    private void pump(Socket from, Socket to, boolean parse) {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (parse) {
            parse(buf, n);
          } else {
            lastServerBytesNanos = System.nanoTime();
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // The other side closed, or close() did: the connection ends either way.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }

    /** Walks the client's bytes: the preface, then frame headers, skipping each payload. */
    private void parse(byte[] buf, int n) {
      int i = 0;
      while (i < n) {
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
          int type = header[3] & 0xff;
          int flags = header[4] & 0xff;
          if (type == TYPE_PING && (flags & FLAG_ACK) == 0) {
            long now = System.nanoTime();
            pings.add(new Ping(now, Duration.ofNanos(now - lastServerBytesNanos)));
          }
          skip = length;
        }
      }
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
    sockets.forEach(PingRecordingProxy::closeQuietly);
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
