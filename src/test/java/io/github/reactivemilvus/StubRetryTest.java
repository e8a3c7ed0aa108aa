package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.test.StepVerifier;

/** Which call failures the reactive stubs retry, and how often. */
class StubRetryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final RetryPolicy FAST = RetryPolicy.builder()
      .maxRetries(5).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5)).build();
  private FaultServer server;
  private ReactiveConnections registry;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("a", ConnectionConfig.builder().uri(server.uri()).retryPolicy(FAST).build()).block(WAIT);
    registry.addConnection("writes", ConnectionConfig.builder().uri(server.uri())
        .retryPolicy(FAST.mutate().retryWrites(true).build()).build()).block(WAIT);
    registry.channel("a").block(WAIT);
  }

  @AfterEach
  void tearDown() {
    registry.close();
    server.close();
  }

  @Test
  void unavailableThreeTimesThenSuccessTakesFourAttempts() {
    server.failNext(Method.GET_VERSION, 3, Status.UNAVAILABLE);
    StepVerifier.create(registry.stub("a").getVersion()).expectNext(FaultServer.VERSION).verifyComplete();
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(4);
  }

  @Test
  void unavailableBeyondTheBudgetFailsAfterMaxRetriesPlusOneAttempts() {
    server.failNext(Method.GET_VERSION, 100, Status.UNAVAILABLE);
    StepVerifier.create(registry.stub("a").getVersion())
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).kind()).isEqualTo(FailureKind.UNREACHABLE))
        .verify(WAIT);
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(6);
  }

  @Test
  void milvusRateLimitingIsRetried() {
    server.answerWith(Method.CHECK_HEALTH, 8, 49, "rate limit exceeded[rate=1]");
    StepVerifier.create(registry.stub("a").checkHealth())
        .expectErrorSatisfies(e -> {
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).isEqualTo(FailureKind.SERVER_STATUS);
          assertThat(m.serverCode()).isEqualTo(8);
        })
        .verify(WAIT);
    assertThat(server.calls(Method.CHECK_HEALTH)).isEqualTo(6);
  }

  @Test
  void legacyRateLimitErrorCodeAloneIsRetried() {
    server.answerWith(Method.LIST_DATABASES, 0, 49, "rate limit");
    StepVerifier.create(registry.stub("a").listDatabases()).expectError(MilvusConnectionException.class).verify(WAIT);
    assertThat(server.calls(Method.LIST_DATABASES)).isEqualTo(6);
  }

  @Test
  void otherServerStatusesAreNotRetried() {
    server.answerWith(Method.HAS_COLLECTION, 100, 4, "collection not found");
    StepVerifier.create(registry.stub("a").hasCollection("c")).expectError(MilvusConnectionException.class).verify(WAIT);
    assertThat(server.calls(Method.HAS_COLLECTION)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"DEADLINE_EXCEEDED", "PERMISSION_DENIED", "UNAUTHENTICATED",
      "INVALID_ARGUMENT", "ALREADY_EXISTS", "RESOURCE_EXHAUSTED", "UNIMPLEMENTED"})
  void neverRetriedCodesAreTriedExactlyOnce(Status.Code code) {
    server.failNext(Method.GET_VERSION, 1, Status.fromCode(code).withDescription("injected"));
    StepVerifier.create(registry.stub("a").getVersion())
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).grpcStatus().getCode()).isEqualTo(code))
        .verify(WAIT);
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(1);
  }

  @Test
  void writesAreNotRetriedByDefault() {
    server.failNext(Method.CREATE_DATABASE, 1, Status.UNAVAILABLE);
    StepVerifier.create(registry.stub("a").createDatabase("d1")).expectError(MilvusConnectionException.class).verify(WAIT);
    assertThat(server.calls(Method.CREATE_DATABASE)).isEqualTo(1);
  }

  @Test
  void writesAreRetriedWhenThePolicyOptsIn() {
    server.failNext(Method.CREATE_DATABASE, 1, Status.UNAVAILABLE);
    StepVerifier.create(registry.stub("writes").createDatabase("d2")).verifyComplete();
    assertThat(server.calls(Method.CREATE_DATABASE)).isEqualTo(2);
  }

  @Test
  void aMetadataReadAttemptThatRanOutOfTheAliasCallTimeoutIsRetriedOnceOnly() {
    registry.addConnection("short", ConnectionConfig.builder().uri(server.uri()).retryPolicy(FAST)
        .callTimeout(Duration.ofSeconds(1)).build()).block(WAIT);
    registry.channel("short").block(WAIT);
    server.delay(Method.GET_VERSION, Duration.ofSeconds(3));
    StepVerifier.create(registry.stub("short").getVersion())
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).grpcStatus().getCode())
            .isEqualTo(Status.Code.DEADLINE_EXCEEDED))
        .verify(WAIT);
    // the server may still be working on the attempt that timed out: one more, not maxRetries more
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(2);
  }

  @Test
  void aPerStubDeadlineOverridesTheAliasCallTimeout() {
    server.delay(Method.GET_VERSION, Duration.ofSeconds(5));
    StepVerifier.create(registry.stub("a").withDeadline(Duration.ofMillis(200)).getVersion())
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).grpcStatus().getCode())
            .isEqualTo(Status.Code.DEADLINE_EXCEEDED))
        .verify(WAIT);
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(1);
  }
}
