package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.Status;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;

/**
 * A server that implements Connect and answers every other method with UNIMPLEMENTED, as Milvus Lite
 * 2.5 does for GetVersion and CheckHealth: the alias is up, its version unknown.
 */
class HealthWithoutVersionRpcTest {

  @Test
  void aServerWithoutGetVersionAndCheckHealthIsUpWithAnUnknownVersion() throws Exception {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new MilvusServiceGrpc.MilvusServiceImplBase() {
          @Override
          public void connect(ConnectRequest request, StreamObserver<ConnectResponse> response) {
            response.onNext(ConnectResponse.newBuilder().setStatus(Status.getDefaultInstance()).build());
            response.onCompleted();
          }
        }).build().start();
    try (ReactiveConnections registry = ReactiveConnections.create()) {
      registry.addConnection("lite25", Map.of("uri", "http://127.0.0.1:" + server.getPort())).block();
      Health health = new AliasHealthIndicator(registry, "lite25", Duration.ofSeconds(30)).health().block();
      assertThat(health).isNotNull();
      assertThat(health.getStatus()).as(health.getDetails().toString()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
      assertThat(health.getDetails()).containsEntry("version", "unknown")
          .containsEntry("health-check", "unsupported by the server")
          .containsEntry("address", "127.0.0.1:" + server.getPort())
          .containsKey("latency-ms");
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
