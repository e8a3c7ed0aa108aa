package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.MilvusCredentials;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;
import reactor.core.publisher.Mono;

/**
 * The starter's bindings of rotating credentials and connection age: a {@link MilvusCredentialsSupplier}
 * bean feeds its alias's credentials (asked when the alias connects to a real Milvus Lite), two for one
 * alias stop the start, and {@code max-connection-age} takes Spring's duration forms and the library's
 * rules.
 */
@ExtendWith(MilvusLiteExtension.class)
class CredentialsAndConnectionAgeTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ReactiveMilvusAutoConfiguration.class));

  @Test
  void aCredentialsSupplierBeanIsAskedWhenItsAliasConnects(MilvusLiteServer lite) {
    AtomicInteger asked = new AtomicInteger();
    runner.withPropertyValues("milvus.connections.search.uri=" + lite.uri(), "milvus.connections.search.max-connection-age=5m")
        .withBean("searchCredentials", MilvusCredentialsSupplier.class, () -> MilvusCredentialsSupplier.of("search",
            Mono.fromSupplier(() -> {
              asked.incrementAndGet();
              return MilvusCredentials.token("root:Milvus");
            })))
        .run(context -> {
          assertThat(context).hasNotFailed();
          ReactiveConnections registry = context.getBean(ReactiveConnections.class);
          assertThat(asked.get()).as("nothing asked before the alias connects").isZero();
          assertThat(registry.stub("search").getVersion().block(WAIT)).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
          assertThat(asked.get()).isEqualTo(1);
        });
  }

  @Test
  void twoCredentialsSuppliersForOneAliasStopTheStart() {
    Mono<MilvusCredentials> any = Mono.just(MilvusCredentials.token("t"));
    runner.withBean("one", MilvusCredentialsSupplier.class, () -> MilvusCredentialsSupplier.of("search", any))
        .withBean("two", MilvusCredentialsSupplier.class, () -> MilvusCredentialsSupplier.of("search", any))
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("two MilvusCredentialsSupplier beans")
              .hasMessageContaining("'search'");
        });
  }

  @Test
  void maxConnectionAgeTakesSpringDurationsAndTheLibrarysRules() {
    MockEnvironment env = new MockEnvironment()
        .withProperty("milvus.connections.a.max-connection-age", "90s")
        .withProperty("milvus.connections.a.max-connection-age-jitter", "0.2");
    assertThat(ConnectionProperties.read(env).get(0).values())
        .containsEntry("max_connection_age", Duration.ofSeconds(90))
        .containsEntry("max_connection_age_jitter", "0.2");
    runner.withPropertyValues("milvus.connections.a.max-connection-age=500ms").run(context -> {
      assertThat(context).hasFailed();
      Throwable t = context.getStartupFailure();
      while (!(t instanceof InvalidMilvusPropertiesException)) {
        t = t.getCause();
      }
      assertThat(((InvalidMilvusPropertiesException) t).problems()).singleElement()
          .satisfies(p -> assertThat(p).startsWith("milvus.connections.a.max-connection-age: ").contains("at least 1 s"));
    });
  }
}
