package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.test.server.FreePorts;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The TCP relay of the test proxies ({@link RoundRobinProxy}, {@link BlackholeProxy}, {@link PingRecordingProxy}):
 * a listener on 127.0.0.1 whose accept loop hands each client to the proxy, and one plain JDK thread per
 * direction with blocking sockets (never Reactor or Netty threads). Each direction reads through a {@link Tap},
 * which sees the bytes as they pass and may drop them (a proxy's fault); bytes that pass are unchanged. Both
 * sockets are closed when either direction ends, unless its tap says the link is dead. {@link Http2Frames}
 * walks a direction's HTTP/2 frames for the proxies that record them. {@link #close()} closes the listener and
 * every socket and joins every thread.
 */
public final class TcpRelay implements AutoCloseable {

  /** A tap that passes everything. */
  public static final Tap PASS = (buf, n) -> true;

  private final String name;
  private final CopyOnWriteArrayList<Closeable> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** A relay whose threads are named {@code name-accept}, {@code name-up} and {@code name-down}. */
  public TcpRelay(String name) {
    this.name = name;
  }

  /** What one direction does with the bytes it reads. Called on that direction's thread only. */
  @FunctionalInterface
  public interface Tap {
    /** Looks at the {@code n} bytes just read into {@code buf}; false drops them (the sender sees them accepted). */
    boolean pass(byte[] buf, int n);

    /** Whether both sockets are closed when this direction ends; a dead link (false) leaves its peers unanswered. */
    default boolean closeWhenDone() {
      return true;
    }
  }

  /** Takes a client the listener accepted, on the accept thread. */
  @FunctionalInterface
  public interface Clients {
    /** Relays, holds or closes {@code client}; an exception closes it. */
    void accept(Socket client) throws IOException;
  }

  /**
   * Listens on 127.0.0.1, on a port the system picks, and hands each accepted client to {@code clients} until
   * {@link #close()}; returns the port.
   */
  public int listen(Clients clients) throws IOException {
    ServerSocket listener = new ServerSocket();
    sockets.add(listener);
    listener.bind(new InetSocketAddress(InetAddress.getByName(FreePorts.LOOPBACK), 0));
    thread(name + "-accept", () -> {
      while (!closed) {
        Socket client;
        try {
          client = listener.accept();
        } catch (IOException e) {
          return; // closed
        }
        track(client);
        try {
          client.setTcpNoDelay(true);
          clients.accept(client);
        } catch (IOException | RuntimeException e) {
          closeQuietly(client);
        }
      }
    });
    return listener.getLocalPort();
  }

  /** Connects {@code client} to {@code 127.0.0.1:port} and relays between them, bytes unchanged. */
  public void relayTo(Socket client, int port, Tap up, Tap down) throws IOException {
    Socket server = new Socket(FreePorts.LOOPBACK, port);
    track(server);
    server.setTcpNoDelay(true);
    relay(client, server, up, down);
  }

  /** Relays between {@code client} and {@code server} through {@code up} (client to server) and {@code down}. */
  public void relay(Socket client, Socket server, Tap up, Tap down) throws IOException {
    client.setTcpNoDelay(true);
    server.setTcpNoDelay(true);
    track(client);
    track(server);
    thread(name + "-up", () -> pump(client, server, up));
    thread(name + "-down", () -> pump(server, client, down));
  }

  /** A socket {@link #close()} closes. */
  public void track(Socket socket) {
    sockets.addIfAbsent(socket);
    if (closed) {
      closeQuietly(socket); // tracked after close() went through the list
    }
  }

  /** Starts a daemon thread that {@link #close()} joins. */
  public void thread(String threadName, Runnable body) {
    if (closed) {
      return; // a client accepted as close() ran: its sockets are closed already
    }
    Thread t = new Thread(body, threadName);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private static void pump(Socket from, Socket to, Tap tap) {
    byte[] buf = new byte[16 * 1024];
    // the streams are not closed here: closing one closes its socket, and a dead link must not send a FIN
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (tap.pass(buf, n)) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // the other side closed, or close() did: the connection ends either way
    } finally {
      if (tap.closeWhenDone()) {
        closeQuietly(from);
        closeQuietly(to);
      }
    }
  }

  /** Closes a socket, ignoring a failure to. */
  public static void closeQuietly(Closeable s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
    closed = true;
    sockets.forEach(TcpRelay::closeQuietly);
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Walks one direction's HTTP/2 bytes frame by frame (after the connection preface on the client's side) and
   * reports each frame to a {@link Frames} listener; as a {@link Tap} it passes every byte. Not thread-safe: one
   * direction's thread uses it.
   */
  public static final class Http2Frames implements Tap {
    /** The HEADERS frame type (a call's start). */
    public static final int TYPE_HEADERS = 0x1;
    /** The PING frame type. */
    public static final int TYPE_PING = 0x6;
    /** The GOAWAY frame type. */
    public static final int TYPE_GOAWAY = 0x7;
    /** The ACK flag (of PING and SETTINGS frames). */
    public static final int FLAG_ACK = 0x1;
    private static final int PREFACE_LENGTH = 24; // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    private static final int FRAME_HEADER_LENGTH = 9;
    private static final byte[] NO_PAYLOAD = new byte[0];

    /** Gets each frame: its type, its flags and, for the type whose payload is kept, the payload (else empty). */
    @FunctionalInterface
    public interface Frames {
      /** One frame; called once its header (or its kept payload) has passed. */
      void frame(int type, int flags, byte[] payload);
    }

    private final Frames frames;
    private final int keepPayloadOf;
    private final byte[] header = new byte[FRAME_HEADER_LENGTH];
    private int headerFill;
    private long skip;
    private byte[] payload;
    private int payloadFill;
    private int payloadFlags;

    private Http2Frames(long skip, int keepPayloadOf, Frames frames) {
      this.skip = skip;
      this.keepPayloadOf = keepPayloadOf;
      this.frames = frames;
    }

    /** The client's frames (after its preface); no payload kept. */
    public static Http2Frames client(Frames frames) {
      return new Http2Frames(PREFACE_LENGTH, -1, frames);
    }

    /** The server's frames, with the payload of each frame of type {@code keepPayloadOf}. */
    public static Http2Frames server(int keepPayloadOf, Frames frames) {
      return new Http2Frames(0, keepPayloadOf, frames);
    }

    @Override
    public boolean pass(byte[] buf, int n) {
      parse(buf, n);
      return true;
    }

    /** Walks the next {@code n} bytes of {@code buf}. */
    public void parse(byte[] buf, int n) {
      int i = 0;
      while (i < n) {
        if (payload != null) {
          int step = Math.min(payload.length - payloadFill, n - i);
          System.arraycopy(buf, i, payload, payloadFill, step);
          payloadFill += step;
          i += step;
          if (payloadFill == payload.length) {
            byte[] kept = payload;
            payload = null;
            frames.frame(keepPayloadOf, payloadFlags, kept);
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
          int type = header[3] & 0xff;
          int flags = header[4] & 0xff;
          if (type == keepPayloadOf && length > 0) {
            payload = new byte[length];
            payloadFill = 0;
            payloadFlags = flags;
          } else {
            frames.frame(type, flags, NO_PAYLOAD);
            skip = length;
          }
        }
      }
    }
  }
}
