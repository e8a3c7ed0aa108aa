package io.github.reactivemilvus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusLite25Extension;
import io.github.reactivemilvus.testing.MilvusLite25Server;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code check} against Milvus Lite 2.5.1, which answers GetVersion, CheckHealth and ListDatabases
 * with UNIMPLEMENTED: connected, version unknown, and the data round trip passes.
 */
@ExtendWith(MilvusLite25Extension.class)
class CheckCommandLite25Test {

  @Test
  void aServerWithoutGetVersionIsConnectedWithAnUnknownVersion(MilvusLite25Server server) {
    CliRun run = CliRun.of("check", "--uri", server.uri());
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(run.out()).containsPattern("uri-1\\s+127\\.0\\.0\\.1:" + server.port() + "\\s+connected\\s+unknown\\s+[0-9.]+ ms");
    assertThat(run.out()).doesNotContain("UNIMPLEMENTED");
  }

  @Test
  void checkDataPassesAndLeavesNoCollection(MilvusLite25Server server) {
    CliRun run = CliRun.of("check", "--data", "--uri", server.uri());
    assertThat(run.exit()).as(run.all()).isZero();
    for (String step : new String[] {"create", "insert", "index", "load", "search", "query", "drop"}) {
      assertThat(run.out()).containsPattern("uri-1\\s+" + step + "\\s+[0-9.]+ ms");
    }
    assertThat(run.out()).doesNotContain("failed");
    try (ReactiveConnections registry = ReactiveConnections.create()) {
      registry.addConnection("lite25", Map.of("uri", server.uri())).block();
      assertThat(registry.stub("lite25").showCollections().block()).noneMatch(name -> name.startsWith("mc_check_"));
    }
  }
}
