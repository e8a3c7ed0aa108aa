package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.config.ConnectionConfigException;
import io.github.reactivemilvus.config.MilvusEnvironment;
import io.github.reactivemilvus.MilvusObservationConvention;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.ReactiveConnectionsMetrics;
import io.github.reactivemilvus.client.MilvusClient;
import io.grpc.ClientInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.core.publisher.Flux;

/**
 * Auto-configures a {@link ReactiveConnections} registry from {@code milvus.*} properties.
 *
 * <p>Every alias under {@code milvus.connections.<alias>} is registered while the bean is
 * created, all or nothing: if any alias is invalid the application does not start and every
 * problem of every alias is reported ({@link InvalidMilvusPropertiesException}). Nothing connects
 * until used, unless {@code milvus.registry.connect-on-startup=true}. Without any
 * {@code milvus.connections.*} the {@code default} alias comes from {@code MILVUS_URI} (else
 * {@code localhost:19530}), read, like {@code MILVUS_CONN_TIMEOUT}, from Spring's environment
 * (so the process environment, system properties or any property source); a configured
 * {@code milvus.connections.default} replaces it. The registry closes gracefully with the
 * context ({@link ReactiveConnectionsLifecycle}). A {@link MilvusClient} of the {@code default}
 * alias is a bean too, unless the application declares its own. A {@link MilvusCredentialsSupplier}
 * bean supplies the credentials of its alias (refreshed without a reconnect). {@link MilvusConnectionDetails}
 * beans replace the uri, token and database of the alias they name (Spring Boot's service connections).
 *
 * <p>Every {@link ClientInterceptor} bean is put on the calls of every alias (in bean order, the first
 * the outermost) and every {@link MilvusChannelBuilderCustomizer} bean on every channel the registry
 * builds; {@link ReactiveConnectionsCustomizer} beans run after and may replace them (for example with
 * per-alias interceptors). With an {@link ObservationRegistry} bean (Spring Boot's, present with
 * Actuator), every Milvus call is observed (a span per call when tracing is on, the
 * {@code db.client.operation.duration} timer); {@code milvus.observations.enabled=false} turns that off.
 */
@AutoConfiguration
@EnableConfigurationProperties(MilvusProperties.class)
public class ReactiveMilvusAutoConfiguration {

  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  ReactiveConnections reactiveConnections(MilvusProperties properties, Environment environment,
      ObjectProvider<ReactiveConnectionsCustomizer> customizers, ObjectProvider<MilvusCredentialsSupplier> credentials,
      ObjectProvider<MilvusConnectionDetails> details, ObjectProvider<ClientInterceptor> interceptors,
      ObjectProvider<MilvusChannelBuilderCustomizer> channelCustomizers) {
    List<ConnectionProperties.Alias> aliases = ConnectionProperties.withDetails(ConnectionProperties.read(environment),
        details.orderedStream().toList());
    ReactiveConnections.Builder builder = ReactiveConnections.builder()
        .environment(milvusEnvironment(environment))
        .shutdownGracePeriod(properties.getRegistry().getGracePeriod());
    Set<String> supplied = new HashSet<>();
    credentials.orderedStream().forEach(supplier -> {
      if (!supplied.add(supplier.alias())) {
        throw new IllegalStateException("two MilvusCredentialsSupplier beans for alias '" + supplier.alias()
            + "': declare one per alias");
      }
      builder.credentials(supplier.alias(), supplier.credentials());
    });
    List<ClientInterceptor> beans = interceptors.orderedStream().toList();
    if (!beans.isEmpty()) {
      builder.interceptors(beans);
    }
    List<MilvusChannelBuilderCustomizer> channels = channelCustomizers.orderedStream().toList();
    if (!channels.isEmpty()) {
      builder.channelCustomizer(channelBuilder -> channels.forEach(c -> c.customize(channelBuilder)));
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    ReactiveConnections registry;
    try {
      registry = builder.build();
    } catch (ConnectionConfigException e) {
      throw new InvalidMilvusPropertiesException(e, aliases);
    }
    try {
      // resolution checks certificate files: done here, on the thread creating the context
      registry.addConnections(Flux.fromIterable(aliases).map(ConnectionProperties.Alias::toNamedConfig)).block();
    } catch (ConnectionConfigException e) {
      registry.close();
      throw new InvalidMilvusPropertiesException(e, aliases);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  @Bean
  @ConditionalOnBean(ReactiveConnections.class)
  ReactiveConnectionsLifecycle reactiveConnectionsLifecycle(ReactiveConnections registry, MilvusProperties properties) {
    return new ReactiveConnectionsLifecycle(registry, properties.getRegistry().isConnectOnStartup());
  }

  /**
   * The typed client of the {@code default} alias ({@code MilvusClient.of(registry, "default")}):
   * cold and cheap, it connects nothing until its first call. Clients of other aliases come from
   * {@code MilvusClient.of(registry, alias)}.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(ReactiveConnections.class)
  MilvusClient milvusClient(ReactiveConnections registry) {
    return MilvusClient.of(registry, ReactiveConnections.DEFAULT_ALIAS);
  }

  private static Map<String, String> milvusEnvironment(Environment environment) {
    Map<String, String> env = new HashMap<>();
    for (String name : List.of(MilvusEnvironment.MILVUS_URI, MilvusEnvironment.MILVUS_CONN_TIMEOUT)) {
      String value = environment.getProperty(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    return env;
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ReactorResourceFactory.class)
  @ConditionalOnProperty(prefix = "milvus.registry", name = "share-event-loops", havingValue = "true", matchIfMissing = true)
  static class SharedEventLoopsConfiguration {
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ReactiveConnectionsCustomizer milvusSharedEventLoops(ObjectProvider<ReactorResourceFactory> resourceFactory) {
      return new SharedEventLoops(resourceFactory);
    }
  }

  /**
   * Observations of the Milvus calls with the application's {@link ObservationRegistry}, unless
   * {@code milvus.observations.enabled=false}; a {@link MilvusObservationConvention} bean replaces the
   * default names and key values.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(ObservationRegistry.class)
  @ConditionalOnProperty(prefix = "milvus.observations", name = "enabled", havingValue = "true", matchIfMissing = true)
  static class ObservationConfiguration {
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    ReactiveConnectionsCustomizer milvusObservations(ObjectProvider<ObservationRegistry> registry,
        ObjectProvider<MilvusObservationConvention> convention) {
      return builder -> {
        ObservationRegistry observations = registry.getIfUnique();
        if (observations != null && !observations.isNoop()) {
          builder.observationRegistry(observations);
          convention.ifUnique(builder::observationConvention);
        }
      };
    }
  }

  /** The registry's meters as a {@code MeterBinder}: Spring Boot binds it to every meter registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class MetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean
    ReactiveConnectionsMetrics milvusConnectionsMetrics(ReactiveConnections connections) {
      return new ReactiveConnectionsMetrics(connections);
    }
  }
}
