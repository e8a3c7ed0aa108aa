package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.test.server.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An L4 load balancer with one address (127.0.0.1, free port) in front of several servers: each
 * new client connection goes to the next server in turn, and stays with it. A server can join
 * ({@link #add}); it is the next one a connection goes to, as a balancer sends new connections to
 * its least loaded server. Counts, per server, the connections and the HTTP/2 streams the clients
 * opened on them (their HEADERS frames: the calls). Bytes pass unchanged ({@link TcpRelay}).
 */
public final class RoundRobinProxy implements AutoCloseable {
  private final int port;
  private final TcpRelay relay = new TcpRelay("round-robin-proxy");
  private final List<Integer> ports = new ArrayList<>(); // guarded by this
  private int next; // guarded by this
  private final Map<Integer, AtomicInteger> connections = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<Integer, Long> firstCallNanos = new ConcurrentHashMap<>();

  private RoundRobinProxy(List<Integer> targets) throws IOException {
    ports.addAll(targets);
    targets.forEach(this::count);
    port = relay.listen(client -> {
      int target = pick();
      connections.get(target).incrementAndGet();
      relay.relayTo(client, target, TcpRelay.Http2Frames.client((type, flags, payload) -> {
        if (type == TcpRelay.Http2Frames.TYPE_HEADERS) {
          firstCallNanos.putIfAbsent(target, System.nanoTime());
          calls.get(target).incrementAndGet();
        }
      }), TcpRelay.PASS);
    });
  }

  /** A proxy over {@code 127.0.0.1:port} for each of {@code ports}. */
  public static RoundRobinProxy over(List<Integer> ports) {
    try {
      return new RoundRobinProxy(ports);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void count(int port) {
    connections.putIfAbsent(port, new AtomicInteger());
    calls.putIfAbsent(port, new AtomicInteger());
  }

  /** Adds a server; the next connection goes to it. */
  public synchronized void add(int port) {
    count(port);
    ports.add(next, port);
  }

  /** {@code http://127.0.0.1:port} of the proxy. */
  public String uri() {
    return "http://" + FreePorts.LOOPBACK + ":" + port;
  }

  /** Connections made to the server on {@code port} so far. */
  public int connectionsTo(int port) {
    return connections.get(port).get();
  }

  /** Calls (HTTP/2 streams opened by clients) that went to the server on {@code port} so far. */
  public int callsTo(int port) {
    return calls.get(port).get();
  }

  /** {@link System#nanoTime()} of the first call that went to {@code port}, or null. */
  public Long firstCallTo(int port) {
    return firstCallNanos.get(port);
  }

  private synchronized int pick() {
    int port = ports.get(next % ports.size());
    next = (next + 1) % ports.size();
    return port;
  }

  @Override
  public void close() {
    relay.close();
  }
}
