package io.github.reactivemilvus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters, all prefixed {@code milvus.connections}: {@code .channels} (open physical
 * channels), {@code .calls.inflight} and {@code .calls.pending} (per alias), {@code .connect}
 * (timer, tag {@code outcome}), {@code .retries} (counter, tag {@code what}: connect or call),
 * {@code .calls.rejected} (counter), {@code .events.dropped} (counter: events that slow
 * {@code events()} subscribers missed). Per-alias meters carry the tag {@code alias}.
 *
 * <p>Beside them, the OpenTelemetry database client connection metrics, tagged
 * {@code db.client.connection.pool.name} (the alias) and {@code db.system.name} ({@code milvus}):
 * {@code db.client.connection.count} (gauge, tag {@code db.client.connection.state}: {@code used}
 * for physical channels with calls in flight, {@code idle} for the others),
 * {@code db.client.connection.pending_requests} (gauge: calls waiting for a permit) and
 * {@code db.client.connection.create_time} (timer: successful connects).
 */
final class MicrometerMetrics implements Metrics {
  static final String PREFIX = "milvus.connections";
  private final MeterRegistry registry;
  private final Map<String, AliasGauges> current = new HashMap<>(); // guarded by this
  /** A rejection is on the caller's path: its counter is looked up once per alias, not built each time. */
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

  MicrometerMetrics(MeterRegistry registry, ReactiveConnections connections) {
    this.registry = registry;
    Gauge.builder(PREFIX + ".channels", connections, ReactiveConnections::openChannels)
        .description("Open physical gRPC channels").register(registry);
    FunctionCounter.builder(PREFIX + ".events.dropped", connections, ReactiveConnections::droppedEvents)
        .description("Connection events that slow events() subscribers missed").register(registry);
  }

  static final String POOL = "db.client.connection.pool.name";

  @Override
  public void connectFinished(String alias, long nanos, boolean success) {
    if (success) {
      Timer.builder("db.client.connection.create_time").tag(POOL, alias).tag("db.system.name", "milvus")
          .description("The time it took to create a new connection: channel, handshake and retries").register(registry)
          .record(nanos, TimeUnit.NANOSECONDS);
    }
    Timer.builder(PREFIX + ".connect").tag("alias", alias).tag("outcome", success ? "success" : "failure")
        .description("Connect latency: channel, handshake and retries").register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void retried(String alias, String what) {
    Counter.builder(PREFIX + ".retries").tag("alias", alias).tag("what", what).register(registry).increment();
  }

  @Override
  public void callRejected(String alias) {
    rejected.computeIfAbsent(alias, a -> Counter.builder(PREFIX + ".calls.rejected").tag("alias", a).register(registry))
        .increment();
  }

  /**
   * One pair of gauges per alias name, reading whichever entry currently holds the name: when an
   * alias is replaced, the new entry is created before the old one retires, and both would have
   * the same meter ids.
   */
  @Override
  public synchronized Runnable aliasGauges(String alias, AliasEntry entry, ToDoubleFunction<AliasEntry> inFlight,
      ToDoubleFunction<AliasEntry> pending) {
    AliasGauges gauges = current.get(alias);
    if (gauges == null) {
      AtomicReference<AliasEntry> holder = new AtomicReference<>();
      gauges = new AliasGauges(holder,
          Gauge.builder(PREFIX + ".calls.inflight", holder, h -> read(h, inFlight)).tag("alias", alias).register(registry),
          Gauge.builder(PREFIX + ".calls.pending", holder, h -> read(h, pending)).tag("alias", alias).register(registry),
          Gauge.builder("db.client.connection.count", holder, h -> read(h, AliasEntry::connectionsUsed))
              .tag(POOL, alias).tag("db.system.name", "milvus").tag("db.client.connection.state", "used")
              .description("Physical channels with calls in flight").register(registry),
          Gauge.builder("db.client.connection.count", holder, h -> read(h, e -> e.connections() - e.connectionsUsed()))
              .tag(POOL, alias).tag("db.system.name", "milvus").tag("db.client.connection.state", "idle")
              .description("Physical channels without calls in flight").register(registry),
          Gauge.builder("db.client.connection.pending_requests", holder, h -> read(h, pending))
              .tag(POOL, alias).tag("db.system.name", "milvus")
              .description("Calls waiting for a permit of the alias's limits").register(registry));
      current.put(alias, gauges);
    }
    gauges.holder.set(entry);
    AliasGauges mine = gauges;
    return () -> {
      synchronized (this) {
        if (mine.holder.compareAndSet(entry, null)) {
          current.remove(alias, mine);
          registry.remove(mine.inFlight);
          registry.remove(mine.pending);
          registry.remove(mine.used);
          registry.remove(mine.idle);
          registry.remove(mine.pendingRequests);
        }
      }
    };
  }

  private record AliasGauges(AtomicReference<AliasEntry> holder, Gauge inFlight, Gauge pending, Gauge used, Gauge idle,
      Gauge pendingRequests) {}

  private static double read(AtomicReference<AliasEntry> holder, ToDoubleFunction<AliasEntry> value) {
    AliasEntry e = holder.get();
    return e == null ? 0 : value.applyAsDouble(e);
  }
}
