package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.Setting.ADDRESS;
import static io.github.reactivemilvus.config.Setting.HOST;
import static io.github.reactivemilvus.config.Setting.PORT;
import static io.github.reactivemilvus.config.Setting.RETRY_BUDGET_MAX_TOKENS;
import static io.github.reactivemilvus.config.Setting.RETRY_BUDGET_TOKEN_RATIO;
import static io.github.reactivemilvus.config.Setting.RETRY_INITIAL_BACKOFF;
import static io.github.reactivemilvus.config.Setting.RETRY_JITTER;
import static io.github.reactivemilvus.config.Setting.RETRY_MAX_BACKOFF;
import static io.github.reactivemilvus.config.Setting.RETRY_MAX_RETRIES;
import static io.github.reactivemilvus.config.Setting.RETRY_MULTIPLIER;
import static io.github.reactivemilvus.config.Setting.RETRY_POLICY;
import static io.github.reactivemilvus.config.Setting.RETRY_WRITES;
import static io.github.reactivemilvus.config.Setting.URI;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Resolves raw config keys into a {@link ConnectionConfig} (SPEC §2-3), collecting every problem
 * into one {@link ConnectionConfigException}. Whatever the keys and value types, nothing else is
 * thrown. Endpoint, credential and TLS rules live in {@link EndpointRules},
 * {@link CredentialRules} and {@link TlsRules}; the Java-only settings are read here.
 */
final class ConfigResolver {
  static final String ENV_URI = "MILVUS_URI";
  static final String ENV_TIMEOUT = "MILVUS_CONN_TIMEOUT";
  static final String DEFAULT_ALIAS = "default";
  private static final List<Setting<?>> RETRY_KEYS = Setting.all().stream()
      .filter(s -> s.resolution() == Setting.Resolution.RETRY_PART).toList();

  private ConfigResolver() {}

