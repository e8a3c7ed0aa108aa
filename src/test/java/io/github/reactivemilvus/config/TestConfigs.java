package io.github.reactivemilvus.config;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers for config tests: maps that allow nulls, and the fields of a rejection. */
final class TestConfigs {
  private TestConfigs() {}

  /** A map from alternating keys and values; values may be null. */
  static Map<String, Object> cfg(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  static ConnectionConfig resolve(Object... keysAndValues) {
    return ConnectionConfig.fromMap(cfg(keysAndValues));
  }

  static ConnectionConfigException rejected(Object... keysAndValues) {
    ConnectionConfigException e = catchThrowableOfType(ConnectionConfigException.class,
        () -> ConnectionConfig.fromMap(cfg(keysAndValues)));
    if (e == null) {
      throw new AssertionError("expected a ConnectionConfigException for " + cfg(keysAndValues).keySet());
    }
    return e;
  }

  static List<String> fields(ConnectionConfigException e) {
    return e.problems().stream().map(ConfigProblem::field).toList();
  }

  /** Everything a user could see of a rejection: the message and every problem. */
  static String everythingShown(ConnectionConfigException e) {
    StringBuilder sb = new StringBuilder(e.getMessage()).append('\n').append(e);
    e.problems().forEach(p -> sb.append('\n').append(p).append('\n').append(p.message()));
    return sb.toString();
  }
}
