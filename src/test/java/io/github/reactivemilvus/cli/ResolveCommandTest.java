package io.github.reactivemilvus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SPEC §7 {@code resolve}: one JSON line out per line in, malformed input never crashes. */
class ResolveCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Run(int exit, List<JsonNode> lines, String raw) {}

  private static Run run(String stdin, Map<String, String> env) throws Exception {
    return run(stdin, env, false);
  }

  private static Run run(String stdin, Map<String, String> env, boolean withSettings) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResolveCommand command = new ResolveCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, env);
    command.withSettings = withSettings;
    int exit = command.call();
    String raw = out.toString(StandardCharsets.UTF_8);
    List<JsonNode> lines = new ArrayList<>();
    for (String l : raw.split("\n")) {
      if (!l.isEmpty()) {
        lines.add(JSON.readTree(l));
      }
    }
    return new Run(exit, lines, raw);
  }

  @Test
  void aResolvedLinePrintsTheNormalizedViewAndExitsZero() throws Exception {
    Run r = run("{\"alias\": \"a\", \"config\": {\"uri\": \"https://u:p@h/db\", \"timeout\": 2}}\n", Map.of());
    assertThat(r.exit()).isZero();
    JsonNode n = r.lines().get(0);
    List<String> keys = new ArrayList<>();
    n.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("alias", "ok", "address", "host", "port", "secure", "tls", "server_name", "user",
        "auth", "db_name", "timeout_ms", "addresses");
    assertThat(n.get("ok").asBoolean()).isTrue();
    assertThat(n.get("addresses").isArray()).isTrue();
    assertThat(n.get("address").asText()).isEqualTo("h:443");
    assertThat(n.get("port").isInt()).isTrue();
    assertThat(n.get("secure").isBoolean()).isTrue();
    assertThat(n.get("tls").asText()).isEqualTo("system_roots");
    assertThat(n.get("server_name").isNull()).isTrue();
    assertThat(n.get("user").asText()).isEqualTo("u");
    assertThat(n.get("auth").asText()).isEqualTo("user_password");
    assertThat(n.get("db_name").asText()).isEqualTo("db");
    assertThat(n.get("timeout_ms").asLong()).isEqualTo(2000);
  }

  @Test
  void withSettingsEveryCatalogueSettingButSecretsAndEndpointFormsIsPrintedAndCanBeFedBack() throws Exception {
    String line = "{\"alias\": \"a\", \"config\": {\"uri\": \"http://h:7\", \"token\": \"SeCrEt\","
        + " \"call_timeout\": 2.5, \"retry_jitter\": 0.25}}\n";
    Run r = run(line, Map.of(), true);
    JsonNode settings = r.lines().get(0).get("settings");
    List<String> keys = new ArrayList<>();
    settings.fieldNames().forEachRemaining(keys::add);
    List<String> expected = io.github.reactivemilvus.config.Setting.all().stream()
        .filter(s -> !s.isSecret() && !List.of("uri", "address", "retry_policy").contains(s.key()))
        .map(io.github.reactivemilvus.config.Setting::key).toList();
    assertThat(keys).containsExactlyElementsOf(expected);
    assertThat(settings.get("call_timeout").decimalValue()).isEqualByComparingTo("2.5");
    assertThat(settings.get("retry_jitter").asDouble()).isEqualTo(0.25);
    assertThat(settings.get("pool_size").asInt()).isEqualTo(1);
    assertThat(r.raw()).contains("\"idle_timeout\":86400,");
    assertThat(settings.get("timeout").isNull()).isTrue();
    assertThat(r.raw()).doesNotContain("SeCrEt");

    // The settings object is a config of its own that resolves to the same settings.
    String again = "{\"alias\": \"b\", \"config\": " + settings + "}\n";
    assertThat(run(again, Map.of(), true).lines().get(0).get("settings")).isEqualTo(settings);
    assertThat(run(line, Map.of()).lines().get(0).has("settings")).isFalse();
  }

  @Test
  void aUnixSocketHasNullHostAndPort() throws Exception {
    JsonNode n = run("{\"alias\": \"s\", \"config\": {\"uri\": \"unix:/tmp/m.sock\"}}", Map.of()).lines().get(0);
    assertThat(n.get("address").asText()).isEqualTo("unix:/tmp/m.sock");
    assertThat(n.get("host").isNull()).isTrue();
    assertThat(n.get("port").isNull()).isTrue();
  }

  @Test
  void problemsAreListedWithFieldAndMessageAndExitIsOne() throws Exception {
    Run r = run("{\"alias\": \"b\", \"config\": {\"port\": \"x\", \"scure\": true}}\n", Map.of());
    assertThat(r.exit()).isEqualTo(1);
    JsonNode n = r.lines().get(0);
    assertThat(n.get("alias").asText()).isEqualTo("b");
    assertThat(n.get("ok").asBoolean()).isFalse();
    List<String> fields = new ArrayList<>();
    n.get("errors").forEach(e -> {
      fields.add(e.get("field").asText());
      assertThat(e.get("message").asText()).isNotBlank();
    });
    assertThat(fields).containsExactlyInAnyOrder("port", "scure");
  }

  @Test
  void malformedLinesGetAnInputErrorAndTheRestIsStillResolved() throws Exception {
    String stdin = String.join("\n",
        "{\"alias\": \"a\", \"config\": {\"password\": TopSecret}}",
        "[1, 2]",
        "\"just a string\"",
        "{\"alias\": \"c\"}",
        "{\"alias\": \"d\", \"config\": [1]}",
        "{\"alias\": \"e\", \"config\": {\"host\": \"h\", \"host\": \"g\"}}",
        "",
        "   ",
        "{\"alias\": \"ok\", \"config\": {}}");
    Run r = run(stdin, Map.of());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.lines()).hasSize(7);
    for (JsonNode n : r.lines().subList(0, 6)) {
      assertThat(n.get("ok").asBoolean()).isFalse();
      assertThat(n.get("errors").findValuesAsText("field")).contains("input");
    }
    assertThat(r.lines().get(6).get("ok").asBoolean()).isTrue();
    assertThat(r.raw()).doesNotContain("TopSecret");
  }

  @Test
  void aNonStringAliasIsAnAliasProblem() throws Exception {
    JsonNode n = run("{\"alias\": 5, \"config\": {}}", Map.of()).lines().get(0);
    assertThat(n.get("alias").isNull()).isTrue();
    assertThat(n.get("errors").findValuesAsText("field")).containsExactly("alias");
    JsonNode missing = run("{\"config\": {}}", Map.of()).lines().get(0);
    assertThat(missing.get("errors").findValuesAsText("field")).containsExactly("alias");
  }

  @Test
  void nanAndHugeNumbersReachTheRulesInsteadOfFailingTheParse() throws Exception {
    Run r = run("{\"alias\": \"n\", \"config\": {\"timeout\": NaN, \"port\": 123456789012345678901234567890}}", Map.of());
    assertThat(r.lines().get(0).get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("timeout", "port");
  }

  @Test
  void theDefaultTimeoutComesFromMilvusConnTimeout() throws Exception {
    JsonNode n = run("{\"alias\": \"t\", \"config\": {}}", Map.of("MILVUS_CONN_TIMEOUT", "1.5")).lines().get(0);
    assertThat(n.get("timeout_ms").asLong()).isEqualTo(1500);
    JsonNode explicit = run("{\"alias\": \"t\", \"config\": {\"timeout\": 4}}", Map.of("MILVUS_CONN_TIMEOUT", "1.5"))
        .lines().get(0);
    assertThat(explicit.get("timeout_ms").asLong()).isEqualTo(4000);
  }

  @Test
  void anInvalidMilvusConnTimeoutFailsEveryLineNamingTheVariable() throws Exception {
    Run r = run("{\"alias\": \"t\", \"config\": {}}\n{\"alias\": \"u\", \"config\": {}}", Map.of("MILVUS_CONN_TIMEOUT", "soon"));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.lines()).hasSize(2).allSatisfy(n ->
        assertThat(n.get("errors").findValuesAsText("field")).containsExactly("MILVUS_CONN_TIMEOUT"));
  }

  @Test
  void secretsNeverReachTheOutput() throws Exception {
    Run r = run(String.join("\n",
        "{\"alias\": \"a\", \"config\": {\"uri\": \"http://u:UriPw@h:abc\", \"token\": \"TokPw\"}}",
        "{\"alias\": \"b\", \"config\": {\"user\": \"u\", \"password\": \"PassPw\"}}",
        "{\"alias\": \"c\", \"config\": {\"token\": \"TokPw2\", \"password\": \"PassPw2\"}}"), Map.of());
    assertThat(r.raw()).doesNotContain("UriPw").doesNotContain("TokPw").doesNotContain("PassPw");
  }

  @Test
  void emptyInputPrintsNothingAndExitsZero() throws Exception {
    Run r = run("", Map.of());
    assertThat(r.exit()).isZero();
    assertThat(r.lines()).isEmpty();
  }
}
