package io.github.reactivemilvus.test.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MilvusLiteTest {

  @Test
  void startsOnAFreeLoopbackPortWithAFreshDataDirectoryAndStopsItsWholeProcessGroup() {
    long pgid;
    Path data;
    try (MilvusLite milvus = MilvusLite.start()) {
      assertThat(milvus.uri()).startsWith("http://127.0.0.1:").endsWith(":" + milvus.port());
      assertThat(FreePorts.isListening(milvus.port())).isTrue();
      assertThat(milvus.isRunning()).isTrue();
      data = milvus.dataDir();
      assertThat(data).isDirectory().satisfies(d -> assertThat(d.toString()).contains("milvus-lite-3.2.2-"));
      pgid = milvus.pgid();
      milvus.kill9();
      assertThat(milvus.isRunning()).isFalse();
      milvus.restartOnSamePort();
      assertThat(FreePorts.isListening(milvus.port())).isTrue();
      pgid = milvus.pgid();
    }
    assertThat(groupAlive(pgid)).isFalse();
    assertThat(data).doesNotExist();
  }

  @Test
  void milvusLite251IsSelectableAndInstalledIntoTheUsersCacheOnFirstUse() {
    try (MilvusLite milvus = MilvusLite.start(MilvusLite.options().version(LiteVersion.V2_5_1))) {
      assertThat(milvus.version()).isEqualTo(LiteVersion.V2_5_1);
      assertThat(FreePorts.isListening(milvus.port())).isTrue();
      assertThat(milvus.dataDir().resolve("milvus.db")).exists();
    }
  }

  @Test
  void aJvmKilledWithSigkillLeavesNoServerBehind() throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "-Dreactivemilvus.test.venv=" + PythonVenv.venvDir(LiteVersion.V3_2_2), StartAndWait.class.getName())
        .redirectErrorStream(true).start();
    long pgid;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("pgid "));
      assertThat(line).as("the child JVM's output").isNotNull();
      pgid = Long.parseLong(line.substring(5).trim());
      assertThat(groupAlive(pgid)).isTrue();
      new ProcessBuilder("kill", "-KILL", Long.toString(jvm.pid())).start().waitFor();
      assertThat(jvm.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (groupAlive(pgid) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(groupAlive(pgid)).as("server group %s after its JVM was killed", pgid).isFalse();
  }

  @Test
  void aMissingPythonIsNamedWithWhatToDoInstead(@TempDir Path dir) {
    System.setProperty("reactivemilvus.test.python", dir.resolve("no-such-python3").toString());
    System.setProperty("reactivemilvus.test.venv.2.5.1", dir.resolve("venv").toString());
    try {
      assertThatThrownBy(() -> PythonVenv.ensureInstalled(LiteVersion.V2_5_1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("needs Python 3.10 or later")
          .hasMessageContaining("no-such-python3")
          .hasMessageContaining("REACTIVE_MILVUS_TEST_URI");
    } finally {
      System.clearProperty("reactivemilvus.test.python");
      System.clearProperty("reactivemilvus.test.venv.2.5.1");
    }
  }

  @Test
  void twoJvmsInstallingTheSameVenvAtOnceInstallItOnce(@TempDir Path dir) throws Exception {
    // a stand-in for python3: "-m venv DIR" copies itself to DIR/bin/python, "-m pip install" takes a
    // second and counts itself, so the file lock is what keeps the count at one
    Path python = dir.resolve("python3");
    Files.writeString(python, "#!/bin/sh\n"
        + "case \"$1 $2\" in\n"
        + "  '-c '*) echo 3.11 ;;\n"
        + "  '-m venv') mkdir -p \"$3/bin\" && cp \"$0\" \"$3/bin/python\" ;;\n"
        + "  '-m pip') sleep 1; echo install >> \"" + dir.resolve("installs") + "\";"
        + " d=$(dirname \"$0\"); printf '#!/bin/sh\\n' > \"$d/milvus-lite\"; chmod +x \"$d/milvus-lite\" ;;\n"
        + "esac\n");
    assertThat(python.toFile().setExecutable(true)).isTrue();
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dreactivemilvus.test.python=" + python, "-Dreactivemilvus.test.venv=" + dir.resolve("venv"),
        InstallOnly.class.getName());
    Process first = new ProcessBuilder(command).redirectErrorStream(true).start();
    Process second = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(first.waitFor(60, TimeUnit.SECONDS) && second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as(new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    assertThat(second.exitValue()).as(new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    assertThat(Files.readAllLines(dir.resolve("installs"))).hasSize(1);
    assertThat(dir.resolve("venv").resolve(PythonVenv.MARKER)).exists();
  }

  @Test
  void anExternalServerComesFromTheEnvironmentAndIsNeverStopped() {
    assertThat(ExternalMilvus.configured(Map.of())).isEmpty();
    ExternalMilvus external = ExternalMilvus.configured(Map.of(ExternalMilvus.URI_ENV, "https://milvus.example:19530",
        ExternalMilvus.TOKEN_ENV, "root:Milvus")).orElseThrow();
    assertThat(external.uri()).isEqualTo("https://milvus.example:19530");
    assertThat(external.token()).isEqualTo("root:Milvus");
    assertThat(external.external()).isTrue();
    external.close();
  }

  static boolean groupAlive(long pgid) {
    return !ServerProcess.groupMembers(pgid).isEmpty();
  }

  /** Child JVM: starts a server, prints its process group, waits to be killed. */
  static final class StartAndWait {
    public static void main(String[] args) throws InterruptedException {
      MilvusLite milvus = MilvusLite.start();
      System.out.println("pgid " + milvus.pgid());
      System.out.flush();
      Thread.sleep(120_000);
    }
  }

  /** Child JVM: installs the venv named by the system properties. */
  static final class InstallOnly {
    public static void main(String[] args) {
      System.out.println(PythonVenv.ensureInstalled(LiteVersion.V3_2_2));
    }
  }
}
