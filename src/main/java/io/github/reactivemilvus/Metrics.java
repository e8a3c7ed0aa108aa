package io.github.reactivemilvus;

import java.util.function.ToDoubleFunction;

/**
 * Meters of a registry. The Micrometer implementation is used only when the user hands in a
 * {@code MeterRegistry} (Micrometer is an optional dependency); otherwise these are no-ops.
 */
interface Metrics {
  Metrics NOOP = new Metrics() { };

  default void connectFinished(String alias, long nanos, boolean success) { }

  default void retried(String alias, String what) { }

  default void callRejected(String alias) { }

  /** Registers per-alias gauges; returns what unregisters them. */
  default Runnable aliasGauges(String alias, AliasEntry entry, ToDoubleFunction<AliasEntry> inFlight,
      ToDoubleFunction<AliasEntry> pending) {
    return () -> { };
  }
}
