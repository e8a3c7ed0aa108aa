package io.github.reactivemilvus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.ListDatabasesRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Self-test of {@link MilvusStandaloneServer} against real Milvus 2.3.5 with authorization enabled;
 * prints what the server answers (lines starting with {@code [harness]}).
 */
@ExtendWith(MilvusStandaloneExtension.class)
class MilvusStandaloneHarnessTest {

  private static ManagedChannel channel;

  @BeforeAll
  static void open(MilvusStandaloneServer milvus) {
    System.out.println("[harness] Milvus standalone ready at " + milvus.uri() + " in " + milvus.startupTime()
        + ", GetVersion = " + milvus.version());
    channel = GrpcProbe.plaintextChannel(milvus.port());
  }

  @AfterAll
  static void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static Metadata withDb(Metadata headers, String db) {
    headers.put(Metadata.Key.of("dbname", Metadata.ASCII_STRING_MARSHALLER), db);
    return headers;
  }

  @Test
  void rootWithDefaultPasswordConnects(MilvusStandaloneServer milvus) {
    var stub = GrpcProbe.stub(channel, milvus.credentials()).withDeadlineAfter(30, TimeUnit.SECONDS);
    assertThat(stub.getVersion(GetVersionRequest.getDefaultInstance()).getVersion()).startsWith("v2.3.5");
    ConnectResponse connect = stub.connect(ConnectRequest.getDefaultInstance());
    System.out.println("[harness] Milvus Connect(root/Milvus): status=" + connect.getStatus().getCode()
        + " identifier=" + connect.getIdentifier() + " server_info={" + connect.getServerInfo().toString().replace('\n', ' ') + "}");
    assertThat(connect.getStatus().getCode()).isZero();
    assertThat(connect.getIdentifier()).isNotZero();
    assertThat(stub.listDatabases(ListDatabasesRequest.getDefaultInstance()).getDbNamesList()).contains("default");
  }

  @Test
  void wrongPasswordIsUnauthenticated() {
    var stub = GrpcProbe.stub(channel, GrpcProbe.authHeaders("root", "wrong")).withDeadlineAfter(30, TimeUnit.SECONDS);
    assertThatThrownBy(() -> stub.connect(ConnectRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          System.out.println("[harness] Milvus Connect(root/wrong): " + e.getStatus());
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).isEqualTo(FaultServer.WRONG_AUTH);
        });
  }

  @Test
  void missingCredentialsAreUnauthenticated() {
    var stub = GrpcProbe.stub(channel, null).withDeadlineAfter(30, TimeUnit.SECONDS);
    assertThatThrownBy(() -> stub.getVersion(GetVersionRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          System.out.println("[harness] Milvus GetVersion without credentials: " + e.getStatus());
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).isEqualTo(FaultServer.MISSING_AUTH);
        });
  }

  @Test
  void unknownDatabaseOnConnect(MilvusStandaloneServer milvus) {
    var stub = GrpcProbe.stub(channel, withDb(milvus.credentials(), "nosuchdb")).withDeadlineAfter(30, TimeUnit.SECONDS);
    ConnectResponse response = stub.connect(ConnectRequest.getDefaultInstance());
    System.out.println("[harness] Milvus Connect(dbname=nosuchdb): code=" + response.getStatus().getCode()
        + " error_code=" + response.getStatus().getErrorCodeValue() + " reason='" + response.getStatus().getReason() + "'");
    assertThat(response.getStatus().getCode()).isEqualTo(800);
    assertThat(response.getStatus().getReason()).isEqualTo("database not found[database=nosuchdb]");
  }
}
