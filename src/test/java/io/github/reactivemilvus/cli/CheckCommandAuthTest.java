package io.github.reactivemilvus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.MilvusStandaloneExtension;
import io.github.reactivemilvus.testing.MilvusStandaloneServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code check} with credentials in the URI against the real Milvus 2.3.5 with authorization on. */
@ExtendWith(MilvusStandaloneExtension.class)
class CheckCommandAuthTest {
  private static final String WRONG_PASSWORD = "Wr0ng-Passw0rd-1849";

  private record Run(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = new CommandLine(new MilvusConnectionsCli()).execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static String uri(MilvusStandaloneServer milvus, String password) {
    return "http://" + milvus.user() + ":" + password + "@127.0.0.1:" + milvus.port();
  }

  @Test
  void checkWithTheRightPasswordInTheUriExitsZeroAndPrintsTheVersion(MilvusStandaloneServer milvus) {
    Run run = run("check", "--uri", uri(milvus, milvus.password()));
    assertThat(run.exit()).as(run.all()).isZero();
    assertThat(run.out()).contains("uri-1", "127.0.0.1:" + milvus.port(), "connected", "v2.3.5");
    assertThat(run.all()).doesNotContain(milvus.password());
  }

  @Test
  void checkWithAWrongPasswordInTheUriExitsOneSayingAuthentication(MilvusStandaloneServer milvus) {
    Run run = run("check", "--uri", uri(milvus, WRONG_PASSWORD));
    assertThat(run.exit()).as(run.all()).isEqualTo(1);
    assertThat(run.out()).contains("uri-1", "failed", "authentication");
    assertThat(run.all()).doesNotContain(WRONG_PASSWORD).doesNotContain(milvus.password());
  }
}
