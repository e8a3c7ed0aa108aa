package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ConnectionStatus;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.config.AuthMode;
import io.github.reactivemilvus.config.ConnectionInfo;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@link MilvusConnectionDetails} beans over the properties, without a server (nothing connects). */
class ConnectionDetailsTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactiveMilvusAutoConfiguration.class));

  private static ConnectionInfo info(ReactiveConnections registry, String alias) {
    return registry.getConnectionAddr(alias).orElseThrow();
  }

  @Test
  void detailsReplaceTheUriTokenAndDatabaseOfTheirAliasAndKeepItsOtherKeys() {
    MilvusConnectionDetails details = new MilvusConnectionDetails() {
      @Override
      public String getUri() {
        return "http://from-details:19600";
      }

      @Override
      public String getToken() {
        return "api-key";
      }

      @Override
      public String getDbName() {
        return "shop";
      }
    };
    runner.withBean(MilvusConnectionDetails.class, () -> details)
        .withPropertyValues("milvus.connections.default.uri=http://from-properties:19530",
            "milvus.connections.default.user=root", "milvus.connections.default.password=secret",
            "milvus.connections.default.timeout=7s", "milvus.connections.other.uri=http://other:19530")
        .run(context -> {
          ReactiveConnections registry = context.getBean(ReactiveConnections.class);
          ConnectionInfo info = info(registry, "default");
          assertThat(info.address()).isEqualTo("from-details:19600");
          assertThat(info.dbName()).isEqualTo("shop");
          assertThat(info.auth()).isEqualTo(AuthMode.TOKEN);
          assertThat(info.user()).isNull();
          assertThat(info.timeoutMs()).isEqualTo(7_000);
          assertThat(info(registry, "other").address()).isEqualTo("other:19530");
        });
  }

  @Test
  void detailsForAnAliasThePropertiesDoNotNameAddIt() {
    runner.withBean(MilvusConnectionDetails.class, () -> new MilvusConnectionDetails() {
      @Override
      public String getAlias() {
        return "search";
      }

      @Override
      public String getUri() {
        return "http://search-host:19531";
      }
    }).run(context -> {
      ReactiveConnections registry = context.getBean(ReactiveConnections.class);
      assertThat(registry.listConnections()).extracting(ConnectionStatus::alias).contains("search", "default");
      assertThat(info(registry, "search").address()).isEqualTo("search-host:19531");
    });
  }
}
