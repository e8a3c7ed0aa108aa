package io.github.reactivemilvus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §3.8: {@code MILVUS_URI} and {@code MILVUS_CONN_TIMEOUT}. */
class EnvironmentDefaultsTest {
  private static ConnectionConfigException rejected(Map<String, String> env) {
    return catchThrowableOfType(ConnectionConfigException.class, () -> ConfigResolver.environmentDefaults(env));
  }

  @Test
  void anEmptyEnvironmentMeansLocalhostAndTenSeconds() {
    ConfigResolver.EnvironmentDefaults d = ConfigResolver.environmentDefaults(Map.of());
    assertThat(d.defaultConfig().address()).isEqualTo("localhost:19530");
    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void blankVariablesAreUnset() {
    ConfigResolver.EnvironmentDefaults d = ConfigResolver.environmentDefaults(
        Map.of("MILVUS_URI", " ", "MILVUS_CONN_TIMEOUT", ""));
    assertThat(d.defaultConfig().address()).isEqualTo("localhost:19530");
    assertThat(d.timeout()).isEqualTo(ConnectionConfig.DEFAULT_TIMEOUT);
  }

  @Test
  void milvusUriIsResolvedLikeAUriKey() {
    ConnectionConfig c = ConfigResolver.environmentDefaults(Map.of("MILVUS_URI", "https://root:Milvus@db.example.com/prod"))
        .defaultConfig();
    assertThat(c.address()).isEqualTo("db.example.com:443");
    assertThat(c.secure()).isTrue();
    assertThat(c.user()).isEqualTo("root");
    assertThat(c.auth()).isEqualTo(AuthMode.USER_PASSWORD);
    assertThat(c.dbName()).isEqualTo("prod");
    assertThat(MilvusEnvironment.defaultConfig(Map.of("MILVUS_URI", "http://h:1"))).isEqualTo(TestConfigs.resolve("uri", "http://h:1"));
  }

  @Test
  void aTokenNextToMilvusUriIsKept() {
    // pymilvus drops the token of connect() when MILVUS_URI is set; here the uri and the token
    // of one config are resolved together.
    ConnectionConfig c = TestConfigs.resolve("uri", "http://h:1", "token", "t");
    assertThat(c.auth()).isEqualTo(AuthMode.TOKEN);
  }

  @Test
  void milvusConnTimeoutIsPositiveSeconds() {
    assertThat(MilvusEnvironment.connectTimeout(Map.of("MILVUS_CONN_TIMEOUT", "2.5"))).isEqualTo(Duration.ofMillis(2500));
    assertThat(MilvusEnvironment.connectTimeout(Map.of("MILVUS_CONN_TIMEOUT", " 30 "))).isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-1", "NaN", "Infinity", "1e3", "10s", "99999999999"})
  void anInvalidMilvusConnTimeoutIsAProblemNamingTheVariable(String value) {
    ConnectionConfigException e = rejected(Map.of("MILVUS_CONN_TIMEOUT", value));
    assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("MILVUS_CONN_TIMEOUT"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"./milvus.db", "localhost:19530", "ftp://h", "http://h:0", "http://:pw@h"})
  void anInvalidMilvusUriIsAProblemNamingTheVariable(String value) {
    ConnectionConfigException e = rejected(Map.of("MILVUS_URI", value));
    assertThat(e.problems()).isNotEmpty().allSatisfy(p -> {
      assertThat(p.field()).isEqualTo("MILVUS_URI");
      assertThat(p.alias()).isEqualTo("default");
    });
  }

  @Test
  void bothInvalidVariablesAreReportedTogetherWithoutThePassword() {
    ConnectionConfigException e = rejected(Map.of("MILVUS_URI", "http://u:EnvSecret@h:abc", "MILVUS_CONN_TIMEOUT", "x"));
    assertThat(TestConfigs.fields(e)).containsExactlyInAnyOrder("MILVUS_URI", "MILVUS_CONN_TIMEOUT");
    assertThat(TestConfigs.everythingShown(e)).doesNotContain("EnvSecret");
  }
}
