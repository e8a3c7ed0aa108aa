package io.github.reactivemilvus.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.proto.CheckHealthRequest;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.CreateDatabaseRequest;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.ListDatabasesRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.test.server.FreePorts;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Self-test of {@link MilvusLiteServer} and {@link MilvusLiteExtension} against real milvus-lite. */
@ExtendWith(MilvusLiteExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MilvusLiteHarnessTest {

  private final MilvusLiteServer server;

  MilvusLiteHarnessTest(MilvusLiteServer server) {
    this.server = server;
  }

  @Test
  @Order(1)
  void sharedServerAnswersGetVersionOnLoopback(MilvusLiteServer injected) throws Exception {
    assertThat(injected).isSameAs(server);
    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(server.uri()).isEqualTo("http://127.0.0.1:" + server.port());
    ManagedChannel channel = GrpcProbe.plaintextChannel(server.port());
    try {
      MilvusServiceGrpc.MilvusServiceBlockingStub stub = MilvusServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      assertThat(stub.getVersion(GetVersionRequest.getDefaultInstance()).getVersion())
          .isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
      ConnectResponse connect = stub.connect(ConnectRequest.getDefaultInstance());
      assertThat(connect.getStatus().getCode()).isZero();
      assertThat(connect.getServerInfo().getBuildTags()).isEqualTo("milvus_lite");
      assertThat(stub.checkHealth(CheckHealthRequest.getDefaultInstance()).getIsHealthy()).isTrue();
      assertThat(stub.listDatabases(ListDatabasesRequest.getDefaultInstance()).getDbNamesList())
          .contains("default");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(2)
  void runsInItsOwnProcessGroup() {
    assertThat(server.isRunning()).isTrue();
    assertThat(server.pgid()).isPositive();
    // setsid made the server its own group leader, distinct from the JVM's group
    assertThat(server.pgid()).isNotEqualTo(ProcessHandle.current().pid());
  }

  @Test
  @Order(3)
  void kill9ThenRestartOnSamePortKeepsTheDataDirectory() throws Exception {
    int port = server.port();
    Path dataDir = server.dataDir();
    ManagedChannel channel = GrpcProbe.plaintextChannel(port);
    try {
      MilvusServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .createDatabase(CreateDatabaseRequest.newBuilder().setDbName("harness_chaos").build());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    server.kill9();
    assertThat(server.isRunning()).isFalse();
    assertThat(FreePorts.isListening(port)).isFalse();

    server.restartOnSamePort();
    assertThat(server.port()).isEqualTo(port);
    assertThat(server.dataDir()).isEqualTo(dataDir);
    assertThat(GrpcProbe.getVersion(port, null, 10_000).getVersion()).isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
    channel = GrpcProbe.plaintextChannel(port);
    try {
      var names = MilvusServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .listDatabases(ListDatabasesRequest.getDefaultInstance()).getDbNamesList();
      System.out.println("[harness] milvus-lite after kill -9 + restart on the same data dir: databases " + names);
      assertThat(names).contains("default", "harness_chaos");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(4)
  void stillServingAfterTheChaosTest() {
    assertThat(GrpcProbe.getVersion(server.port(), null, 10_000).getVersion())
        .isEqualTo(MilvusLiteServer.EXPECTED_VERSION);
  }
}
