package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.proto.CreateDatabaseRequest;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.HasCollectionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** {@link MilvusStub#call} runs any unary method on the alias's call path. */
class GenericCallTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final RetryPolicy FAST = RetryPolicy.builder()
      .maxRetries(5).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5)).build();
  private FaultServer server;
  private ReactiveConnections registry;

  @BeforeEach
  void setUp() {
    server = FaultServer.builder().databases("default", "shop").start();
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("a", ConnectionConfig.builder().uri(server.uri()).dbName("shop").retryPolicy(FAST).build())
        .block(WAIT);
  }

  @AfterEach
  void tearDown() {
    server.releaseAll();
    registry.close();
    server.close();
  }

  @Test
  void aReadIsRetriedOnUnavailableAndCarriesTheAliasHeaders() {
    server.failNext(Method.GET_VERSION, 2, Status.UNAVAILABLE);
    StepVerifier.create(registry.stub("a").call(MilvusServiceGrpc.getGetVersionMethod(), GetVersionRequest.getDefaultInstance()))
        .assertNext(r -> assertThat(r.getVersion()).isEqualTo(FaultServer.VERSION))
        .verifyComplete();
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(3);
    assertThat(server.lastHeaders(Method.GET_VERSION).get(io.grpc.Metadata.Key.of("dbname", io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
        .isEqualTo("shop");
  }

  @Test
  void aWriteIsNotRetried() {
    server.failNext(Method.CREATE_DATABASE, 1, Status.UNAVAILABLE);
    StepVerifier.create(registry.stub("a").call(MilvusServiceGrpc.getCreateDatabaseMethod(),
            CreateDatabaseRequest.newBuilder().setDbName("x").build()))
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).kind()).isEqualTo(FailureKind.UNREACHABLE))
        .verify(WAIT);
    assertThat(server.calls(Method.CREATE_DATABASE)).isEqualTo(1);
  }

  @Test
  void aWriteMarkedAsReadIsRetried() {
    server.failNext(Method.CREATE_DATABASE, 1, Status.UNAVAILABLE);
    StepVerifier.create(registry.stub("a").call(MilvusServiceGrpc.getCreateDatabaseMethod(),
            CreateDatabaseRequest.newBuilder().setDbName("x").build(), RpcKind.READ))
        .expectNextCount(1)
        .verifyComplete();
    assertThat(server.calls(Method.CREATE_DATABASE)).isEqualTo(2);
  }

  @Test
  void aNonSuccessStatusFieldFailsWithCodeReasonAliasAndCollection() {
    server.answerWith(Method.HAS_COLLECTION, 100, 4, "collection not found[collection=items]");
    StepVerifier.create(registry.stub("a").call(MilvusServiceGrpc.getHasCollectionMethod(),
            HasCollectionRequest.newBuilder().setCollectionName("items").build()))
        .expectErrorSatisfies(e -> {
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).isEqualTo(FailureKind.SERVER_STATUS);
          assertThat(m.serverCode()).isEqualTo(100);
          assertThat(m.alias()).isEqualTo("a");
          assertThat(m.getMessage()).contains("alias 'a'", "collection 'items'", "code 100", "collection not found");
        })
        .verify(WAIT);
    assertThat(server.calls(Method.HAS_COLLECTION)).isEqualTo(1);
  }

  @Test
  void aStatusResponseThatIsNotSuccessFails() {
    server.answerWith(Method.CREATE_DATABASE, 65535, 1, "database already exist: x");
    StepVerifier.create(registry.stub("a").call(MilvusServiceGrpc.getCreateDatabaseMethod(),
            CreateDatabaseRequest.newBuilder().setDbName("x").build()))
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).serverCode()).isEqualTo(65535))
        .verify(WAIT);
  }

  @Test
  void cancellingTheMonoCancelsTheRpc() {
    server.hang(Method.GET_VERSION);
    Disposable call = registry.stub("a").call(MilvusServiceGrpc.getGetVersionMethod(), GetVersionRequest.getDefaultInstance())
        .subscribe((GetVersionResponse r) -> { }, e -> { });
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
    call.dispose();
    await().atMost(WAIT).until(() -> server.cancellations(Method.GET_VERSION) == 1);
  }

  @Test
  void theStubDeadlineCoversEachAttempt() {
    server.hang(Method.GET_VERSION);
    StepVerifier.create(registry.stub("a").withDeadline(Duration.ofMillis(200))
            .call(MilvusServiceGrpc.getGetVersionMethod(), GetVersionRequest.getDefaultInstance()))
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).grpcStatus().getCode())
            .isEqualTo(Status.Code.DEADLINE_EXCEEDED))
        .verify(WAIT);
  }

  @Test
  void aStreamingMethodIsRejected() {
    assertThatThrownBy(() -> registry.stub("a").call(MilvusServiceGrpc.getDumpMessagesMethod(),
        io.github.reactivemilvus.proto.DumpMessagesRequest.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not unary");
  }
}
