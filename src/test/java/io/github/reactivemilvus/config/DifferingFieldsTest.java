package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code differingFields}: every differing map-key name, never a value. */
class DifferingFieldsTest {
  @Test
  void equalConfigsDifferInNothing() {
    assertThat(resolve("uri", "http://h:1").differingFields(resolve("address", "H:1"))).isEmpty();
  }

  @Test
  void eachDifferingSettingIsNamedByItsKey() {
    ConnectionConfig a = resolve("host", "a", "user", "u", "password", "p1", "db_name", "x", "timeout", 1);
    ConnectionConfig b = resolve("host", "b", "port", 2, "user", "u", "password", "p2", "db_name", "y", "pool_size", 3,
        "retry_jitter", 0.1, "call_timeout", 9);
    assertThat(a.differingFields(b)).containsExactly("host", "port", "password", "db_name", "timeout", "pool_size",
        "call_timeout", "retry_jitter");
  }

  @Test
  void secretsAreNamedNotShown() {
    ConnectionConfig a = resolve("token", "TokenOne");
    ConnectionConfig b = resolve("token", "TokenTwo");
    assertThat(a.differingFields(b)).containsExactly("token");
    assertThat(a.differingFields(b).toString()).doesNotContain("TokenOne").doesNotContain("TokenTwo");
  }

  @Test
  void aSocketAndATcpEndpointDifferInHostPortAndUri() {
    assertThat(resolve("uri", "unix:/tmp/s").differingFields(resolve())).containsExactly("host", "port", "uri");
  }

  @Test
  void tlsAndKeepaliveDifferencesAreNamed() {
    assertThat(resolve("secure", true).differingFields(resolve())).containsExactly("secure");
    assertThat(resolve("keep_alive", false, "keep_alive_time", Duration.ofSeconds(60))
        .differingFields(resolve())).containsExactly("keep_alive", "keep_alive_time");
  }
}
