package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.internal.StreamingCalls;
import io.github.reactivemilvus.proto.DumpMessagesRequest;
import io.github.reactivemilvus.proto.DumpMessagesResponse;
import io.github.reactivemilvus.proto.ImmutableMessage;
import io.github.reactivemilvus.proto.MessageID;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ReplicateConfirmedMessageInfo;
import io.github.reactivemilvus.proto.ReplicateMessage;
import io.github.reactivemilvus.proto.ReplicateRequest;
import io.github.reactivemilvus.proto.ReplicateResponse;
import io.github.reactivemilvus.proto.Status;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.ScriptedRpcs;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * Streaming RPCs as Flux: demand reaches gRPC's {@code request(n)} only as the subscriber asks, cancelling
 * cancels the server's stream, a bidirectional call sends its requests as they come and half-closes after
 * the last, and {@link MilvusStub#serverStream} runs on the alias's path (headers, deadline, call limits,
 * failures classified). Against a fault server whose DumpMessages sends ten messages at once and keeps the
 * stream open, and whose CreateReplicateStream answers each request.
 */
class StreamingCallsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ScriptedRpcs SCRIPT = new ScriptedRpcs();
  private static FaultServer server;
  private static ManagedChannel plain;
  private final List<Integer> requested = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startServer() {
    SCRIPT.stream(MilvusServiceGrpc.getDumpMessagesMethod(), (call, request) -> {
      if (request.getPchannel().equals("failing")) {
        call.sendMessage(DumpMessagesResponse.newBuilder().setStatus(Status.newBuilder().setCode(1100).setReason("bad pchannel"))
            .build());
        return;
      }
      for (int i = 0; i < 10; i++) {
        call.sendMessage(DumpMessagesResponse.newBuilder().setMessage(ImmutableMessage.newBuilder()
            .setId(MessageID.newBuilder().setId("m" + i))).build());
      }
      // the stream stays open: it ends by the client's cancel or deadline
    });
    SCRIPT.streamClosingOnHalfClose(MilvusServiceGrpc.getCreateReplicateStreamMethod(), (call, request) -> call.sendMessage(
        ReplicateResponse.newBuilder().setReplicateConfirmedMessageInfo(ReplicateConfirmedMessageInfo.newBuilder()
            .setConfirmedTimeTick(request.getReplicateMessage().getMessage().getId().getId().length())).build()));
    server = FaultServer.builder().interceptor(SCRIPT).start();
    plain = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @BeforeEach
  void reset() {
    SCRIPT.reset();
    requested.clear();
  }

  private Channel recording() {
    return ClientInterceptors.intercept(plain, new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void request(int numMessages) {
            requested.add(numMessages);
            super.request(numMessages);
          }
        };
      }
    });
  }

  private static DumpMessagesRequest dump(String pchannel) {
    return DumpMessagesRequest.newBuilder().setPchannel(pchannel).build();
  }

  @Test
  void aMessageIsRequestedFromGrpcOnlyWhenTheSubscriberAsksAndCancellingCancelsTheStream() throws InterruptedException {
    StepVerifier.create(StreamingCalls.serverStreaming(recording(), MilvusServiceGrpc.getDumpMessagesMethod(), dump("p"),
            CallOptions.DEFAULT), 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(200)) // ten messages wait on the server's side of the stream
        .then(() -> assertThat(requested).isEmpty())
        .thenRequest(2)
        .expectNextMatches(r -> r.getMessage().getId().getId().equals("m0"))
        .expectNextMatches(r -> r.getMessage().getId().getId().equals("m1"))
        .expectNoEvent(Duration.ofMillis(200))
        .then(() -> assertThat(requested).containsExactly(2))
        .thenRequest(3)
        .expectNextCount(3)
        .then(() -> assertThat(requested).containsExactly(2, 3))
        .thenCancel()
        .verify(WAIT);
    assertThat(SCRIPT.cancellation().await(5, TimeUnit.SECONDS)).as("the server saw the cancel").isTrue();
  }

  @Test
  void aCancelBeforeAnyDemandCancelsTheCallAndDeliversNothing() throws InterruptedException {
    StepVerifier.create(StreamingCalls.serverStreaming(recording(), MilvusServiceGrpc.getDumpMessagesMethod(), dump("p"),
            CallOptions.DEFAULT), 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(100))
        .thenCancel()
        .verify(WAIT);
    assertThat(SCRIPT.cancellation().await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(requested).isEmpty();
  }

  @Test
  void aBidirectionalCallSendsEachRequestAndCompletesAfterTheRequestsComplete() {
    Sinks.Many<ReplicateRequest> requests = Sinks.many().unicast().onBackpressureBuffer();
    StepVerifier.create(StreamingCalls.bidiStreaming(recording(), MilvusServiceGrpc.getCreateReplicateStreamMethod(),
            requests.asFlux(), CallOptions.DEFAULT))
        .then(() -> requests.tryEmitNext(replicate("a")))
        .assertNext(r -> assertThat(r.getReplicateConfirmedMessageInfo().getConfirmedTimeTick()).isEqualTo(1))
        .then(() -> requests.tryEmitNext(replicate("abc")))
        .assertNext(r -> assertThat(r.getReplicateConfirmedMessageInfo().getConfirmedTimeTick()).isEqualTo(3))
        .then(requests::tryEmitComplete)
        .expectComplete() // the scripted server closes once the client half-closed
        .verify(WAIT);
    assertThat(SCRIPT.requests()).hasSize(2);
  }

  private static ReplicateRequest replicate(String id) {
    return ReplicateRequest.newBuilder().setReplicateMessage(ReplicateMessage.newBuilder()
        .setMessage(ImmutableMessage.newBuilder().setId(MessageID.newBuilder().setId(id)))).build();
  }

  @Test
  void theStubStreamsOnTheAliasPathWithItsHeadersAndDeadlineAndClassifiesFailures() {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("s", Map.of("uri", server.uri(), "db_name", "default")).block(WAIT);
      MilvusStub stub = registry.stub("s");
      StepVerifier.create(stub.serverStream(MilvusServiceGrpc.getDumpMessagesMethod(), dump("p")).take(3))
          .expectNextCount(3)
          .verifyComplete();
      assertThat(SCRIPT.headers().get(0).get(Metadata.Key.of("dbname", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("default");

      StepVerifier.create(stub.withDeadline(Duration.ofMillis(300)).serverStream(MilvusServiceGrpc.getDumpMessagesMethod(),
              dump("p")))
          .expectNextCount(10)
          .expectErrorSatisfies(e -> {
            assertThat(e).isInstanceOf(MilvusConnectionException.class);
            assertThat(((MilvusConnectionException) e).grpcStatus().getCode()).isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED);
            assertThat(((MilvusConnectionException) e).alias()).isEqualTo("s");
          })
          .verify(WAIT);

      StepVerifier.create(stub.serverStream(MilvusServiceGrpc.getDumpMessagesMethod(), dump("failing")))
          .expectErrorSatisfies(e -> {
            assertThat(((MilvusConnectionException) e).kind()).isEqualTo(FailureKind.SERVER_STATUS);
            assertThat(((MilvusConnectionException) e).serverCode()).isEqualTo(1100);
          })
          .verify(WAIT);
    }
  }

  @Test
  void anOpenStreamHoldsACallPermitUntilItIsCancelled() {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("one", Map.of("uri", server.uri(), "max_concurrent_calls", 1, "max_pending_calls", 1)).block(WAIT);
      MilvusStub stub = registry.stub("one");
      StepVerifier.create(stub.serverStream(MilvusServiceGrpc.getDumpMessagesMethod(), dump("p")), 1)
          .expectNextCount(1)
          .then(() -> StepVerifier.create(stub.getVersion().timeout(Duration.ofMillis(300)))
              .expectError(java.util.concurrent.TimeoutException.class).verify(WAIT)) // waits for the stream's permit
          .thenCancel()
          .verify(WAIT);
      assertThat(stub.getVersion().block(WAIT)).isEqualTo(FaultServer.VERSION); // the permit came back
    }
  }

  @Test
  void aUnaryOrStreamingDescriptorOfTheWrongKindIsRefused() {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      MilvusStub stub = registry.stub("none");
      org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
          .isThrownBy(() -> stub.serverStream(MilvusServiceGrpc.getGetVersionMethod(),
              io.github.reactivemilvus.proto.GetVersionRequest.getDefaultInstance()));
      org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
          .isThrownBy(() -> stub.bidiStream(MilvusServiceGrpc.getDumpMessagesMethod(), Flux.empty()));
    }
  }
}
