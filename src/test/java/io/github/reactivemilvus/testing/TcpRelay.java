package io.github.reactivemilvus.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * The byte relay of the test proxies: one plain JDK thread per direction with blocking sockets
 * (never Reactor or Netty threads), bytes passed unchanged, both sockets closed when either side
 * ends. Optionally reads the client's HTTP/2 frame headers as they pass and reports each frame's
 * type ({@link Http2Frames}). {@link #close()} closes every socket and joins every thread.
 */
public final class TcpRelay implements AutoCloseable {
  private final String name;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** A relay whose threads are named {@code name-up} and {@code name-down}. */
  public TcpRelay(String name) {
    this.name = name;
  }

  /**
   * Relays between {@code client} and {@code server} until either closes; {@code clientFrames}, if not
   * null, gets the type of every HTTP/2 frame the client sends (called on the relay's thread).
   */
  public void relay(Socket client, Socket server, IntConsumer clientFrames) throws IOException {
    client.setTcpNoDelay(true);
    server.setTcpNoDelay(true);
    sockets.add(client);
    sockets.add(server);
    Http2Frames frames = clientFrames == null ? null : new Http2Frames(clientFrames);
    thread(name + "-up", () -> pump(client, server, frames));
    thread(name + "-down", () -> pump(server, client, null));
  }

  /** Starts a daemon thread that {@link #close()} joins. */
  public void thread(String threadName, Runnable body) {
    Thread t = new Thread(body, threadName);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private static void pump(Socket from, Socket to, Http2Frames frames) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (frames != null) {
          frames.parse(buf, n);
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // the other side closed, or close() did: the connection ends either way
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Closes a socket, ignoring a failure to. */
  public static void closeQuietly(java.io.Closeable s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() {
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

  /** Walks a client's HTTP/2 bytes: the preface, then frame headers, skipping each payload. */
  static final class Http2Frames {
    static final int TYPE_HEADERS = 0x1;
    private static final int PREFACE_LENGTH = 24;
    private static final int FRAME_HEADER_LENGTH = 9;
    private final IntConsumer types;
    private final byte[] header = new byte[FRAME_HEADER_LENGTH];
    private long skip = PREFACE_LENGTH;
    private int headerFill;

    Http2Frames(IntConsumer types) {
      this.types = types;
    }

    void parse(byte[] buf, int n) {
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
          skip = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
          types.accept(header[3] & 0xff);
        }
      }
    }
  }
}
