package io.github.reactivemilvus.config;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The keys of one config that were given a value, and the problems found so far. Reading a
 * setting converts its value with the setting's own rule; a value that cannot be converted becomes
 * a problem for that key and reads as null, so that resolution goes on and every problem is
 * reported at once.
 */
final class ConfigInput {
  /** A conversion of one raw value. */
  @FunctionalInterface
  interface Conversion<T> {
    T apply(Object raw) throws InvalidValue;
  }

  /** A further check or parse of a setting's typed value (a URI parsed, a host name checked). */
  @FunctionalInterface
  interface Refinement<T, R> {
    R apply(T value) throws InvalidValue;
  }

  private final GivenKeys given;
  private final @Nullable String alias;
  private final List<ConfigProblem> problems = new ArrayList<>();

  ConfigInput(GivenKeys given, @Nullable String alias) {
    this.given = given;
    this.alias = alias;
  }

  /** Whether the key was given a value (valid or not); null and "" mean not given. */
  boolean given(Setting<?> setting) {
    return !Values.isAbsent(given.raw(setting));
  }

  /** The checked value of a setting; null when not given or invalid (then a problem is recorded). */
  <T> @Nullable T get(Setting<T> setting) {
    return get(setting, v -> v);
  }

  /** The checked value of a setting, refined further; null when not given or invalid. */
  <T, R> @Nullable R get(Setting<T> setting, Refinement<T, R> refinement) {
    Object raw = given.raw(setting);
    if (raw == null || Values.isAbsent(raw)) {
      return null;
    }
    try {
      return refinement.apply(setting.convert(raw));
    } catch (InvalidValue e) {
      problem(setting, e.getMessage());
    } catch (RuntimeException e) {
      // A caller-made value type (a CharSequence, Number or Path of its own) misbehaved.
      problem(setting, "cannot be used: reading " + Values.article(raw) + " failed");
    }
    return null;
  }

  void problem(Setting<?> setting, String message) {
    problem(setting.key(), message);
  }

  void problem(String field, String message) {
    problems.add(new ConfigProblem(alias, field, message));
  }

  boolean hasProblem(Setting<?> setting) {
    return problems.stream().anyMatch(p -> p.field().equals(setting.key()));
  }

  List<ConfigProblem> problems() {
    return problems;
  }
}
