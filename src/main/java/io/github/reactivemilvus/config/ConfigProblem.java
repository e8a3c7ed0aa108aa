package io.github.reactivemilvus.config;

import java.util.Objects;

/**
 * One problem found in a connection config: the alias it belongs to (null when the config was
 * resolved on its own), the config key at fault, and a message. Messages never contain a secret
 * value: passwords and tokens are shown as {@code ***}.
 */
public final class ConfigProblem {
  private final String alias;
  private final String field;
  private final String message;

  public ConfigProblem(String alias, String field, String message) {
    this.alias = alias;
    this.field = Objects.requireNonNull(field, "field");
    this.message = Objects.requireNonNull(message, "message");
  }

  /** The alias of the config, or null when the config was not named. */
  public String alias() {
    return alias;
  }

  /** The config key at fault, in the snake-case spelling of the map keys ({@code uri}, {@code port}, ...). */
  public String field() {
    return field;
  }

  /** What is wrong, safe to log. */
  public String message() {
    return message;
  }

  ConfigProblem withAlias(String newAlias) {
    return new ConfigProblem(newAlias, field, message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigProblem p
        && Objects.equals(alias, p.alias) && field.equals(p.field) && message.equals(p.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(alias, field, message);
  }

  @Override
  public String toString() {
    return (alias == null ? "" : alias + ": ") + field + ": " + message;
  }
}