  static ConnectionConfig resolveNamed(@Nullable String alias, @Nullable ConnectionConfig config, @Nullable GivenKeys raw) {
    List<ConfigProblem> problems = new ArrayList<>();
    if (alias == null || alias.isBlank()) {
      problems.add(new ConfigProblem(alias, "alias", alias == null ? "is missing; an alias must be a non-blank string"
          : "is blank; an alias must be a non-blank string"));
    }
    ConnectionConfig resolved = config;
    if (resolved == null) {
      try {
        resolved = resolve(Objects.requireNonNull(raw, "a NamedConfig holds a config or raw keys"), alias);
      } catch (ConnectionConfigException e) {
        e.problems().forEach(p -> problems.add(p.withAlias(alias)));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConnectionConfigException(problems);
    }
    return Objects.requireNonNull(resolved); // no problem: resolved
  }

  /**
   * Applies every rule to the given keys.
   *
   * @param given raw keys (unknown or null keys and values of any type are tolerated)
   * @param alias the alias named in problems, or null
   * @throws ConnectionConfigException listing every problem
   */
  static ConnectionConfig resolve(GivenKeys given, @Nullable String alias) {
    List<ConfigProblem> keyProblems = new ArrayList<>();
    for (Object key : given.unknown().keySet()) {
      if (!(key instanceof String name)) {
        keyProblems.add(new ConfigProblem(alias, "key", "a key is " + (key == null ? "null" : Values.article(key))
            + "; keys are strings: " + String.join(", ", ConfigKeys.ALL)));
      } else {
        keyProblems.add(new ConfigProblem(alias, name, ConfigKeys.unknownKeyMessage(name)));
      }
    }
    ConfigInput in = new ConfigInput(given, alias);
    in.problems().addAll(keyProblems);
    ConnectionConfig.Resolved r = new ConnectionConfig.Resolved();

    UriParser.ParsedUri uri = EndpointRules.apply(in, r);
    CredentialRules.apply(in, r, uri);
    Object rawUri = given.raw(URI);
    boolean https = uri != null ? uri.https() : rawUri instanceof String s && UriParser.isHttps(s);
    TlsRules.apply(in, r, https);
    for (Setting<?> s : Setting.all()) {
      if (s.resolution() == Setting.Resolution.DIRECT) {
        applyDirect(in, r, s);
      }
    }
    r.set(RETRY_POLICY, retryPolicy(in));

    if (!in.problems().isEmpty()) {
      throw new ConnectionConfigException(in.problems());
    }
    return new ConnectionConfig(r);
  }

  /** A setting that needs no other key: its checked value, or (not given or invalid) its default. */
  private static <T> void applyDirect(ConfigInput in, ConnectionConfig.Resolved r, Setting<T> s) {
    T value = in.get(s);
    if (value != null) {
      r.set(s, value);
    }
  }

  /**
   * {@code retry_policy} (a {@link RetryPolicy}) or the defaults, with any {@code retry_*} key
   * applied on top, so that a map can tune one setting without building a policy.
   */
  private static RetryPolicy retryPolicy(ConfigInput in) {
    RetryPolicy base = orElse(in.get(RETRY_POLICY), Objects.requireNonNull(RETRY_POLICY.defaultValue()));
    if (RETRY_KEYS.stream().noneMatch(in::given)) {
      return base;
    }
    RetryPolicy.Builder b = base.mutate();
    Integer maxRetries = in.get(RETRY_MAX_RETRIES);
    Duration initial = in.get(RETRY_INITIAL_BACKOFF);
    Duration max = in.get(RETRY_MAX_BACKOFF);
    Double multiplier = in.get(RETRY_MULTIPLIER);
    Double jitter = in.get(RETRY_JITTER);
    Boolean writes = in.get(RETRY_WRITES);
    Integer budgetTokens = in.get(RETRY_BUDGET_MAX_TOKENS);
    Double budgetRatio = in.get(RETRY_BUDGET_TOKEN_RATIO);
    if (RETRY_KEYS.stream().anyMatch(in::hasProblem)) {
      return base;
    }
    Duration effectiveInitial = orElse(initial, base.initialBackoff());
    Duration effectiveMax = orElse(max, base.maxBackoff());
    if (effectiveMax.compareTo(effectiveInitial) < 0) {
      in.problem(max != null ? RETRY_MAX_BACKOFF : RETRY_INITIAL_BACKOFF, "makes the max backoff (" + effectiveMax
          + ") shorter than the initial backoff (" + effectiveInitial + ")");
      return base;
    }
    applyIfSet(maxRetries, b::maxRetries);
    applyIfSet(initial, b::initialBackoff);
    applyIfSet(max, b::maxBackoff);
    applyIfSet(multiplier, b::multiplier);
    applyIfSet(jitter, b::jitter);
    applyIfSet(writes, b::retryWrites);
    if (budgetTokens != null || budgetRatio != null) {
      b.retryBudget(orElse(budgetTokens, base.budgetMaxTokens()), orElse(budgetRatio, base.budgetTokenRatio()));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // Unreachable with the checks above; kept so that a future RetryPolicy rule is reported, not thrown.
      in.problem(RETRY_POLICY, "is invalid: " + e.getMessage());
      return base;
    }
  }

  private static <T> void applyIfSet(@Nullable T value, Function<T, RetryPolicy.Builder> setter) {
    if (value != null) {
      setter.apply(value);
    }
  }

  private static <T> T orElse(@Nullable T value, T fallback) {
    return value != null ? value : fallback;
  }

  /**
   * The map-key names of every setting in which {@code a} and {@code b} differ (the endpoint as
   * {@code host}, {@code port} or, for sockets, {@code uri}; the retry policy as its
   * {@code retry_*} keys). Never values: secrets are named only.
   */
  static List<String> differingFields(ConnectionConfig a, ConnectionConfig b) {
    List<String> out = new ArrayList<>();
    for (Setting<?> s : Setting.all()) {
      // The endpoint forms show as host and port (and a socket path as uri, after them); the
      // retry policy as its retry_* parts.
      if (s.resolution() != Setting.Resolution.ENDPOINT_FORM && s != RETRY_POLICY) {
        diff(out, s.key(), a.get(s), b.get(s));
      }
      if (s == PORT) {
        diff(out, URI.key(), a.unixSocketPath(), b.unixSocketPath());
      }
    }
    if (!out.contains(HOST.key()) && !out.contains(PORT.key()) && !out.contains(URI.key())
        && !a.addresses().equals(b.addresses())) {
      out.add(0, ADDRESS.key()); // the same first endpoint, other proxies
    }
    return out;
  }

  private static void diff(List<String> out, String key, @Nullable Object x, @Nullable Object y) {
    if (!Objects.equals(x, y)) {
      out.add(key);
    }
  }

  /**
   * The registry's defaults from the environment: {@code MILVUS_URI} for the {@code default}
   * alias and {@code MILVUS_CONN_TIMEOUT} for the connect timeout. Unset or blank variables mean
   * {@code localhost:19530} and 10 s.
   *
   * @throws ConnectionConfigException with one problem per invalid variable, its field the variable name
   */
  static EnvironmentDefaults environmentDefaults(Map<String, String> env) {
    List<ConfigProblem> problems = new ArrayList<>();
    Duration timeout = ConnectionConfig.DEFAULT_TIMEOUT;
    ConnectionConfig config = null;
    try {
      timeout = connectTimeout(env);
    } catch (ConnectionConfigException e) {
      problems.addAll(e.problems());
    }
    try {
      config = defaultConfig(env);
    } catch (ConnectionConfigException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new ConnectionConfigException(problems);
    }
    return new EnvironmentDefaults(Objects.requireNonNull(config), timeout);
  }

  /** {@code MILVUS_CONN_TIMEOUT} (positive seconds), or 10 s when unset or blank. */
  static Duration connectTimeout(Map<String, String> env) {
    String t = env.get(ENV_TIMEOUT);
    if (t == null || t.isBlank()) {
      return ConnectionConfig.DEFAULT_TIMEOUT;
    }
    try {
      return Values.duration(t);
    } catch (InvalidValue e) {
      throw new ConnectionConfigException(List.of(new ConfigProblem(null, ENV_TIMEOUT, e.getMessage())));
    }
  }

  /** The {@code default} alias's config: {@code MILVUS_URI}, or {@code localhost:19530} when unset or blank. */
  static ConnectionConfig defaultConfig(Map<String, String> env) {
    String uri = env.get(ENV_URI);
    GivenKeys keys = new GivenKeys();
    if (uri != null && !uri.isBlank()) {
      keys.set(URI, uri);
    }
    try {
      return resolve(keys, DEFAULT_ALIAS);
    } catch (ConnectionConfigException e) {
      // Every problem of MILVUS_URI (bad scheme, password without user...) is the variable's.
      throw new ConnectionConfigException(e.problems().stream()
          .map(p -> new ConfigProblem(DEFAULT_ALIAS, ENV_URI,
              (p.field().equals(URI.key()) ? "" : p.field() + " from the URI ") + p.message()))
          .toList());
    }
  }

  /**
   * What the environment says.
   *
   * @param defaultConfig the config of the {@code default} alias
   * @param timeout the connect timeout of configs that give none
   */
  record EnvironmentDefaults(ConnectionConfig defaultConfig, Duration timeout) {}
}
