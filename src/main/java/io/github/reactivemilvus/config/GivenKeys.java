package io.github.reactivemilvus.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The keys a config was given, before resolution: values of accepted keys in a slot per
 * {@link Setting} (typed setters store typed values there, map input stores what it got), and
 * everything else (unknown, null or non-String keys, possible through raw types) in input order,
 * to be reported as problems at resolve time. Mutable, not thread-safe.
 */
final class GivenKeys {
  private final Object[] known = new Object[Setting.all().size()];
  private final Map<Object, Object> unknown = new LinkedHashMap<>();

  /** Stores a value under a map key of any kind; the last value of a key wins. */
  void put(@Nullable Object key, @Nullable Object value) {
    Optional<Setting<?>> s = key instanceof String k ? Setting.forKey(k) : Optional.empty();
    if (s.isPresent()) {
      known[s.get().index()] = value;
    } else {
      unknown.put(key, value);
    }
  }

  <T> void set(Setting<T> setting, @Nullable T value) {
    known[setting.index()] = value;
  }

  /** The raw value of a setting, or null when it was not given. */
  @Nullable Object raw(Setting<?> setting) {
    return known[setting.index()];
  }

  /** Keys that are not accepted (unknown names, null or non-String keys), in input order. */
  Map<Object, Object> unknown() {
    return Collections.unmodifiableMap(unknown);
  }

  /** How many keys were given a value. */
  int size() {
    int n = unknown.size();
    for (Object v : known) {
      n += v != null ? 1 : 0;
    }
    return n;
  }

  static GivenKeys of(Map<?, ?> map) {
    GivenKeys g = new GivenKeys();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      g.put(e.getKey(), e.getValue());
    }
    return g;
  }
}
