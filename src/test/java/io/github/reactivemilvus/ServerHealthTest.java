package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.proto.CheckHealthResponse;
import io.github.reactivemilvus.proto.QuotaState;
import io.github.reactivemilvus.testing.FaultServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stub's health report is the project's {@link ServerHealth}, mapped field by field from CheckHealth. */
class ServerHealthTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void quotaStatesAreNamedAndAStateThisClientDoesNotKnowKeepsItsNumber() {
    ServerHealth health = ServerHealth.of(CheckHealthResponse.newBuilder().setIsHealthy(false).addReasons("disk full")
        .addQuotaStates(QuotaState.DenyToWrite).addQuotaStatesValue(42).build());
    assertThat(health).isEqualTo(new ServerHealth(false, List.of("disk full"), List.of("DenyToWrite", "QuotaState(42)")));
    assertThat(ServerHealth.of(CheckHealthResponse.newBuilder().setIsHealthy(true).build()))
        .isEqualTo(new ServerHealth(true, List.of(), List.of()));
  }

  @Test
  void theStubReportsAnUnhealthyServerWithItsReasons() {
    try (FaultServer server = FaultServer.start().health(false, "querynode down", "datanode down");
        ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("f", Map.of("uri", server.uri())).block(WAIT);
      assertThat(registry.stub("f").checkHealth().block(WAIT))
          .isEqualTo(new ServerHealth(false, List.of("querynode down", "datanode down"), List.of()));
    }
  }
}
