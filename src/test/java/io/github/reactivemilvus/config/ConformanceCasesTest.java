package io.github.reactivemilvus.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the shared conformance cases ({@code conformance/resolve-cases.jsonl}, a copy of the
 * project's shared file) through the library API with the comparison rules of
 * {@code check-resolve}: only the expected keys are compared; {@code fields} must all have a
 * problem, {@code fields_any} at least one; {@code forbid} strings appear nowhere.
 */
class ConformanceCasesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicTest> everyConformanceCaseResolvesAsExpected() throws IOException {
    return cases().stream().map(c -> DynamicTest.dynamicTest(
        "case " + c.get("alias").asText() + " " + c.get("config"), () -> check(c)));
  }

  @Test
  void theCasesFileIsNotEmpty() throws IOException {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(50);
  }

  private static void check(JsonNode c) {
    String alias = c.get("alias").asText();
    @SuppressWarnings("unchecked")
    Map<String, Object> config = JSON.convertValue(c.get("config"), LinkedHashMap.class);
    JsonNode expect = c.get("expect");
    String shown;
    boolean ok;
    Set<String> fields = new HashSet<>();
    JsonNode view = null;
    try {
      ConnectionConfig resolved = NamedConfig.of(alias, config).resolve();
      view = JSON.valueToTree(view(resolved.info(alias, ConnectionConfig.DEFAULT_TIMEOUT)));
      shown = view + resolved.toString();
      ok = true;
    } catch (ConnectionConfigException e) {
      e.problems().forEach(p -> fields.add(p.field()));
      shown = TestConfigs.everythingShown(e);
      ok = false;
    }
    assertThat(ok).as("ok, problems: %s", fields).isEqualTo(expect.get("ok").asBoolean());
    if (ok) {
      JsonNode actual = view;
      expect.fields().forEachRemaining(f -> {
        if (!List.of("ok", "fields", "fields_any").contains(f.getKey())) {
          assertThat(sameJson(actual.get(f.getKey()), f.getValue()))
              .as("%s: got %s, expected %s", f.getKey(), actual.get(f.getKey()), f.getValue()).isTrue();
        }
      });
    } else {
      assertThat(fields).isNotEmpty();
      for (JsonNode f : expect.path("fields")) {
        assertThat(fields).contains(f.asText());
      }
      List<String> any = new ArrayList<>();
      expect.path("fields_any").forEach(f -> any.add(f.asText()));
      if (!any.isEmpty()) {
        assertThat(fields).containsAnyElementsOf(any);
      }
    }
    for (JsonNode secret : c.path("forbid")) {
      assertThat(shown).doesNotContain(secret.asText());
    }
  }

  /** JSON equality with numbers compared by value (3000 equals 3000L). */
  private static boolean sameJson(JsonNode actual, JsonNode expected) {
    if (actual == null) {
      return expected.isNull();
    }
    if (actual.isNumber() && expected.isNumber()) {
      return actual.decimalValue().compareTo(expected.decimalValue()) == 0;
    }
    return actual.equals(expected);
  }

  /** The normalized view with the key names and value types of the command line's output. */
  static Map<String, Object> view(ConnectionInfo info) {
    return info.asMap();
  }

  private static List<JsonNode> cases() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (InputStream in = ConformanceCasesTest.class.getResourceAsStream("/conformance/resolve-cases.jsonl")) {
      assertThat(in).as("conformance/resolve-cases.jsonl on the test class path").isNotNull();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }
}
