package io.github.reactivemilvus.config;

import java.util.Map;
import java.util.Objects;

/**
 * A config under an alias, as fed to {@link io.github.reactivemilvus.ReactiveConnections#addConnections}. It may hold a
 * built {@link ConnectionConfig} or raw map keys; raw keys are resolved by the registry, so that a
 * batch can report every invalid alias at once instead of failing while the batch is assembled.
 * Immutable.
 */
public final class NamedConfig {
  private final String alias;
  private final ConnectionConfig config;
  private final Map<String, Object> raw;

  private NamedConfig(String alias, ConnectionConfig config, Map<String, Object> raw) {
    this.alias = alias;
    this.config = config;
    this.raw = raw;
  }

  /** An alias with a built config. The alias is checked when the registry takes it. */
  public static NamedConfig of(String alias, ConnectionConfig config) {
    return new NamedConfig(alias, Objects.requireNonNull(config, "config"), null);
  }

  /** An alias with pymilvus-style keys, resolved (and reported on) by the registry. */
  public static NamedConfig of(String alias, Map<String, ?> config) {
    Objects.requireNonNull(config, "config");
    // A raw copy: null or non-String keys (possible through raw types) are reported at resolve time.
    Map<Object, Object> copy = new java.util.LinkedHashMap<>();
    for (Map.Entry<?, ?> e : config.entrySet()) {
      copy.put(e.getKey(), e.getValue());
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> keys = (Map<String, Object>) (Map<?, ?>) java.util.Collections.unmodifiableMap(copy);
    return new NamedConfig(alias, null, keys);
  }

  public String alias() {
    return alias;
  }

  /**
   * Resolves the config: a built one is returned as is; raw keys go through every rule.
   *
   * @throws ConnectionConfigException naming this alias in every problem
   */
  public ConnectionConfig resolve() {
    return ConfigResolver.resolveNamed(alias, config, raw);
  }

  @Override
  public String toString() {
    return "NamedConfig{alias=" + alias + ", config=" + (config != null ? config : "<" + raw.size() + " keys>") + '}';
  }
}
