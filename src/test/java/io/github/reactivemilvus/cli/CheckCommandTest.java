package io.github.reactivemilvus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.test.server.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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
  void checkReadsBothConfigFileForms(MilvusLiteServer server, @TempDir Path dir) throws Exception {
    Path lines = dir.resolve("lines.jsonl");
    // a line whose keys come in the other order is still a line, and every line is read
    Files.writeString(lines, "{\"config\": {\"uri\": \"" + server.uri() + "\"}, \"alias\": \"one\"}\n"
        + "{\"alias\": \"two\", \"config\": {\"uri\": \"" + server.uri() + "\"}}\n");
    CliRun run = CliRun.of("check", "--config", lines.toString());
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(run.out()).contains("one", "two", "connected");

    Path map = dir.resolve("map.json");
    Files.writeString(map, "{\"three\": {\"uri\": \"" + server.uri() + "\"}}");
    run = CliRun.of("check", "--config", map.toString());
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(run.out()).contains("three", "connected");
  }

  @Test
  void anUnparsableConfigFileExitsTwoWithoutShowingItsText(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"a\": {\"uri\": \"http://localhost:19530\", \"password\": s3cret-Pw}}");
    CliRun run = CliRun.of("check", "--config", bad.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("could not be parsed as JSON", "line 1");
    assertThat(run.all()).doesNotContain("s3cret-Pw");
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
