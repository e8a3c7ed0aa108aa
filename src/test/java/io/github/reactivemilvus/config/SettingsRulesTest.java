package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.fields;
import static io.github.reactivemilvus.config.TestConfigs.rejected;
import static io.github.reactivemilvus.config.TestConfigs.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §3.7 (timeout) and the Java-only settings, including the {@code retry_*} keys. */
class SettingsRulesTest {
  static Stream<Arguments> acceptedTimeouts() {
    return Stream.of(
        Arguments.of(3, 3000L), Arguments.of(0.5, 500L), Arguments.of("2.5", 2500L), Arguments.of(" 7 ", 7000L),
        Arguments.of(".25", 250L), Arguments.of(10L, 10_000L), Arguments.of(new BigDecimal("1.5"), 1500L),
        Arguments.of(BigInteger.TWO, 2000L), Arguments.of(Duration.ofMillis(1500), 1500L), Arguments.of(0.001, 1L),
        Arguments.of(365L * 24 * 3600, 365L * 24 * 3600 * 1000));
  }

  @ParameterizedTest
  @MethodSource("acceptedTimeouts")
  void timeoutIsAPositiveNumberOfSecondsOrADuration(Object timeout, long millis) {
    assertThat(resolve("timeout", timeout).info("a", Duration.ofSeconds(10)).timeoutMs()).isEqualTo(millis);
  }

  static Stream<Arguments> rejectedTimeouts() {
    return Stream.of(
        Arguments.of(0), Arguments.of(-1), Arguments.of("abc"), Arguments.of(true), Arguments.of(Double.NaN),
        Arguments.of(Double.POSITIVE_INFINITY), Arguments.of("NaN"), Arguments.of("Infinity"), Arguments.of("1e3"),
        Arguments.of("-2"), Arguments.of("10s"), Arguments.of(1e12), Arguments.of(Long.MAX_VALUE),
        Arguments.of(0.0001), Arguments.of(new BigDecimal("1E+999999999")), Arguments.of(new BigDecimal("1E-999999999")),
        Arguments.of(Duration.ZERO), Arguments.of(Duration.ofSeconds(-5)), Arguments.of(Duration.ofNanos(10)),
        Arguments.of(Duration.ofSeconds(Long.MAX_VALUE)), Arguments.of(List.of(3)), Arguments.of(new Object()));
  }

  @ParameterizedTest
  @MethodSource("rejectedTimeouts")
  void anyOtherTimeoutIsAProblemNotSilentlyTenSeconds(Object timeout) {
    // pymilvus turns a non-numeric timeout into its 10 s default without a word.
    assertThat(fields(rejected("timeout", timeout))).containsExactly("timeout");
  }

  @Test
  void withoutATimeoutTheRegistryDefaultApplies() {
    assertThat(resolve().timeout()).isNull();
    assertThat(resolve().info("a", Duration.ofSeconds(7)).timeoutMs()).isEqualTo(7000);
  }

