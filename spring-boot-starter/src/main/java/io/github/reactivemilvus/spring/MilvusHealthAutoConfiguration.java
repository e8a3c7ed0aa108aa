package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.ReactiveConnections;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Contributes the {@code milvus} health ({@code /actuator/health/milvus} and
 * {@code /actuator/health/milvus/<alias>}) when Spring Boot's health support is present and
 * {@code management.health.milvus.enabled} is not {@code false}.
 */
@AutoConfiguration(after = ReactiveMilvusAutoConfiguration.class,
    beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(ReactiveHealthContributor.class)
@ConditionalOnBean(ReactiveConnections.class)
@ConditionalOnEnabledHealthIndicator("milvus")
public class MilvusHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "milvusHealthContributor")
  ReactiveHealthContributor milvusHealthContributor(ReactiveConnections registry, MilvusProperties properties) {
    return new MilvusHealthContributor(registry, properties.getHealth().getTimeout());
  }
}
