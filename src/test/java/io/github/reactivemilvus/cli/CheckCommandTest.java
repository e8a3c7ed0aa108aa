package io.github.reactivemilvus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.FreePorts;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code check} command against a real Milvus Lite server. */
@ExtendWith(MilvusLiteExtension.class)
class CheckCommandTest {


  @Test
  void checkPrintsATableWithTheServerVersion(MilvusLiteServer server) {
    CliRun run = CliRun.of("check", "--uri", server.uri());
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("ALIAS", "VERSION", "uri-1", "connected", MilvusLiteServer.EXPECTED_VERSION);
    assertThat(run.err()).contains("[1/1]");
  }

  @Test
  void checkReportsAnUnreachableAliasAndExitsOne(MilvusLiteServer server) {
    int closed = FreePorts.closedPort();
    CliRun run = CliRun.of("check", "--uri", server.uri(), "--uri", "http://127.0.0.1:" + closed);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("uri-1", "connected", "uri-2", "failed", "server unreachable");
  }

  @Test
  void checkDataMakesATimedRoundTripAndLeavesNoCollection(MilvusLiteServer server) {
    CliRun run = CliRun.of("check", "--data", "--uri", server.uri());
    assertThat(run.exit()).as(run.all()).isZero();
    for (String step : new String[] {"create", "insert", "index", "load", "search", "query", "drop"}) {
      assertThat(run.out()).containsPattern("uri-1\\s+" + step + "\\s+[0-9.]+ ms");
    }
    assertThat(run.out()).doesNotContain("failed");
    try (io.github.reactivemilvus.ReactiveConnections registry = io.github.reactivemilvus.ReactiveConnections.create()) {
      registry.addConnection("lite", java.util.Map.of("uri", server.uri())).block();
      assertThat(registry.stub("lite").showCollections().block()).noneMatch(name -> name.startsWith("mc_check_"));
    }
  }
}
