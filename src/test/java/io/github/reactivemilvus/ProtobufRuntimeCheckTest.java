package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The protobuf runtime is checked when a registry is created: one that cannot run the generated
 * code fails at once, as {@link FailureKind#CLIENT}, naming the found and the required versions
 * and the fix, instead of a {@code NoClassDefFoundError} deep in the first connect.
 */
class ProtobufRuntimeCheckTest {

  @Test
  void theRuntimeThisBuildResolvedPasses() {
    assertThat(ProtobufRuntime.foundVersion()).isEqualTo(ProtobufRuntime.builtWith().getProperty("protobuf"));
    ProtobufRuntime.check();
  }

  @Test
  void anOlderOrOtherMajorRuntimeIsNamedWithTheRequiredVersionAndTheFix() {
    assertThat(ProtobufRuntime.problem("3.25.5", "4.33.2"))
        .contains("protobuf-java 3.25.5 is on the classpath", "4.33.2 or a later 4.x release",
            "com.google.protobuf:protobuf-java:4.33.2", "reactive-milvus-connections-bom");
    assertThat(ProtobufRuntime.problem("4.29.0", "4.33.2")).contains("4.29.0", "4.33.2");
    assertThat(ProtobufRuntime.problem(null, "4.33.2")).contains("unknown version");
    assertThat(ProtobufRuntime.problem("6.1.0", "4.33.2")).contains("6.1.0");
    assertThat(ProtobufRuntime.problem("5.34.0", "4.33.2")).isNull();
    assertThat(ProtobufRuntime.problem("4.33.2", "4.33.2")).isNull();
    assertThat(ProtobufRuntime.problem("4.34.1", "4.33.2")).isNull();
  }

  /** What a user gets when Maven picked protobuf-java 3.25 (milvus-sdk-java declared first). */
  @Test
  void creatingARegistryOnProtobuf325FailsAtOnceAsClientNamingBothVersions() throws Exception {
    Path old = Path.of(System.getProperty("project.basedir"), "target", "old-protobuf", "protobuf-java-3.25.5.jar");
    assertThat(old).exists();
    String classpath = Stream.concat(
            Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("protobuf-java-4")),
            Stream.of(old.toString()))
        .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, Main.class.getName()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(output).contains("kind=CLIENT", "protobuf-java 3.25.5 is on the classpath", "4.33.2 or a later 4.x release",
          "com.google.protobuf:protobuf-java:4.33.2");
      assertThat(process.exitValue()).isEqualTo(3);
    } finally {
      process.destroyForcibly();
    }
  }

  /** The child: creates a registry and prints how that failed. */
  public static final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
      try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
        System.out.println("created");
        System.exit(0);
      } catch (MilvusConnectionException e) {
        System.out.println("kind=" + e.kind() + " " + e.getMessage());
        System.exit(3);
      }
    }
  }
}
