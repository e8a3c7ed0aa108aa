package io.github.reactivemilvus.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One problem found in a connection config: the alias it belongs to (null when the config was
 * resolved on its own), the config key at fault, and a message. Messages never contain a secret
 * value: passwords and tokens are shown as {@code ***}.
 */
public final class ConfigProblem {
  private final @Nullable String alias;
  private final String field;
  private final String message;

  /**
   * A problem of a config key.
   *
   * @param alias the config's alias, or null when it was resolved on its own
   * @param field the key at fault (or {@code alias}, {@code key}, {@code input}, an environment variable)
   * @param message what is wrong; it must not contain a secret
   */
  public ConfigProblem(@Nullable String alias, String field, String message) {
    this.alias = alias;
    this.field = Objects.requireNonNull(field, "field");
    this.message = Objects.requireNonNull(message, "message");
  }

  /** The alias of the config, or null when the config was not named. */
  public @Nullable String alias() {
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

  ConfigProblem withAlias(@Nullable String newAlias) {
    return new ConfigProblem(newAlias, field, message);
  }

  /** Equal when alias, field and message are. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ConfigProblem p
        && Objects.equals(alias, p.alias) && field.equals(p.field) && message.equals(p.message);
  }

  /** A hash of alias, field and message. */
  @Override
  public int hashCode() {
    return Objects.hash(alias, field, message);
  }

  /** {@code alias: field: message}, or {@code field: message} without an alias. */
  @Override
  public String toString() {
    return (alias == null ? "" : alias + ": ") + field + ": " + message;
  }
}
