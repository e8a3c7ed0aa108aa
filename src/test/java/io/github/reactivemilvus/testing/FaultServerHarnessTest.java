package io.github.reactivemilvus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.proto.CheckHealthRequest;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.CreateDatabaseRequest;
import io.github.reactivemilvus.proto.DropDatabaseRequest;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.HasCollectionRequest;
import io.github.reactivemilvus.proto.ListDatabasesRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ShowCollectionsRequest;
import io.github.reactivemilvus.test.server.FreePorts;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Self-test of {@link FaultServer} with a plain grpc-java client. */
class FaultServerHarnessTest {

  private ManagedChannel channel;

  @AfterEach
  void closeChannel() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private MilvusServiceGrpc.MilvusServiceBlockingStub stub(FaultServer server, Metadata headers) {
    if (channel == null) {
      channel = GrpcProbe.plaintextChannel(server.port());
    }
    return GrpcProbe.stub(channel, headers).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static Metadata headers(String... keyValues) {
    Metadata metadata = new Metadata();
    for (int i = 0; i < keyValues.length; i += 2) {
      metadata.put(Metadata.Key.of(keyValues[i], Metadata.ASCII_STRING_MARSHALLER), keyValues[i + 1]);
    }
    return metadata;
  }

  @Test
  void answersAllRpcsCountsCallsAndCapturesHeaders() {
    try (FaultServer server = FaultServer.start()) {
      assertThat(server.uri()).isEqualTo("http://127.0.0.1:" + server.port());
      var stub = stub(server, headers("dbname", "default", "x-test", "one"));
      ConnectResponse connect = stub.connect(ConnectRequest.getDefaultInstance());
      assertThat(connect.getIdentifier()).isEqualTo(FaultServer.IDENTIFIER);
      assertThat(connect.getServerInfo().getDeployMode()).isEqualTo("STANDALONE");
      assertThat(stub.getVersion(GetVersionRequest.getDefaultInstance()).getVersion()).isEqualTo("fault-server-1.0");
      assertThat(stub.checkHealth(CheckHealthRequest.getDefaultInstance()).getIsHealthy()).isTrue();
      assertThat(stub.listDatabases(ListDatabasesRequest.getDefaultInstance()).getDbNamesList()).containsExactly("default");
      assertThat(stub.createDatabase(CreateDatabaseRequest.newBuilder().setDbName("db1").build()).getCode()).isZero();
      assertThat(stub.showCollections(ShowCollectionsRequest.newBuilder().setDbName("db1").build())
          .getStatus().getCode()).isZero();
      assertThat(stub.hasCollection(HasCollectionRequest.newBuilder().setCollectionName("c").build()).getValue()).isFalse();
      assertThat(stub.dropDatabase(DropDatabaseRequest.newBuilder().setDbName("db1").build()).getCode()).isZero();
      stub.getVersion(GetVersionRequest.getDefaultInstance());

      assertThat(server.calls(FaultServer.Method.GET_VERSION)).isEqualTo(2);
      for (FaultServer.Method m : FaultServer.Method.values()) {
        assertThat(server.calls(m)).as(m.name()).isPositive();
      }
      assertThat(server.totalCalls()).isEqualTo(9);
      Metadata captured = server.lastHeaders(FaultServer.Method.CONNECT);
      assertThat(captured.get(Metadata.Key.of("x-test", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("one");
      assertThat(server.recordedCalls().get(0).header("dbname")).isEqualTo("default");
      assertThat(server.recordedCalls().get(0).method()).isEqualTo(FaultServer.Method.CONNECT);
    }
  }

  @Test
  void failsTheNextCallsWithAGrpcStatusThenSucceeds() {
    try (FaultServer server = FaultServer.start()) {
      server.failNext(FaultServer.Method.CONNECT, 2, Status.UNAVAILABLE.withDescription("injected"));
      var stub = stub(server, null);
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> stub.connect(ConnectRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).isEqualTo("injected");
            });
      }
      assertThat(stub.connect(ConnectRequest.getDefaultInstance()).getIdentifier()).isEqualTo(4242);
      assertThat(server.calls(FaultServer.Method.CONNECT)).isEqualTo(3);
    }
  }

  @Test
  void answersWithAMilvusStatus() {
    try (FaultServer server = FaultServer.start()) {
      server.answerWith(FaultServer.Method.GET_VERSION, 2, 0, "not ready");
      GetVersionResponse response = stub(server, null).getVersion(GetVersionRequest.getDefaultInstance());
      assertThat(response.getStatus().getCode()).isEqualTo(2);
      assertThat(response.getStatus().getReason()).isEqualTo("not ready");
      server.answerWith(FaultServer.Method.GET_VERSION, null);
      assertThat(stub(server, null).getVersion(GetVersionRequest.getDefaultInstance()).getVersion())
          .isEqualTo(FaultServer.VERSION);
    }
  }

  @Test
  void unknownDatabaseOnConnectAnswersCode800() {
    try (FaultServer server = FaultServer.builder().databases("db1").start()) {
      assertThat(stub(server, headers("dbname", "db1")).connect(ConnectRequest.getDefaultInstance())
          .getStatus().getCode()).isZero();
      ConnectResponse response = stub(server, headers("dbname", "nosuchdb")).connect(ConnectRequest.getDefaultInstance());
      assertThat(response.getStatus().getCode()).isEqualTo(800);
      assertThat(response.getStatus().getErrorCodeValue()).isEqualTo(1);
      assertThat(response.getStatus().getReason()).isEqualTo("database not found[database=nosuchdb]");
    }
  }

  @Test
  void enforcesMilvusAuthentication() {
    try (FaultServer server = FaultServer.builder().credentials("root", "Milvus").start()) {
      assertThatThrownBy(() -> stub(server, null).connect(ConnectRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).isEqualTo(FaultServer.MISSING_AUTH);
          });
      assertThatThrownBy(() -> stub(server, GrpcProbe.authHeaders("root", "wrong"))
          .connect(ConnectRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(e.getStatus().getDescription()).isEqualTo(FaultServer.WRONG_AUTH);
          });
      assertThat(stub(server, GrpcProbe.authHeaders("root", "Milvus")).connect(ConnectRequest.getDefaultInstance())
          .getIdentifier()).isEqualTo(4242);
      assertThat(server.calls(FaultServer.Method.CONNECT)).isEqualTo(3);
    }
  }

