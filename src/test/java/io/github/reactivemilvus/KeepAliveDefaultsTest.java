package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.internal.SharedChannels;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keepalive defaults: a ping every 10 s, 5 s to answer, also without calls (what Milvus permits). */
class KeepAliveDefaultsTest {

  @Test
  void aConfigWithoutKeepAliveKeysPingsEveryTenSecondsWithAFiveSecondTimeout() {
    ConnectionConfig config = ConnectionConfig.fromMap(Map.of("uri", "http://127.0.0.1:19530"));
    assertThat(config.keepAlive()).isTrue();
    assertThat(config.keepAliveTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void theBuilderHasTheSameDefaultsAsTheMap() {
    ConnectionConfig config = ConnectionConfig.builder().uri("http://127.0.0.1:19530").build();
    assertThat(config.keepAlive()).isTrue();
    assertThat(config.keepAliveTime()).isEqualTo(ConnectionConfig.DEFAULT_KEEP_ALIVE_TIME);
    assertThat(config.keepAliveTimeout()).isEqualTo(ConnectionConfig.DEFAULT_KEEP_ALIVE_TIMEOUT);
  }

  @Test
  void keepAliveSettingsTellPhysicalChannelsApart() {
    ConnectionConfig defaults = ConnectionConfig.builder().uri("http://127.0.0.1:19530").build();
    ConnectionConfig slower = ConnectionConfig.builder().uri("http://127.0.0.1:19530")
        .keepAliveTime(Duration.ofSeconds(30)).build();
    ConnectionConfig otherDb = ConnectionConfig.builder().uri("http://127.0.0.1:19530").dbName("db2").build();
    assertThat(SharedChannels.Key.of(slower)).isNotEqualTo(SharedChannels.Key.of(defaults));
    assertThat(SharedChannels.Key.of(otherDb)).isEqualTo(SharedChannels.Key.of(defaults));
  }
}
