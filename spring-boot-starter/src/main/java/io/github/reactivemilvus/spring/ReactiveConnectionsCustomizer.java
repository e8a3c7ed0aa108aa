package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.ReactiveConnections;

/**
 * Declare beans of this type to change the auto-configured registry's builder (event loops,
 * scheduler, callback executor, ...). Customizers run in {@link org.springframework.core.Ordered}
 * order after the starter's own settings (grace period, shared event loops, meter registry), so a
 * customizer can override them. Called once, on the thread creating the registry bean.
 */
@FunctionalInterface
public interface ReactiveConnectionsCustomizer {

  /** Changes the builder; must not build it. */
  void customize(ReactiveConnections.Builder builder);
}