  @Test
  void delaysWithoutBlockingAndHangsUntilReleased() throws Exception {
    try (FaultServer server = FaultServer.start()) {
      var async = MilvusServiceGrpc.newFutureStub(GrpcProbe.plaintextChannel(server.port()));
      channel = (ManagedChannel) async.getChannel();

      server.delay(FaultServer.Method.GET_VERSION, Duration.ofMillis(200));
      var delayed = async.getVersion(GetVersionRequest.getDefaultInstance());
      assertThat(delayed.get(10, TimeUnit.SECONDS).getVersion()).isEqualTo(FaultServer.VERSION);

      server.hang(FaultServer.Method.CHECK_HEALTH);
      var hung = async.checkHealth(CheckHealthRequest.getDefaultInstance());
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.hanging(FaultServer.Method.CHECK_HEALTH) == 1);
      assertThat(hung.isDone()).isFalse();
      // other methods are unaffected while one hangs
      assertThat(async.listDatabases(ListDatabasesRequest.getDefaultInstance()).get(10, TimeUnit.SECONDS)
          .getDbNamesCount()).isEqualTo(1);
      server.release(FaultServer.Method.CHECK_HEALTH);
      assertThat(hung.get(10, TimeUnit.SECONDS).getIsHealthy()).isTrue();

      // a client deadline cancels a hung call; the server counts the cancellation
      server.hang(FaultServer.Method.CONNECT);
      CompletableFuture<Throwable> failure = new CompletableFuture<>();
      var cancelled = async.withDeadlineAfter(300, TimeUnit.MILLISECONDS).connect(ConnectRequest.getDefaultInstance());
      try {
        cancelled.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        failure.complete(e.getCause());
      }
      assertThat(Status.fromThrowable(failure.get()).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.cancellations(FaultServer.Method.CONNECT) == 1);
      server.release(FaultServer.Method.CONNECT); // answering a cancelled call is harmless
    }
  }

  @Test
  void closeLeavesNoServerThreads() {
    LeakCheck before = LeakCheck.snapshot();
    FaultServer server = FaultServer.start();
    assertThat(GrpcProbe.getVersion(server.port(), null, 10_000).getVersion()).isEqualTo(FaultServer.VERSION);
    server.close();
    before.assertNoNewThreads(Duration.ofSeconds(10), "fault-server-");
    assertThat(FreePorts.isListening(server.port())).isFalse();
  }

  @Test
  void tlsServerAcceptsAClientTrustingTheCaAndRejectsOthers() throws Exception {
    TestCertificates certs = TestCertificates.get();
    try (FaultServer server = FaultServer.builder().tls(certs).start()) {
      assertThat(server.uri()).isEqualTo("https://127.0.0.1:" + server.port());
      ChannelCredentials trusting = TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile()).build();
      for (String host : new String[] {"127.0.0.1", "localhost"}) {
        assertThat(call(host, server.port(), trusting).getVersion()).isEqualTo(FaultServer.VERSION);
      }
      ChannelCredentials wrongCa = TlsChannelCredentials.newBuilder().trustManager(certs.wrongCaCert().toFile()).build();
      StatusRuntimeException wrong = catchRpc(() -> call("127.0.0.1", server.port(), wrongCa));
      System.out.println("[harness] TLS client trusting the wrong CA: " + wrong.getStatus());
      assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

      StatusRuntimeException plaintext = catchRpc(() -> GrpcProbe.getVersion(server.port(), null, 3_000));
      System.out.println("[harness] plaintext client against a TLS server: " + plaintext.getStatus());
    }
  }

  @Test
  void mutualTlsRequiresAClientCertificateFromTheCa() throws Exception {
    TestCertificates certs = TestCertificates.get();
    try (FaultServer server = FaultServer.builder().tls(certs).clientCa(certs.caCert()).start()) {
      ChannelCredentials withClientCert = TlsChannelCredentials.newBuilder()
          .trustManager(certs.caCert().toFile())
          .keyManager(certs.clientCert().toFile(), certs.clientKey().toFile()).build();
      assertThat(call("localhost", server.port(), withClientCert).getVersion()).isEqualTo(FaultServer.VERSION);

      ChannelCredentials noClientCert = TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile()).build();
      StatusRuntimeException missing = catchRpc(() -> call("localhost", server.port(), noClientCert));
      System.out.println("[harness] mTLS without a client certificate: " + missing.getStatus());
      assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

      ChannelCredentials wrongClient = TlsChannelCredentials.newBuilder()
          .trustManager(certs.caCert().toFile())
          .keyManager(certs.wrongClientCert().toFile(), certs.wrongClientKey().toFile()).build();
      StatusRuntimeException rejected = catchRpc(() -> call("localhost", server.port(), wrongClient));
      System.out.println("[harness] mTLS with a client certificate from the wrong CA: " + rejected.getStatus());
      assertThat(rejected.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  private static GetVersionResponse call(String host, int port, ChannelCredentials credentials) throws InterruptedException {
    ManagedChannel tlsChannel = Grpc.newChannelBuilderForAddress(host, port, credentials).build();
    try {
      return MilvusServiceGrpc.newBlockingStub(tlsChannel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .getVersion(GetVersionRequest.getDefaultInstance());
    } finally {
      tlsChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private interface RpcCall {
    Object run() throws Exception;
  }

  private static StatusRuntimeException catchRpc(RpcCall call) throws Exception {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("call succeeded unexpectedly");
  }

}
