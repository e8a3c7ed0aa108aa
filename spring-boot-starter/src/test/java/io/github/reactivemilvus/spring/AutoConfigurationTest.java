package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.config.ConnectionInfo;
import io.github.reactivemilvus.ConnectionState;
import io.github.reactivemilvus.ConnectionStatus;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.testing.LeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

/** What the auto-configuration makes of the properties, without a server (nothing connects). */
class AutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactiveMilvusAutoConfiguration.class, MilvusHealthAutoConfiguration.class));

  private static ConnectionInfo info(ReactiveConnections registry, String alias) {
    return registry.getConnectionAddr(alias).orElseThrow();
  }

  @Test
  void everyConfiguredAliasIsRegisteredAndNoneIsConnected() {
    runner.withPropertyValues("milvus.connections.search.uri=http://search-host:19531/vectors",
        "milvus.connections.analytics.host=analytics-host", "milvus.connections.analytics.db-name=reports")
        .run(context -> {
          ReactiveConnections registry = context.getBean(ReactiveConnections.class);
          assertThat(registry.listConnections()).extracting(ConnectionStatus::alias)
              .containsExactly("analytics", "default", "search");
          assertThat(registry.listConnections()).extracting(ConnectionStatus::state).containsOnly(ConnectionState.CONFIGURED);
          assertThat(info(registry, "search").address()).isEqualTo("search-host:19531");
          assertThat(info(registry, "search").dbName()).isEqualTo("vectors");
          assertThat(info(registry, "analytics").address()).isEqualTo("analytics-host:19530");
          assertThat(info(registry, "analytics").dbName()).isEqualTo("reports");
        });
  }

  @Test
  void withoutConnectionsTheDefaultAliasComesFromMilvusUriAndAConfiguredDefaultReplacesIt() {
    runner.withPropertyValues("MILVUS_URI=http://from-env:19600").run(context ->
        assertThat(info(context.getBean(ReactiveConnections.class), "default").address()).isEqualTo("from-env:19600"));
    runner.run(context ->
        assertThat(info(context.getBean(ReactiveConnections.class), "default").address()).isEqualTo("localhost:19530"));
    runner.withPropertyValues("MILVUS_URI=http://from-env:19600", "milvus.connections.default.host=configured")
        .run(context -> assertThat(info(context.getBean(ReactiveConnections.class), "default").address())
            .isEqualTo("configured:19530"));
  }

  @Test
  void anInvalidMilvusUriFailsTheStartupNamingTheVariable() {
    runner.withPropertyValues("MILVUS_URI=ftp://somewhere").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(io.github.reactivemilvus.config.ConnectionConfigException.class);
      Throwable t = context.getStartupFailure();
      while (!(t instanceof InvalidMilvusPropertiesException)) {
        t = t.getCause();
      }
      assertThat(((InvalidMilvusPropertiesException) t).problems()).singleElement()
          .satisfies(p -> assertThat(p).startsWith("MILVUS_URI: "));
    });
  }

  @Test
  void springDurationsAndPlainSecondsBothSetTheConnectTimeout() {
    runner.withPropertyValues("milvus.connections.a.timeout=500ms", "milvus.connections.b.timeout=2.5",
        "milvus.connections.c.timeout=PT1M", "MILVUS_CONN_TIMEOUT=3")
        .run(context -> {
          ReactiveConnections registry = context.getBean(ReactiveConnections.class);
          assertThat(info(registry, "a").timeoutMs()).isEqualTo(500);
          assertThat(info(registry, "b").timeoutMs()).isEqualTo(2500);
          assertThat(info(registry, "c").timeoutMs()).isEqualTo(60_000);
          assertThat(info(registry, "default").timeoutMs()).isEqualTo(3000);
        });
  }

  @Test
  void durationsAndSizesAreConvertedKeyByKeyAndOtherValuesPassAsWritten() {
    MockEnvironment env = new MockEnvironment()
        .withProperty("milvus.connections.a.call-timeout", "10s")
        .withProperty("milvus.connections.a.retry.initial-backoff", "250ms")
        .withProperty("milvus.connections.a.keepAliveTime", "30")
        .withProperty("milvus.connections.a.max-inbound-message-size", "64MB")
        .withProperty("milvus.connections.a.port", "19531")
        .withProperty("milvus.connections.a.host", "${test.host}")
        .withProperty("test.host", "resolved-host");
    List<ConnectionProperties.Alias> aliases = ConnectionProperties.read(env);
    assertThat(aliases).hasSize(1);
    assertThat(aliases.get(0).values()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "call_timeout", Duration.ofSeconds(10),
        "retry_initial_backoff", Duration.ofMillis(250),
        "keep_alive_time", "30",
        "max_inbound_message_size", 64L * 1024 * 1024,
        "port", "19531",
        "host", "resolved-host"));
    assertThat(aliases.get(0).writtenKeys()).containsEntry("keep_alive_time", "keepAliveTime")
        .containsEntry("retry_initial_backoff", "retry-initial-backoff");
  }

  @Test
  void customizersChangeTheBuilderAfterTheStartersOwnSettings() {
    List<String> calls = new ArrayList<>();
    runner.withBean("first", ReactiveConnectionsCustomizer.class, () -> b -> calls.add("user"))
        .run(context -> {
          assertThat(context).hasSingleBean(ReactiveConnections.class);
          assertThat(calls).containsExactly("user");
        });
  }

  @Test
  void aUserRegistryReplacesTheAutoConfiguredOne() {
    runner.withUserConfiguration(OwnRegistry.class).run(context -> {
      assertThat(context).hasSingleBean(ReactiveConnections.class);
      assertThat(context.getBean(ReactiveConnections.class)).isSameAs(context.getBean(OwnRegistry.class).registry);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistry {
    final ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build();

    @Bean
    ReactiveConnections ownRegistry() {
      return registry;
    }
  }

  @Test
  void aMilvusClientOfTheDefaultAliasIsABeanAndConnectsNothing() {
    runner.withPropertyValues("milvus.connections.search.host=search-host").run(context -> {
      assertThat(context).hasSingleBean(MilvusClient.class);
      assertThat(context.getBean(MilvusClient.class).alias()).isEqualTo("default");
      assertThat(context.getBean(ReactiveConnections.class).listConnections()).extracting(ConnectionStatus::state)
          .containsOnly(ConnectionState.CONFIGURED);
    });
  }

  @Test
  void aUserMilvusClientReplacesTheAutoConfiguredOne() {
    runner.withPropertyValues("milvus.connections.search.host=search-host").withUserConfiguration(OwnClient.class)
        .run(context -> {
          assertThat(context).hasSingleBean(MilvusClient.class);
          assertThat(context.getBean(MilvusClient.class).alias()).isEqualTo("search");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnClient {
    @Bean
    MilvusClient searchClient(ReactiveConnections registry) {
      return MilvusClient.of(registry, "search");
    }
  }

  @Test
  void theHealthContributorExistsOnlyWithSpringBootsHealthSupport() {
    runner.run(context -> assertThat(context).hasBean("milvusHealthContributor"));
    runner.withPropertyValues("management.health.milvus.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("milvusHealthContributor"));
    runner.withClassLoader(new FilteredClassLoader(ReactiveHealthContributor.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("milvusHealthContributor"));
  }

  @Test
  void connectOnStartupFailsTheStartupNamingTheAliasAndTheCause() {
    int closed = FreePorts.closedPort();
    LeakCheck before = LeakCheck.snapshot();
    runner.withPropertyValues("milvus.registry.connect-on-startup=true",
        "milvus.connections.offline.uri=http://127.0.0.1:" + closed, "milvus.connections.offline.timeout=1s",
        "milvus.connections.default.uri=http://127.0.0.1:" + closed, "milvus.connections.default.timeout=1s")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("milvus.registry.connect-on-startup: 2 aliases failed to connect")
            .hasMessageContaining("server unreachable: alias 'offline' (127.0.0.1:" + closed + ")")
            .hasMessageContaining("alias 'default'"));
    before.assertNoNewThreads(Duration.ofSeconds(10), LeakCheck.DEFAULT_PREFIXES);
  }

  @Test
  void closingTheContextLeavesNoThreadOfTheRegistry() {
    LeakCheck before = LeakCheck.snapshot();
    runner.withPropertyValues("milvus.registry.share-event-loops=false").run(context -> {
      assertThat(context).hasSingleBean(ReactiveConnections.class);
      context.getBean(ReactiveConnections.class).channel("default").onErrorComplete().subscribe();
    });
    before.assertNoNewThreads(Duration.ofSeconds(10), LeakCheck.DEFAULT_PREFIXES);
  }
}
