package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.ReactorMilvusServiceGrpc;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * The reactor-grpc 1.2.4 generated stubs (built for Reactor 3.5 / gRPC 1.54) work on this
 * project's Reactor and gRPC versions, on a channel from the registry.
 */
class GeneratedReactorStubCompatibilityTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private FaultServer server;
  private ReactiveConnections registry;
  private ReactorMilvusServiceGrpc.ReactorMilvusServiceStub stub;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
    ManagedChannel channel = registry.channel("a").block(WAIT);
    stub = ReactorMilvusServiceGrpc.newReactorStub(channel);
  }

  @AfterEach
  void tearDown() {
    server.releaseAll();
    registry.close();
    server.close();
  }

  @Test
  void aUnaryCallSucceeds() {
    StepVerifier.create(stub.getVersion(GetVersionRequest.getDefaultInstance()))
        .assertNext(r -> assertThat(r.getVersion()).isEqualTo(FaultServer.VERSION))
        .verifyComplete();
  }

  @Test
  void aServerErrorArrivesAsStatusRuntimeException() {
    server.failNext(Method.GET_VERSION, 1, Status.INTERNAL.withDescription("boom"));
    StepVerifier.create(stub.getVersion(GetVersionRequest.getDefaultInstance()))
        .expectErrorSatisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INTERNAL))
        .verify(WAIT);
  }

  /**
   * reactor-grpc 1.2.4's unary bridge registers no cancel hook, so disposing the Mono leaves the
   * RPC running until the server answers or the deadline passes. This is why the library's own
   * stubs bridge over ClientCall instead (next test).
   */
  @Test
  void cancellingAGeneratedUnaryStubLeavesTheRpcRunning() throws InterruptedException {
    server.hang(Method.GET_VERSION);
    Disposable call = stub.getVersion(GetVersionRequest.getDefaultInstance()).subscribe((GetVersionResponse r) -> { });
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
    call.dispose();
    Thread.sleep(500); // a negative check: give a cancellation time to arrive
    assertThat(server.cancellations(Method.GET_VERSION)).isZero();
    assertThat(server.hanging(Method.GET_VERSION)).isEqualTo(1);
  }

  @Test
  void cancellingTheLibrarysStubCancelsTheRpc() {
    server.hang(Method.GET_VERSION);
    Disposable call = registry.stub("a").getVersion().subscribe(v -> { }, e -> { });
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
    call.dispose();
    await().atMost(WAIT).until(() -> server.cancellations(Method.GET_VERSION) == 1);
  }
}
