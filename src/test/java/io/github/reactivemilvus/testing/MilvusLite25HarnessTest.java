package io.github.reactivemilvus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.proto.CheckHealthRequest;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.ListDatabasesRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ShowCollectionsRequest;
import io.github.reactivemilvus.test.server.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Self-test of {@link MilvusLite25Server}: a server of its own (not the shared one), checked for
 * what it answers, then stopped: process group gone, directories deleted.
 */
class MilvusLite25HarnessTest {

  @Test
  void answersConnectAndDataCallsButNotGetVersionAndIsStoppedWithItsDirectories() throws Exception {
    Path dataDir;
    MilvusLite25Server server = MilvusLite25Server.start();
    try {
      dataDir = server.dataDir();
      assertThat(server.uri()).isEqualTo("http://127.0.0.1:" + server.port());
      assertThat(server.isRunning()).isTrue();
      assertThat(Files.exists(dataDir.resolve("milvus.db"))).isTrue();
      ManagedChannel channel = GrpcProbe.plaintextChannel(server.port());
      try {
        MilvusServiceGrpc.MilvusServiceBlockingStub stub = MilvusServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS);
        assertThat(stub.connect(ConnectRequest.getDefaultInstance()).getStatus().getCode()).isZero();
        assertThat(stub.showCollections(ShowCollectionsRequest.getDefaultInstance()).getStatus().getCode()).isZero();
        // what Milvus Lite 2.5.1 does not implement: the reason the library must tolerate it
        assertThatThrownBy(() -> stub.getVersion(GetVersionRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        assertThatThrownBy(() -> stub.checkHealth(CheckHealthRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        assertThatThrownBy(() -> stub.listDatabases(ListDatabasesRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      server.close();
    }
    assertThat(server.isRunning()).isFalse();
    assertThat(FreePorts.isListening(server.port())).isFalse();
    assertThat(dataDir).doesNotExist();
  }
}
