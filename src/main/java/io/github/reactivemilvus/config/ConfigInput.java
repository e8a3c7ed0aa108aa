package io.github.reactivemilvus.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The known keys of one config that were given a value, and the problems found so far. Reading a
 * key converts its value; a value that cannot be converted becomes a problem for that key and
 * reads as null, so that resolution goes on and every problem is reported at once.
 */
final class ConfigInput {
  /** A conversion of one raw value. */
  @FunctionalInterface
  interface Conversion<T> {
    T apply(Object raw) throws InvalidValue;
  }

  private final Map<String, Object> given;
  private final String alias;
  private final List<ConfigProblem> problems = new ArrayList<>();

  ConfigInput(Map<String, Object> given, String alias) {
    this.given = given;
    this.alias = alias;
  }

  /** Whether the key was given a value (valid or not). */
  boolean given(String key) {
    return given.containsKey(key);
  }

  /** The converted value of a key; null when not given or invalid (then a problem is recorded). */
  <T> T get(String key, Conversion<T> conversion) {
    Object raw = given.get(key);
    if (raw == null) {
      return null;
    }
    try {
      return conversion.apply(raw);
    } catch (InvalidValue e) {
      problem(key, e.getMessage());
    } catch (RuntimeException e) {
      // A caller-made value type (a CharSequence, Number or Path of its own) misbehaved.
      problem(key, "cannot be used: reading " + Values.article(raw) + " failed");
    }
    return null;
  }

  void problem(String field, String message) {
    problems.add(new ConfigProblem(alias, field, message));
  }

  boolean hasProblem(String field) {
    return problems.stream().anyMatch(p -> p.field().equals(field));
  }

  List<ConfigProblem> problems() {
    return problems;
  }
}
