package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.ReactiveConnections;
import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;

/**
 * The {@code milvus} health contributor: one {@link AliasHealthIndicator} per alias registered at
 * the time of the check ({@code /actuator/health/milvus/<alias>}); Spring aggregates them (UP
 * only when every alias is UP) and checks them concurrently.
 */
final class MilvusHealthContributor implements CompositeReactiveHealthContributor {
  private final ReactiveConnections registry;
  private final Duration timeout;

  MilvusHealthContributor(ReactiveConnections registry, Duration timeout) {
    this.registry = registry;
    this.timeout = timeout;
  }

  @Override
  public ReactiveHealthContributor getContributor(String name) {
    return registry.getConnectionAddr(name).isPresent() ? new AliasHealthIndicator(registry, name, timeout) : null;
  }

  @Override
  public Stream<Entry> stream() {
    return registry.listConnections().stream()
        .map(s -> new Entry(s.alias(), new AliasHealthIndicator(registry, s.alias(), timeout)));
  }
}
