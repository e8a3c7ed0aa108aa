package io.github.reactivemilvus.config;

import java.time.Duration;
import java.util.Map;

/**
 * The environment variables that pymilvus users know, read the same way by the registry and the
 * command line: {@code MILVUS_URI} (the {@code default} alias's endpoint) and
 * {@code MILVUS_CONN_TIMEOUT} (the connect timeout, in seconds, of configs that give none).
 * Unset or blank variables mean {@code localhost:19530} and 10 s. An invalid value is a
 * {@link ConnectionConfigException} whose problem's field is the variable's name.
 */
public final class MilvusEnvironment {
  /** Name of the variable holding the {@code default} alias's URI. */
  public static final String MILVUS_URI = ConfigResolver.ENV_URI;
  /** Name of the variable holding the default connect timeout in seconds. */
  public static final String MILVUS_CONN_TIMEOUT = ConfigResolver.ENV_TIMEOUT;

  private MilvusEnvironment() {}

  /**
   * The default connect timeout: {@code MILVUS_CONN_TIMEOUT} seconds (a positive decimal such as
   * {@code 2.5}), or {@link ConnectionConfig#DEFAULT_TIMEOUT}.
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @throws ConnectionConfigException naming {@code MILVUS_CONN_TIMEOUT} when it is invalid
   */
  public static Duration connectTimeout(Map<String, String> env) {
    return ConfigResolver.connectTimeout(env);
  }

  /**
   * The config of the {@code default} alias: {@code MILVUS_URI} resolved like a {@code uri} key,
   * or {@code localhost:19530}.
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @throws ConnectionConfigException naming {@code MILVUS_URI} when it is invalid
   */
  public static ConnectionConfig defaultConfig(Map<String, String> env) {
    return ConfigResolver.defaultConfig(env);
  }

  /**
   * Both defaults at once, every invalid variable reported in one exception.
   *
   * @param env the environment, e.g. {@code System.getenv()}
   * @throws ConnectionConfigException with one problem per invalid variable, its field the variable name
   */
  public static Defaults read(Map<String, String> env) {
    ConfigResolver.EnvironmentDefaults d = ConfigResolver.environmentDefaults(env);
    return new Defaults(d.defaultConfig(), d.timeout());
  }

  /**
   * What the environment sets.
   *
   * @param defaultConfig the {@code default} alias's config
   * @param connectTimeout the connect timeout of configs that give none
   */
  public record Defaults(ConnectionConfig defaultConfig, Duration connectTimeout) {
    /** Both values of the environment; neither may be null. */
    public Defaults {
      java.util.Objects.requireNonNull(defaultConfig, "defaultConfig");
      java.util.Objects.requireNonNull(connectTimeout, "connectTimeout");
    }
  }
}
