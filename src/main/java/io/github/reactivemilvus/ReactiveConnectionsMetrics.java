package io.github.reactivemilvus;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Binds a registry's meters to Micrometer, the usual {@link MeterBinder} way:
 * {@code new ReactiveConnectionsMetrics(connections).bindTo(meterRegistry)} (Spring Boot binds
 * every {@code MeterBinder} bean by itself). Micrometer is an optional dependency: only this class
 * needs it.
 *
 * <p>Meters, all prefixed {@code milvus.connections}: {@code .channels} (gauge, open physical
 * channels), {@code .calls.inflight} and {@code .calls.pending} (gauges per alias),
 * {@code .connect} (timer, tags {@code alias}, {@code outcome}: success or failure),
 * {@code .retries} (counter, tags {@code alias}, {@code what}: connect or call),
 * {@code .calls.rejected} (counter per alias) and {@code .events.dropped} (counter: connection
 * events that slow {@link ReactiveConnections#events()} subscribers missed, since the registry was
 * built). Per-alias gauges come and go with their aliases.
 *
 * <p>Binding again (to another {@code MeterRegistry}) moves the meters there; the earlier
 * registry's per-alias gauges are removed. Thread-safe; binding never blocks and never connects.
 */
public final class ReactiveConnectionsMetrics implements MeterBinder {
  private final ReactiveConnections connections;

  /** A binder for the meters of {@code connections}. */
  public ReactiveConnectionsMetrics(ReactiveConnections connections) {
    this.connections = Objects.requireNonNull(connections, "connections");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    connections.bindMetrics(new MicrometerMetrics(Objects.requireNonNull(registry, "registry"), connections));
  }
}
