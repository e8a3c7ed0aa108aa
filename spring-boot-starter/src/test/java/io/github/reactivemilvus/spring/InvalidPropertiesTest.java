package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.testing.LeakCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** Bad {@code milvus.connections.*} properties stop the application, listing every problem, no secret. */
@ExtendWith(OutputCaptureExtension.class)
class InvalidPropertiesTest {
  private static final String PASSWORD = "pw-Secret-7731";
  private static final String TOKEN = "tok-Secret-9924";

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
  }

  @Test
  void everyProblemOfEveryAliasIsListedWithTheKeyAsWrittenAndNoSecret(CapturedOutput output) {
    LeakCheck before = LeakCheck.snapshot();
    SpringApplication app = new SpringApplication(App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    String[] args = {
        "--milvus.connections.default.port=70000",
        "--milvus.connections.search.uri=http://127.0.0.1:19530",
        "--milvus.connections.search.tokn=abc",
        "--milvus.connections.search.callTimeout=10 seconds",
        "--milvus.connections.auth.user=bob",
        "--milvus.connections.auth.password=" + PASSWORD,
        "--milvus.connections.auth.token=" + TOKEN,
    };

    assertThatThrownBy(() -> app.run(args)).hasRootCauseInstanceOf(io.github.reactivemilvus.config.ConnectionConfigException.class)
        .satisfies(e -> {
          InvalidMilvusPropertiesException invalid = find(e);
          assertThat(invalid.problems()).anySatisfy(p -> assertThat(p).startsWith("milvus.connections.default.port: ").contains("70000"));
          assertThat(invalid.problems()).anySatisfy(p -> assertThat(p)
              .startsWith("milvus.connections.search.tokn: unknown key 'tokn' (did you mean 'token'?)")
              .contains("db-name").doesNotContain("db_name"));
          assertThat(invalid.problems()).anySatisfy(p -> assertThat(p).startsWith("milvus.connections.search.callTimeout: ")
              .contains("a duration such as 10s"));
          assertThat(invalid.problems()).anySatisfy(p -> assertThat(p).startsWith("milvus.connections.auth.").contains("token"));
          assertThat(invalid.problems()).allSatisfy(p -> assertThat(p).doesNotContain(PASSWORD, TOKEN));
        });

    assertThat(output.getOut() + output.getErr())
        .contains("APPLICATION FAILED TO START")
        .contains("The Milvus connection properties have")
        .contains("milvus.connections.default.port: ")
        .contains("milvus.connections.search.tokn: unknown key 'tokn' (did you mean 'token'?)")
        .doesNotContain(PASSWORD).doesNotContain(TOKEN);
    before.assertNoNewThreads(Duration.ofSeconds(10), LeakCheck.DEFAULT_PREFIXES);
  }

  private static InvalidMilvusPropertiesException find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidMilvusPropertiesException i) {
        return i;
      }
    }
    throw new AssertionError("no InvalidMilvusPropertiesException in " + e);
  }
}