  @Test
  void javaOnlySettingsHaveDocumentedDefaults() {
    ConnectionConfig c = resolve();
    assertThat(c.keepAlive()).isTrue();
    assertThat(c.keepAliveTime()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.poolSize()).isEqualTo(1);
    assertThat(c.maxConcurrentCalls()).isEqualTo(256);
    assertThat(c.maxPendingCalls()).isEqualTo(1024);
    assertThat(c.callTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxInboundMessageSize()).isEqualTo(256 * 1024 * 1024);
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofHours(24));
    assertThat(c.retryPolicy()).isEqualTo(RetryPolicy.defaults());
  }

  @Test
  void javaOnlySettingsAreReadFromMapsAsNumbersOrSecondsOrDurations() {
    ConnectionConfig c = resolve("keep_alive", false, "keep_alive_time", 30, "keep_alive_timeout", Duration.ofSeconds(2),
        "pool_size", "4", "max_concurrent_calls", 10, "max_pending_calls", 0, "call_timeout", 1.5,
        "max_inbound_message_size", 16L * 1024 * 1024, "idle_timeout", "60");
    assertThat(c.keepAlive()).isFalse();
    assertThat(c.keepAliveTime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.poolSize()).isEqualTo(4);
    assertThat(c.maxConcurrentCalls()).isEqualTo(10);
    assertThat(c.maxPendingCalls()).isZero();
    assertThat(c.callTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.maxInboundMessageSize()).isEqualTo(16 * 1024 * 1024);
    assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void outOfRangeJavaOnlySettingsAreProblems() {
    ConnectionConfigException e = rejected("pool_size", 0, "max_concurrent_calls", 0, "max_pending_calls", -1,
        "max_inbound_message_size", 1L << 40, "call_timeout", 0, "keep_alive", "maybe", "keep_alive_time", -1,
        "keep_alive_timeout", "x", "idle_timeout", Double.NaN);
    assertThat(fields(e)).containsExactlyInAnyOrder("pool_size", "max_concurrent_calls", "max_pending_calls",
        "max_inbound_message_size", "call_timeout", "keep_alive", "keep_alive_time", "keep_alive_timeout",
        "idle_timeout");
    assertThat(fields(rejected("pool_size", 65))).containsExactly("pool_size");
  }

  @Test
  void typedBuilderAndMapResolveToEqualConfigs() {
    ConnectionConfig typed = ConnectionConfig.builder().host("h").port(1).user("u").password("p").dbName("db")
        .timeout(Duration.ofSeconds(3)).poolSize(2).keepAlive(false).callTimeout(Duration.ofSeconds(4)).build();
    ConnectionConfig map = resolve("host", "h", "port", 1, "user", "u", "password", "p", "db_name", "db",
        "timeout", 3, "pool_size", 2, "keep_alive", false, "call_timeout", 4);
    assertThat(typed).isEqualTo(map).hasSameHashCodeAs(map);
  }

  @Test
  void retryKeysBuildARetryPolicy() {
    RetryPolicy p = resolve("retry_max_retries", 3, "retry_initial_backoff", 0.2, "retry_max_backoff", "5",
        "retry_multiplier", 1.5, "retry_jitter", 0, "retry_writes", true).retryPolicy();
    assertThat(p).isEqualTo(RetryPolicy.builder().maxRetries(3).initialBackoff(Duration.ofMillis(200))
        .maxBackoff(Duration.ofSeconds(5)).multiplier(1.5).jitter(0).retryWrites(true).build());
  }

  @Test
  void retryBudgetKeysSetTheBudgetAndEitherAloneKeepsTheOtherValue() {
    RetryPolicy p = resolve("retry_budget_max_tokens", 40, "retry_budget_token_ratio", "0.5").retryPolicy();
    assertThat(p.budgetMaxTokens()).isEqualTo(40);
    assertThat(p.budgetTokenRatio()).isEqualTo(0.5);
    RetryPolicy tokensOnly = resolve("retry_budget_max_tokens", 10).retryPolicy();
    assertThat(tokensOnly.budgetTokenRatio()).isEqualTo(RetryPolicy.DEFAULT_BUDGET_TOKEN_RATIO);
    assertThat(fields(rejected("retry_budget_max_tokens", 0, "retry_budget_token_ratio", 0)))
        .containsExactlyInAnyOrder("retry_budget_max_tokens", "retry_budget_token_ratio");
  }

  @Test
  void retryKeysApplyOnTopOfARetryPolicyObject() {
    RetryPolicy base = RetryPolicy.builder().maxRetries(9).jitter(0.1).build();
    assertThat(resolve("retry_policy", base).retryPolicy()).isSameAs(base);
    RetryPolicy p = resolve("retry_policy", base, "retry_max_retries", 1).retryPolicy();
    assertThat(p.maxRetries()).isEqualTo(1);
    assertThat(p.jitter()).isEqualTo(0.1);
  }

  @Test
  void invalidRetrySettingsAreProblemsNotIllegalArgumentExceptions() {
    ConnectionConfigException e = rejected("retry_max_retries", -1, "retry_multiplier", 0.5, "retry_jitter", 1.5,
        "retry_writes", "sometimes", "retry_policy", "fast");
    assertThat(fields(e)).containsExactlyInAnyOrder("retry_max_retries", "retry_multiplier", "retry_jitter",
        "retry_writes", "retry_policy");
    assertThat(fields(rejected("retry_initial_backoff", 10, "retry_max_backoff", 1))).containsExactly("retry_max_backoff");
    assertThat(fields(rejected("retry_initial_backoff", 10))).containsExactly("retry_initial_backoff");
  }
}
