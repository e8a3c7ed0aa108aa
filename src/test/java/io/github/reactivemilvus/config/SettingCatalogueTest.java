package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.fields;
import static io.github.reactivemilvus.config.TestConfigs.rejected;
import static io.github.reactivemilvus.config.TestConfigs.resolve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@link Setting} catalogue: typed setting, typed reading, and the keepalive floors of grpc-java. */
class SettingCatalogueTest {
  @Test
  void aTypedSettingAndItsMapKeyResolveToEqualConfigs() {
    ConnectionConfig typed = ConnectionConfig.builder()
        .set(Setting.URI, "http://h:1").set(Setting.POOL_SIZE, 4).set(Setting.CALL_TIMEOUT, Duration.ofSeconds(2))
        .set(Setting.RETRY_JITTER, 0.25).build();
    ConnectionConfig mapped = ConnectionConfig.fromMap(Map.of("uri", "http://h:1", "pool_size", "4",
        "call_timeout", 2, "retry_jitter", "0.25"));
    assertThat(typed).isEqualTo(mapped);
    assertThat(typed.differingFields(mapped)).isEmpty();
  }

  @Test
  void anInvalidTypedValueIsAProblemOnItsKeyLikeAMapValue() {
    ConnectionConfigException e = catchThrowableOfType(ConnectionConfigException.class,
        () -> ConnectionConfig.builder().poolSize(0).set(Setting.RETRY_MULTIPLIER, 0.5).build());
    assertThat(fields(e)).containsExactly("pool_size", "retry_multiplier");
    assertThat(e.problems().get(0).message())
        .isEqualTo(rejected("pool_size", 0).problems().get(0).message());
  }

  @Test
  void nullMeansNotGivenForATypedSetting() {
    ConnectionConfig c = ConnectionConfig.builder().set(Setting.POOL_SIZE, 9).set(Setting.POOL_SIZE, null).build();
    assertThat(c.poolSize()).isEqualTo(Setting.POOL_SIZE.defaultValue());
  }

  @Test
  void getReadsEveryKindOfSettingAsTheConfigUsesIt() {
    ConnectionConfig c = resolve("uri", "http://U:pw@h:7/db", "retry_max_retries", 2, "keep_alive", "false");
    assertThat(c.get(Setting.URI)).isEqualTo("h:7");
    assertThat(c.get(Setting.ADDRESS)).isEqualTo("h:7");
    assertThat(c.get(Setting.PORT)).isEqualTo(7);
    assertThat(c.get(Setting.USER)).isEqualTo("U");
    assertThat(c.get(Setting.DB_NAME)).isEqualTo("db");
    assertThat(c.get(Setting.RETRY_MAX_RETRIES)).isEqualTo(2);
    assertThat(c.get(Setting.RETRY_POLICY)).isEqualTo(c.retryPolicy());
    assertThat(c.get(Setting.KEEP_ALIVE)).isFalse();
    assertThat(c.get(Setting.TIMEOUT)).isNull();
  }

  @Test
  void keysAreLookedUpExactlyAndSecretsAreMarked() {
    assertThat(Setting.forKey("db_name")).containsSame(Setting.DB_NAME);
    assertThat(Setting.forKey("db-name")).isEmpty();
    assertThat(Setting.forKey(null)).isEmpty();
    assertThat(Setting.all().stream().filter(Setting::isSecret)).containsExactly(Setting.PASSWORD, Setting.TOKEN);
    assertThat(Setting.POOL_SIZE.isJavaOnly()).isTrue();
    assertThat(Setting.URI.isJavaOnly()).isFalse();
  }

  @Test
  void aKeepaliveIntervalBelowTheTenSecondsGrpcJavaAllowsIsRefusedNotRaisedInSilence() {
    ConnectionConfigException e = rejected("keep_alive_time", 5, "keep_alive_timeout", Duration.ofMillis(5));
    assertThat(fields(e)).containsExactly("keep_alive_time", "keep_alive_timeout");
    assertThat(e.problems().get(0).message()).contains("at least 10 s").contains("got 5");
    assertThat(e.problems().get(1).message()).contains("at least 10 ms");
    ConnectionConfig floor = resolve("keep_alive_time", 10, "keep_alive_timeout", 0.01);
    assertThat(floor.keepAliveTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(floor.keepAliveTimeout()).isEqualTo(Duration.ofMillis(10));
  }
}
