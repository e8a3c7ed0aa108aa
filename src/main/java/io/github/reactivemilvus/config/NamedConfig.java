package io.github.reactivemilvus.config;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A config under an alias, as fed to {@link io.github.reactivemilvus.ReactiveConnections#addConnections}. It may hold a
 * built {@link ConnectionConfig} or raw map keys; raw keys are resolved by the registry, so that a
 * batch can report every invalid alias at once instead of failing while the batch is assembled.
 * Immutable.
 */
public final class NamedConfig {
  private final @Nullable String alias;
  private final @Nullable ConnectionConfig config;
  private final @Nullable GivenKeys raw;

  private NamedConfig(@Nullable String alias, @Nullable ConnectionConfig config, @Nullable GivenKeys raw) {
    this.alias = alias;
    this.config = config;
    this.raw = raw;
  }

  /**
   * An alias with a built config. The alias is checked when the registry takes it (a null or
   * blank alias is a problem then, not an exception here).
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static NamedConfig of(@Nullable String alias, ConnectionConfig config) {
    return new NamedConfig(alias, Objects.requireNonNull(config, "config"), null);
  }

  /**
   * An alias with pymilvus-style keys (those of {@link Setting#all()}), resolved and reported on
   * by the registry. The map is copied; later changes to it are not seen.
   *
   * @throws NullPointerException if {@code config} is null
   */
  public static NamedConfig of(@Nullable String alias, Map<String, ?> config) {
    Objects.requireNonNull(config, "config");
    // Null or non-String keys (possible through raw types) are kept and reported at resolve time.
    return new NamedConfig(alias, null, GivenKeys.of(config));
  }

  /** The alias as given; may be null or blank, which {@link #resolve()} reports. */
  public @Nullable String alias() {
    return alias;
  }

  /**
   * Resolves the config on the calling thread: a built one is returned as is; raw keys go through
   * every rule.
   *
   * @throws ConnectionConfigException naming this alias in every problem
   */
  public ConnectionConfig resolve() {
    return ConfigResolver.resolveNamed(alias, config, raw);
  }

  /** The alias and the config ({@code <n keys>} for raw keys, whose values are not shown). */
  @Override
  public String toString() {
    return "NamedConfig{alias=" + alias + ", config=" + (config != null ? config : "<" + (raw != null ? raw.size() : 0) + " keys>") + '}';
  }
}
