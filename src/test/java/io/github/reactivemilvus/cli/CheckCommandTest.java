package io.github.reactivemilvus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.FreePorts;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** The {@code check} command against a real Milvus Lite server. */
@ExtendWith(MilvusLiteExtension.class)
class CheckCommandTest {

  private record Run(int exit, String out, String err) {}

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

  @Test
  void checkPrintsATableWithTheServerVersion(MilvusLiteServer server) {
    Run run = run("check", "--uri", server.uri());
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("ALIAS", "VERSION", "uri-1", "connected", MilvusLiteServer.EXPECTED_VERSION);
    assertThat(run.err()).contains("[1/1]");
  }

  @Test
  void checkReportsAnUnreachableAliasAndExitsOne(MilvusLiteServer server) {
    int closed = FreePorts.closedPort();
    Run run = run("check", "--uri", server.uri(), "--uri", "http://127.0.0.1:" + closed);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("uri-1", "connected", "uri-2", "failed", "server unreachable");
  }
}
