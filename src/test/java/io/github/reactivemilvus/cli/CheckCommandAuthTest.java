package io.github.reactivemilvus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.MilvusStandaloneExtension;
import io.github.reactivemilvus.testing.MilvusStandaloneServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code check} with credentials in the URI against the real Milvus 2.3.5 with authorization on. */
@ExtendWith(MilvusStandaloneExtension.class)
class CheckCommandAuthTest {
  private static final String WRONG_PASSWORD = "Wr0ng-Passw0rd-1849";



  private static String uri(MilvusStandaloneServer milvus, String password) {
    return "http://" + milvus.user() + ":" + password + "@127.0.0.1:" + milvus.port();
  }

  @Test
  void checkWithTheRightPasswordInTheUriExitsZeroAndPrintsTheVersion(MilvusStandaloneServer milvus) {
    CliRun run = CliRun.of("check", "--uri", uri(milvus, milvus.password()));
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(run.out()).contains("uri-1", "127.0.0.1:" + milvus.port(), "connected", "v2.3.5");
    assertThat(run.all()).doesNotContain(milvus.password());
  }

  @Test
  void checkDataPassesAndLeavesNoCollection(MilvusStandaloneServer milvus) {
    CliRun run = CliRun.of("check", "--data", "--uri", uri(milvus, milvus.password()));
    assertThat(run.exit()).as(run.all()).isZero();
    for (String step : new String[] {"create", "insert", "index", "load", "search", "query", "drop"}) {
      assertThat(run.out()).containsPattern("uri-1\\s+" + step + "\\s+[0-9.]+ ms");
    }
    assertThat(run.out()).doesNotContain("failed");
    try (io.github.reactivemilvus.ReactiveConnections registry = io.github.reactivemilvus.ReactiveConnections.create()) {
      registry.addConnection("standalone", java.util.Map.of("uri", uri(milvus, milvus.password()))).block();
      assertThat(registry.stub("standalone").showCollections().block()).noneMatch(name -> name.startsWith("mc_check_"));
    }
    assertThat(run.all()).doesNotContain(milvus.password());
  }

  @Test
  void checkWithAWrongPasswordInTheUriExitsOneSayingAuthentication(MilvusStandaloneServer milvus) {
    CliRun run = CliRun.of("check", "--uri", uri(milvus, WRONG_PASSWORD));
    assertThat(run.exit()).as(run.all()).isEqualTo(1);
    assertThat(run.out()).contains("uri-1", "failed", "authentication");
    assertThat(run.all()).doesNotContain(WRONG_PASSWORD).doesNotContain(milvus.password());
  }
}
