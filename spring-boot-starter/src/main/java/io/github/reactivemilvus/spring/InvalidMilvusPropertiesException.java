package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.config.ConfigProblem;
import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionConfigException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code milvus.connections.*} properties (or {@code MILVUS_URI} / {@code MILVUS_CONN_TIMEOUT})
 * are invalid, so the application does not start. {@link #problems()} has one line per problem,
 * every alias at once, as {@code milvus.connections.<alias>.<key>: <reason>} with the key as it was
 * written in the properties; the library's {@link ConnectionConfigException} is the cause. Neither
 * carries a password or token.
 */
public class InvalidMilvusPropertiesException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private static final Pattern SNAKE_KEY = Pattern.compile(
      "\\b(" + ConnectionConfig.keys().stream().filter(k -> k.indexOf('_') >= 0)
          .collect(Collectors.joining("|")) + ")\\b");

  private final transient List<String> problems;

  InvalidMilvusPropertiesException(ConnectionConfigException cause, List<ConnectionProperties.Alias> aliases) {
    this(lines(cause, aliases), cause);
  }

  private InvalidMilvusPropertiesException(List<String> problems, ConnectionConfigException cause) {
    super("invalid Milvus connection properties (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
        + "):\n  " + String.join("\n  ", problems), cause);
    this.problems = List.copyOf(problems);
  }

  /** One line per problem: {@code milvus.connections.<alias>.<key>: <reason>}. */
  public List<String> problems() {
    return problems;
  }

  private static List<String> lines(ConnectionConfigException e, List<ConnectionProperties.Alias> aliases) {
    Map<String, ConnectionProperties.Alias> byAlias = aliases.stream()
        .collect(Collectors.toMap(ConnectionProperties.Alias::alias, a -> a, (a, b) -> a));
    return e.problems().stream().map(p -> line(p, byAlias.get(p.alias()))).toList();
  }

  private static String line(ConfigProblem problem, ConnectionProperties.Alias alias) {
    String field = problem.field();
    boolean libraryKey = ConnectionConfig.keys().contains(field) || alias != null && alias.writtenKeys().containsKey(field);
    if (!libraryKey || problem.alias() == null) {
      // an environment variable such as MILVUS_URI, named as the user set it
      return field + ": " + kebab(problem.message());
    }
    String written = alias != null ? alias.writtenKeys().get(field) : null;
    String key = written != null ? written : ConnectionProperties.propertyKey(field);
    String reason = kebab(problem.message());
    if (alias != null && alias.unitKeys().contains(field)) {
      reason += ConnectionProperties.SIZE_KEYS.contains(field)
          ? " (in properties: a size such as 256MB, or a number of bytes)"
          : " (in properties: a duration such as 10s, 500ms or PT1M, or a number of seconds)";
    }
    return ConnectionProperties.PREFIX + "." + problem.alias() + "." + key + ": " + reason;
  }

  /** The library's messages name its map keys ({@code db_name}); properties spell them {@code db-name}. */
  static String kebab(String message) {
    Matcher m = SNAKE_KEY.matcher(message);
    return m.replaceAll(r -> ConnectionProperties.propertyKey(r.group(1)));
  }

}
