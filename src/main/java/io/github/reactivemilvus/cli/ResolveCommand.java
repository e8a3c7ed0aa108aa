package io.github.reactivemilvus.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.reactivemilvus.config.ConfigProblem;
import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionConfigException;
import io.github.reactivemilvus.config.ConnectionInfo;
import io.github.reactivemilvus.config.MilvusEnvironment;
import io.github.reactivemilvus.config.NamedConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.config.Setting;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code resolve} (SPEC §7): reads {@code {"alias": ..., "config": {...}}} JSON lines on stdin and
 * prints one JSON line per input line: the normalized view plus {@code "ok": true}, or
 * {@code {"alias", "ok": false, "errors": [{"field", "message"}]}}. A line that is not such an
 * object gets an error with field {@code input}. Blank lines are skipped. Exit code 0 when every
 * line resolved, 1 otherwise. The timeout of configs without one comes from
 * {@code MILVUS_CONN_TIMEOUT}; when that variable is invalid every line reports it.
 *
 * <p>With {@code --settings}, a resolved line also has a {@code settings} object: every setting of
 * the catalogue ({@link Setting#all()}) with the value the config resolved to, in catalogue order,
 * except the secrets and the endpoint forms {@code uri} and {@code address} (the view's
 * {@code address} shows the endpoint) and {@code retry_policy} (shown as its {@code retry_*}
 * parts). Durations are numbers of seconds and paths strings, so the object can be fed back as a
 * {@code config}.
 */
@Command(name = "resolve", description = "Read {\"alias\",\"config\"} JSON lines on stdin, print one normalized JSON line each.")
final class ResolveCommand implements Callable<Integer> {
  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // so that NaN reaches the rules and is reported there
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // a key given twice is a mistake, not last-wins
      .build();

  private final InputStream in;
  private final OutputStream out;
  private final Map<String, String> env;

  @Option(names = "--settings", description = "Also print every resolved setting (secrets left out) as \"settings\".")
  boolean withSettings;

  ResolveCommand() {
    this(System.in, System.out, System.getenv());
  }

  ResolveCommand(InputStream in, OutputStream out, Map<String, String> env) {
    this.in = in;
    this.out = out;
    this.env = env;
  }

  @Override
  public Integer call() throws IOException {
    Duration defaultTimeout = ConnectionConfig.DEFAULT_TIMEOUT;
    List<ConfigProblem> envProblems = List.of();
    try {
      defaultTimeout = MilvusEnvironment.connectTimeout(env);
    } catch (ConnectionConfigException e) {
      envProblems = e.problems();
    }
    boolean allOk = true;
    PrintStream printer = new PrintStream(out, false, StandardCharsets.UTF_8);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        Map<String, Object> result;
        try {
          result = resolveLine(line, number, defaultTimeout, envProblems, withSettings);
        } catch (RuntimeException e) {
          // Not expected (the rules throw only ConnectionConfigException), but one line must never end the run.
          result = failure(null, List.of(error("input", "line " + number + " could not be resolved ("
              + e.getClass().getSimpleName() + ")")));
        }
        allOk &= Boolean.TRUE.equals(result.get("ok"));
        printer.println(JSON.writeValueAsString(result));
        printer.flush();
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return allOk ? 0 : 1;
  }

  private static Map<String, Object> resolveLine(
      String line, int number, Duration defaultTimeout, List<ConfigProblem> envProblems, boolean withSettings) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      // The parser's own message may quote the offending text, which could be a secret: give the position only.
      int column = e.getLocation() != null ? e.getLocation().getColumnNr() : -1;
      return failure(null, List.of(error("input", "line " + number + " could not be parsed as JSON"
          + (column > 0 ? " (near column " + column + ")" : "")
          + "; it is invalid, or beyond the parser's nesting and number-length limits")));
    }
    if (node == null || !node.isObject()) {
      return failure(null, List.of(error("input", "line " + number
          + " must be a JSON object {\"alias\": ..., \"config\": {...}}")));
    }
    JsonNode aliasNode = node.get("alias");
    String alias = aliasNode != null && aliasNode.isTextual() ? aliasNode.asText() : null;
    List<Map<String, Object>> errors = new ArrayList<>();
    if (aliasNode != null && !aliasNode.isNull() && !aliasNode.isTextual()) {
      errors.add(error("alias", "must be a string"));
    }
    JsonNode configNode = node.get("config");
    if (configNode == null || !configNode.isObject()) {
      errors.add(error("input", "line " + number + " needs a \"config\" object"));
      if (alias == null || alias.isBlank()) {
        errors.add(error("alias", "must be a non-blank string"));
      }
      return failure(alias, errors);
    }
    Map<String, Object> keys = JSON.convertValue(configNode, JSON.getTypeFactory()
        .constructMapType(LinkedHashMap.class, String.class, Object.class));
    ConnectionInfo info = null;
    ConnectionConfig config = null;
    try {
      config = errors.isEmpty()
          ? NamedConfig.of(alias, keys).resolve()
          : ConnectionConfig.fromMap(keys);
      info = config.info(alias, defaultTimeout);
    } catch (ConnectionConfigException e) {
      e.problems().forEach(p -> errors.add(error(p.field(), p.message())));
    }
    envProblems.forEach(p -> errors.add(error(p.field(), p.message())));
    if (!errors.isEmpty()) {
      return failure(alias, errors);
    }
    // no error: both were made
    Map<String, Object> result = success(Objects.requireNonNull(info));
    if (withSettings) {
      result.put("settings", settings(Objects.requireNonNull(config)));
    }
    return result;
  }

  /** Every shown setting of the catalogue with its resolved value, as JSON-ready values. */
  static Map<String, Object> settings(ConnectionConfig config) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Setting<?> s : Setting.all()) {
      if (s.isSecret() || s == Setting.URI || s == Setting.ADDRESS || s.type() == RetryPolicy.class) {
        continue;
      }
      Object v = config.get(s);
      if (v instanceof Duration d) {
        BigDecimal seconds = BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros();
        v = seconds.scale() < 0 ? seconds.setScale(0) : seconds; // 30, not 3E+1
      } else if (v instanceof Path p) {
        v = p.toString();
      }
      m.put(s.key(), v);
    }
    return m;
  }

  private static Map<String, Object> success(ConnectionInfo info) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alias", info.alias());
    m.put("ok", true);
    m.putAll(info.asMap());
    return m;
  }

  private static Map<String, Object> failure(@Nullable String alias, List<Map<String, Object>> errors) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alias", alias);
    m.put("ok", false);
    m.put("errors", errors);
    return m;
  }

  private static Map<String, Object> error(String field, String message) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("field", field);
    e.put("message", message);
    return e;
  }
}
