package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.ReactorMilvusServiceGrpc;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
   * stubs bridge over ClientCall instead (next test). Shown positively: after the dispose the server
   * answers the parked call, and the call closes OK with the answer delivered to its listener (a
   * cancelled call would have closed CANCELLED, whenever its cancellation reached the server).
   */
  @Test
  void cancellingAGeneratedUnaryStubLeavesTheRpcRunning() throws InterruptedException {
    server.hang(Method.GET_VERSION);
    CountDownLatch closed = new CountDownLatch(1);
    AtomicReference<Status> closedWith = new AtomicReference<>();
    AtomicInteger messages = new AtomicInteger();
    ReactorMilvusServiceGrpc.ReactorMilvusServiceStub watched = ReactorMilvusServiceGrpc.newReactorStub(
        ClientInterceptors.intercept(registry.channel("a").block(WAIT), new CloseWatcher(messages, closedWith, closed)));
    AtomicInteger delivered = new AtomicInteger();
    Disposable call = watched.getVersion(GetVersionRequest.getDefaultInstance())
        .subscribe((GetVersionResponse r) -> delivered.incrementAndGet());
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
    call.dispose();
    server.release(Method.GET_VERSION);

    assertThat(closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the call closed").isTrue();
    assertThat(closedWith.get().getCode()).as("the disposed call ran to its end").isEqualTo(Status.Code.OK);
    assertThat(messages).as("the answer reached the call's listener").hasValue(1);
    assertThat(delivered).as("but not the disposed subscriber").hasValue(0);
    assertThat(server.cancellations(Method.GET_VERSION)).isZero();
  }

  /** Records how a call closed and how many messages its listener got. */
  private record CloseWatcher(AtomicInteger messages, AtomicReference<Status> closedWith, CountDownLatch closed)
      implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onMessage(R message) {
              messages.incrementAndGet();
              super.onMessage(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              closedWith.set(status);
              super.onClose(status, trailers);
              closed.countDown(); // after the stub has seen the close: what it delivers is delivered by now
            }
          }, headers);
        }
      };
    }
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
