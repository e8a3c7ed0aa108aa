package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.ReactiveConnections;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Binds the registry's meters to the application's {@link MeterRegistry} when there is exactly
 * one (or a primary one, as Spring Boot's composite), so they appear under
 * {@code /actuator/metrics} and every configured export.
 */
final class MilvusMetrics implements ReactiveConnectionsCustomizer {
  private final ObjectProvider<MeterRegistry> meterRegistry;

  MilvusMetrics(ObjectProvider<MeterRegistry> meterRegistry) {
    this.meterRegistry = meterRegistry;
  }

  @Override
  public void customize(ReactiveConnections.Builder builder) {
    meterRegistry.ifUnique(builder::meterRegistry);
  }
}
