package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.cfg;
import static io.github.reactivemilvus.config.TestConfigs.fields;
import static io.github.reactivemilvus.config.TestConfigs.rejected;
import static io.github.reactivemilvus.config.TestConfigs.resolve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SPEC §9: the config-related pymilvus 2.5 defects that this library deliberately does not copy.
 * Each display name says what pymilvus does and what happens here.
 */
class PymilvusDifferencesTest {
  @Test
  @DisplayName("pymilvus rejects port 65535 (range [0, 65535)); here 65535 is a valid port and 0 is not")
  void port65535IsAccepted() {
    assertThat(resolve("host", "h", "port", 65535).port()).isEqualTo(65535);
    assertThat(resolve("uri", "http://h:65535").port()).isEqualTo(65535);
    assertThat(resolve("address", "h:65535").port()).isEqualTo(65535);
    assertThat(fields(rejected("port", 0))).containsExactly("port");
  }

  @Test
  @DisplayName("pymilvus raises a raw ValueError for a bad port in a uri; here it is a ConnectionConfigException on 'uri'")
  void aBadUriPortIsAConfigProblem() {
    for (String uri : List.of("http://h:abc", "http://h:99999", "http://h:-5")) {
      assertThat(fields(rejected("uri", uri))).containsExactly("uri");
    }
  }

  @Test
  @DisplayName("pymilvus rejects IPv6 hosts (':' in host); here [v6] in uri/address and bare v6 in host work")
  void ipv6Works() {
    assertThat(resolve("uri", "http://[::1]:19530").address()).isEqualTo("[::1]:19530");
    assertThat(resolve("address", "[fd00::5]:1").host()).isEqualTo("fd00::5");
    assertThat(resolve("host", "::1").address()).isEqualTo("[::1]:19530");
  }

  @Test
  @DisplayName("pymilvus does not percent-decode uri user info; here user and password are decoded")
  void userInfoIsDecoded() {
    ConnectionConfig c = resolve("uri", "http://r%C3%B6ot:M%40lvus@h:1");
    assertThat(c.user()).isEqualTo("r\u00f6ot");
    assertThat(c.authorizationHeader()).isEqualTo(java.util.Base64.getEncoder()
        .encodeToString("r\u00f6ot:M@lvus".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  @DisplayName("pymilvus drops the token when MILVUS_URI is set or the alias was pre-added; here a token is part of the config")
  void tokenIsKept() {
    ConnectionConfig fromEnvUri = ConfigResolver.environmentDefaults(Map.of("MILVUS_URI", "http://h:1")).defaultConfig();
    ConnectionConfig withToken = resolve("uri", "http://h:1", "token", "t");
    assertThat(withToken.auth()).isEqualTo(AuthMode.TOKEN);
    assertThat(withToken.differingFields(fromEnvUri)).containsExactly("token");
  }

  @Test
  @DisplayName("pymilvus turns a non-numeric timeout into 10 s; here it is a problem on 'timeout'")
  void nonNumericTimeoutIsAProblem() {
    for (Object t : List.of("abc", true, Double.NaN, -1, 0)) {
      assertThat(fields(rejected("timeout", t))).containsExactly("timeout");
    }
  }

  @Test
  @DisplayName("pymilvus sends None credentials as the string 'None'; here null means not given")
  void nullCredentialsAreNotGiven() {
    ConnectionConfig c = resolve("user", null, "password", null, "token", null);
    assertThat(c.auth()).isEqualTo(AuthMode.NONE);
    assertThat(c.user()).isNull();
    assertThat(c.authorizationHeader()).isNull();
  }

  @Test
  @DisplayName("pymilvus lets https silently override secure=False; here that is a problem on 'secure'")
  void httpsWithSecureFalseIsAProblem() {
    assertThat(fields(rejected("uri", "https://h", "secure", false))).containsExactly("secure");
  }

  @Test
  @DisplayName("pymilvus's get_connection_addr returns its live internal dict; here the view is an immutable snapshot")
  void theViewIsASnapshot() {
    ConnectionConfig c = resolve("uri", "http://h:1");
    ConnectionInfo a = c.info("a", Duration.ofSeconds(1));
    ConnectionInfo b = c.info("a", Duration.ofSeconds(1));
    assertThat(a).isEqualTo(b).isNotSameAs(b);
    assertThat(ConnectionInfo.class.isRecord()).isTrue();
  }

  @Test
  @DisplayName("pymilvus applies configs one by one and stops at the first bad one; here every invalid alias is reported")
  void everyInvalidAliasIsReported() {
    List<ConfigProblem> problems = new ArrayList<>();
    for (NamedConfig n : List.of(NamedConfig.of("ok", cfg()), NamedConfig.of("bad1", cfg("port", -1)),
        NamedConfig.of("bad2", cfg("uri", "ftp://x")))) {
      try {
        n.resolve();
      } catch (ConnectionConfigException e) {
        problems.addAll(e.problems());
      }
    }
    assertThat(new ConnectionConfigException(problems).invalidAliases()).containsExactly("bad1", "bad2");
  }

  @Test
  @DisplayName("pymilvus silently prefers address over uri over host/port; here disagreeing forms are a problem")
  void disagreeingEndpointFormsAreAProblem() {
    ConnectionConfigException e = catchThrowableOfType(ConnectionConfigException.class,
        () -> ConnectionConfig.fromMap(cfg("address", "a:1", "uri", "http://b:1", "host", "c")));
    assertThat(fields(e)).containsExactly("uri", "host");
  }

  @Test
  @DisplayName("pymilvus ignores certificate paths unless secure=True; here they need TLS and must exist")
  void certificatePathsNeedTls() {
    assertThat(fields(rejected("server_pem_path", "/nonexistent/ca.pem")))
        .containsExactly("server_pem_path", "server_pem_path");
  }
}
