package io.github.reactivemilvus.testing;

import com.sun.net.httpserver.HttpServer;
import io.github.reactivemilvus.test.server.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain HTTP/1.1 server on a free 127.0.0.1 port (JDK {@link HttpServer}) that answers every
 * request with {@code 200 text/plain "not a Milvus server"}, for tests that connect to a port
 * speaking something other than gRPC.
 *
 * <p>Requests are handled on the JDK server's dispatcher thread. {@link #close()} stops it.
 */
public final class HttpPortServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  private HttpPortServer(HttpServer server) {
    this.server = server;
  }

  /** Starts the server on a free loopback port. */
  public static HttpPortServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(FreePorts.LOOPBACK), 0), 0);
      HttpPortServer result = new HttpPortServer(http);
      http.createContext("/", exchange -> {
        result.requests.incrementAndGet();
        byte[] body = "not a Milvus server\n".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      http.start();
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the HTTP test server", e);
    }
  }

  public String host() {
    return FreePorts.LOOPBACK;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:P}. */
  public String uri() {
    return "http://" + host() + ":" + port();
  }

  /** Number of HTTP/1.x requests it has answered. */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
