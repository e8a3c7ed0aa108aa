package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.cfg;
import static io.github.reactivemilvus.config.TestConfigs.everythingShown;
import static io.github.reactivemilvus.config.TestConfigs.fields;
import static io.github.reactivemilvus.config.TestConfigs.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC §2 (unknown keys), §3.8 (alias) and §3.9 (every problem, at once, without secrets). */
class KeysAndProblemsTest {
  @Test
  void anUnknownKeyIsNamedWithASuggestionAndTheAcceptedKeys() {
    ConnectionConfigException e = rejected("scure", true);
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("scure");
      assertThat(p.message()).contains("did you mean 'secure'").contains("accepted keys: uri, address, host, port");
    });
  }

  @Test
  void kebabCaseKeysGetTheSnakeCaseSuggestion() {
    assertThat(rejected("db-name", "x").getMessage()).contains("did you mean 'db_name'");
  }

  @Test
  void everyUnknownKeyIsReported() {
    assertThat(fields(rejected("hots", "h", "prot", 1, "zzzzzzzzzz", 2))).containsExactly("hots", "prot", "zzzzzzzzzz");
  }

  @Test
  void aNullKeyIsAProblemNotANullPointerException() {
    Map<String, Object> m = new HashMap<>();
    m.put(null, "x");
    ConnectionConfigException e = catchThrowableOfType(ConnectionConfigException.class, () -> ConnectionConfig.fromMap(m));
    assertThat(fields(e)).containsExactly("key");
  }

  @Test
  void aNullKeyPutOnTheBuilderIsAProblemAtBuild() {
    ConnectionConfigException e = catchThrowableOfType(ConnectionConfigException.class,
        () -> ConnectionConfig.builder().put(null, 1).build());
    assertThat(fields(e)).containsExactly("key");
  }

  @Test
  void enormousNumbersAreRejectedByRangeBeforeAnyCostlyArithmetic() {
    java.math.BigInteger huge = java.math.BigInteger.TEN.pow(200_000);
    assertThat(fields(rejected("port", huge, "pool_size", new java.math.BigDecimal(huge), "timeout", huge)))
        .containsExactly("port", "timeout", "pool_size");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aNonStringKeySmuggledThroughRawTypesIsAProblem() {
    Map raw = new HashMap();
    raw.put(42, "x");
    ConnectionConfigException e = catchThrowableOfType(ConnectionConfigException.class,
        () -> ConnectionConfig.fromMap((Map<String, ?>) raw));
    assertThat(fields(e)).containsExactly("key");
    assertThat(catchThrowableOfType(ConnectionConfigException.class,
        () -> NamedConfig.of("a", (Map<String, ?>) raw).resolve()).problems()).hasSize(1);
  }

  @Test
  void everyProblemOfAConfigIsReportedInOneException() {
    ConnectionConfigException e = rejected("uri", "http://h:abc", "secure", "yes", "timeout", "soon",
        "user", "root", "pool_size", 0, "typo", 1);
    assertThat(fields(e)).containsExactlyInAnyOrder("typo", "uri", "password", "secure", "timeout", "pool_size");
    assertThat(e.getMessage()).startsWith("invalid connection config (6 problems)");
  }

  @Test
  void aNamedConfigReportsABlankAliasTogetherWithTheConfigsProblems() {
    ConnectionConfigException e = catchThrowableOfType(ConnectionConfigException.class,
        () -> NamedConfig.of(" ", cfg("port", -1)).resolve());
    assertThat(fields(e)).containsExactly("alias", "port");
    assertThat(e.problems()).allSatisfy(p -> assertThat(p.alias()).isEqualTo(" "));
    assertThat(fields(catchThrowableOfType(ConnectionConfigException.class,
        () -> NamedConfig.of(null, cfg()).resolve()))).containsExactly("alias");
  }

  @Test
  void problemsOfANamedConfigCarryItsAlias() {
    ConnectionConfigException e = catchThrowableOfType(ConnectionConfigException.class,
        () -> NamedConfig.of("analytics", cfg("port", "x")).resolve());
    assertThat(e.invalidAliases()).containsExactly("analytics");
    assertThat(e.getMessage()).contains("analytics: port:");
  }

  @Test
  void aBuiltConfigUnderABlankAliasIsRejected() {
    ConnectionConfig ok = ConnectionConfig.builder().build();
    assertThat(NamedConfig.of("a", ok).resolve()).isSameAs(ok);
    assertThat(fields(catchThrowableOfType(ConnectionConfigException.class,
        () -> NamedConfig.of("", ok).resolve()))).containsExactly("alias");
  }

  @Test
  void secretsAreNeverShownInMessagesToStringsOrViews() {
    String pw = "PwSecret-8271";
    String token = "TokSecret-5512";
    ConnectionConfigException e = rejected("uri", "http://alice:UriSecret-1%2F9@h:abc", "password", pw,
        "token", token, "user", 5);
    assertThat(everythingShown(e)).doesNotContain(pw).doesNotContain(token).doesNotContain("UriSecret")
        .contains("***");

    ConnectionConfig c = TestConfigs.resolve("uri", "http://alice:UriSecret-1@h:1");
    ConnectionConfig t = TestConfigs.resolve("token", token);
    assertThat(c + " " + c.info("a", ConnectionConfig.DEFAULT_TIMEOUT) + " " + t + " "
        + NamedConfig.of("a", cfg("password", pw, "user", "u")))
        .doesNotContain("UriSecret").doesNotContain(token).doesNotContain(pw).contains("password=***").contains("token=***");
  }

  @Test
  void uriPasswordsAreMaskedEvenInTextThatIsNotAUri() {
    assertThat(everythingShown(rejected("uri", "alice:Hidden-77@host:1"))).doesNotContain("Hidden-77");
    assertThat(everythingShown(rejected("uri", "http:alice:Hidden-77@host:1"))).doesNotContain("Hidden-77");
    assertThat(everythingShown(rejected("address", "alice:Hidden-77@host:1"))).doesNotContain("Hidden-77");
    assertThat(everythingShown(rejected("uri", "http://u:Hid://den-77@h x"))).doesNotContain("Hid");
  }

  @Test
  void controlCharactersInValuesAreEscapedInMessages() {
    String msg = rejected("host", "a\u001b[31mb").getMessage();
    assertThat(msg).doesNotContain("\u001b").contains("\\u001b");
  }

  @Test
  void hugeValuesAreShortenedInMessages() {
    assertThat(rejected("host", "x y".repeat(10_000)).getMessage().length()).isLessThan(1_000);
  }
}
