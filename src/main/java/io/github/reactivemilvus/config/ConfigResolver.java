package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.ConfigKeys.CALL_TIMEOUT;
import static io.github.reactivemilvus.config.ConfigKeys.IDLE_TIMEOUT;
import static io.github.reactivemilvus.config.ConfigKeys.KEEP_ALIVE;
import static io.github.reactivemilvus.config.ConfigKeys.KEEP_ALIVE_TIME;
import static io.github.reactivemilvus.config.ConfigKeys.KEEP_ALIVE_TIMEOUT;
import static io.github.reactivemilvus.config.ConfigKeys.MAX_CONCURRENT_CALLS;
import static io.github.reactivemilvus.config.ConfigKeys.MAX_INBOUND_MESSAGE_SIZE;
import static io.github.reactivemilvus.config.ConfigKeys.MAX_PENDING_CALLS;
import static io.github.reactivemilvus.config.ConfigKeys.POOL_SIZE;
import static io.github.reactivemilvus.config.ConfigKeys.RETRY_INITIAL_BACKOFF;
import static io.github.reactivemilvus.config.ConfigKeys.RETRY_JITTER;
import static io.github.reactivemilvus.config.ConfigKeys.RETRY_KEYS;
import static io.github.reactivemilvus.config.ConfigKeys.RETRY_MAX_BACKOFF;
import static io.github.reactivemilvus.config.ConfigKeys.RETRY_MAX_RETRIES;
import static io.github.reactivemilvus.config.ConfigKeys.RETRY_MULTIPLIER;
import static io.github.reactivemilvus.config.ConfigKeys.RETRY_POLICY;
import static io.github.reactivemilvus.config.ConfigKeys.RETRY_WRITES;
import static io.github.reactivemilvus.config.ConfigKeys.TIMEOUT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

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
  static final int MAX_POOL_SIZE = 64;
  static final int MAX_RETRIES = 100;
  static final double MAX_MULTIPLIER = 100.0;

  private ConfigResolver() {}

  static ConnectionConfig resolveNamed(String alias, ConnectionConfig config, Map<String, Object> raw) {
    List<ConfigProblem> problems = new ArrayList<>();
    if (alias == null || alias.isBlank()) {
      problems.add(new ConfigProblem(alias, "alias", alias == null ? "is missing; an alias must be a non-blank string"
          : "is blank; an alias must be a non-blank string"));
    }
    ConnectionConfig resolved = config;
    if (resolved == null) {
      try {
        resolved = resolve(raw, alias);
      } catch (ConnectionConfigException e) {
        e.problems().forEach(p -> problems.add(p.withAlias(alias)));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConnectionConfigException(problems);
    }
    return resolved;
  }

  /**
   * Applies every rule to the raw keys.
   *
   * @param values raw keys (null keys and values of any type are tolerated)
   * @param alias the alias named in problems, or null
   * @throws ConnectionConfigException listing every problem
   */
  static ConnectionConfig resolve(Map<String, Object> values, String alias) {
    Map<String, Object> given = new LinkedHashMap<>();
    List<ConfigProblem> keyProblems = new ArrayList<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object key = e.getKey();
      if (!(key instanceof String name)) {
        keyProblems.add(new ConfigProblem(alias, "key", "a key is " + (key == null ? "null" : Values.article(key))
            + "; keys are strings: " + String.join(", ", ConfigKeys.ALL)));
      } else if (!ConfigKeys.ALL.contains(name)) {
        keyProblems.add(new ConfigProblem(alias, name, ConfigKeys.unknownKeyMessage(name)));
      } else if (!Values.isAbsent(e.getValue())) {
        given.put(name, e.getValue());
      }
    }
    ConfigInput in = new ConfigInput(given, alias);
    in.problems().addAll(keyProblems);
    ConnectionConfig.Resolved r = new ConnectionConfig.Resolved();

    UriParser.ParsedUri uri = EndpointRules.apply(in, r);
    CredentialRules.apply(in, r, uri);
    Object rawUri = given.get(ConfigKeys.URI);
    boolean https = uri != null ? uri.https() : rawUri instanceof String s && UriParser.isHttps(s);
    TlsRules.apply(in, r, https);
    applyConnectionSettings(in, r);

    if (!in.problems().isEmpty()) {
      throw new ConnectionConfigException(in.problems());
    }
    return new ConnectionConfig(r);
  }

  private static void applyConnectionSettings(ConfigInput in, ConnectionConfig.Resolved r) {
    r.timeout = in.get(TIMEOUT, Values::duration);
    r.keepAlive = orElse(in.get(KEEP_ALIVE, Values::bool), r.keepAlive);
    r.keepAliveTime = orElse(in.get(KEEP_ALIVE_TIME, Values::duration), r.keepAliveTime);
    r.keepAliveTimeout = orElse(in.get(KEEP_ALIVE_TIMEOUT, Values::duration), r.keepAliveTimeout);
    r.poolSize = orElse(in.get(POOL_SIZE, v -> Values.intIn(v, 1, MAX_POOL_SIZE, true)), r.poolSize);
    r.maxConcurrentCalls = orElse(
        in.get(MAX_CONCURRENT_CALLS, v -> Values.intIn(v, 1, Integer.MAX_VALUE, true)), r.maxConcurrentCalls);
    r.maxPendingCalls = orElse(
        in.get(MAX_PENDING_CALLS, v -> Values.intIn(v, 0, Integer.MAX_VALUE, true)), r.maxPendingCalls);
    r.maxInboundMessageSize = orElse(
        in.get(MAX_INBOUND_MESSAGE_SIZE, v -> Values.intIn(v, 1, Integer.MAX_VALUE, true)), r.maxInboundMessageSize);
    r.callTimeout = orElse(in.get(CALL_TIMEOUT, Values::duration), r.callTimeout);
    r.idleTimeout = orElse(in.get(IDLE_TIMEOUT, Values::duration), r.idleTimeout);
    r.retryPolicy = retryPolicy(in);
  }

  /**
   * {@code retry_policy} (a {@link RetryPolicy}) or the defaults, with any {@code retry_*} key
   * applied on top, so that a map can tune one setting without building a policy.
   */
  private static RetryPolicy retryPolicy(ConfigInput in) {
    RetryPolicy base = orElse(in.get(RETRY_POLICY, v -> {
      if (v instanceof RetryPolicy p) {
        return p;
      }
      throw new InvalidValue("must be a RetryPolicy (RetryPolicy.builder()...build()), got " + Values.article(v));
    }), RetryPolicy.defaults());
    if (RETRY_KEYS.stream().noneMatch(in::given)) {
      return base;
    }
    RetryPolicy.Builder b = base.mutate();
    Integer maxRetries = in.get(RETRY_MAX_RETRIES, v -> Values.intIn(v, 0, MAX_RETRIES, true));
    Duration initial = in.get(RETRY_INITIAL_BACKOFF, Values::duration);
    Duration max = in.get(RETRY_MAX_BACKOFF, Values::duration);
    Double multiplier = in.get(RETRY_MULTIPLIER, v -> Values.numberIn(v, 1.0, MAX_MULTIPLIER));
    Double jitter = in.get(RETRY_JITTER, v -> Values.numberIn(v, 0.0, 1.0));
    Boolean writes = in.get(RETRY_WRITES, Values::bool);
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
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // Unreachable with the checks above; kept so that a future RetryPolicy rule is reported, not thrown.
      in.problem(RETRY_POLICY, "is invalid: " + e.getMessage());
      return base;
    }
  }

  private static <T> void applyIfSet(T value, Function<T, RetryPolicy.Builder> setter) {
    if (value != null) {
      setter.apply(value);
    }
  }

  private static <T> T orElse(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /**
   * The map-key names of every setting in which {@code a} and {@code b} differ (the endpoint as
   * {@code host}, {@code port} or, for sockets, {@code uri}; the retry policy as its
   * {@code retry_*} keys). Never values: secrets are named only.
   */
  static List<String> differingFields(ConnectionConfig a, ConnectionConfig b) {
    List<String> out = new ArrayList<>();
    diff(out, "host", a.host, b.host);
    diff(out, "port", a.port, b.port);
    diff(out, ConfigKeys.URI, a.unixSocketPath, b.unixSocketPath);
    if (out.isEmpty() && !a.endpoints.equals(b.endpoints)) {
      out.add(ConfigKeys.ADDRESS); // same first endpoint, other proxies
    }
    diff(out, "user", a.user, b.user);
    diff(out, "password", a.password, b.password);
    diff(out, "token", a.token, b.token);
    diff(out, "db_name", a.dbName, b.dbName);
    diff(out, "secure", a.secure, b.secure);
    diff(out, "server_pem_path", a.serverPemPath, b.serverPemPath);
    diff(out, "client_pem_path", a.clientPemPath, b.clientPemPath);
    diff(out, "client_key_path", a.clientKeyPath, b.clientKeyPath);
    diff(out, "ca_pem_path", a.caPemPath, b.caPemPath);
    diff(out, "server_name", a.serverName, b.serverName);
    diff(out, TIMEOUT, a.timeout, b.timeout);
    diff(out, KEEP_ALIVE, a.keepAlive, b.keepAlive);
    diff(out, KEEP_ALIVE_TIME, a.keepAliveTime, b.keepAliveTime);
    diff(out, KEEP_ALIVE_TIMEOUT, a.keepAliveTimeout, b.keepAliveTimeout);
    diff(out, POOL_SIZE, a.poolSize, b.poolSize);
    diff(out, MAX_CONCURRENT_CALLS, a.maxConcurrentCalls, b.maxConcurrentCalls);
    diff(out, MAX_PENDING_CALLS, a.maxPendingCalls, b.maxPendingCalls);
    diff(out, CALL_TIMEOUT, a.callTimeout, b.callTimeout);
    diff(out, MAX_INBOUND_MESSAGE_SIZE, a.maxInboundMessageSize, b.maxInboundMessageSize);
    diff(out, IDLE_TIMEOUT, a.idleTimeout, b.idleTimeout);
    RetryPolicy p = a.retryPolicy;
    RetryPolicy q = b.retryPolicy;
    diff(out, RETRY_MAX_RETRIES, p.maxRetries(), q.maxRetries());
    diff(out, RETRY_INITIAL_BACKOFF, p.initialBackoff(), q.initialBackoff());
    diff(out, RETRY_MAX_BACKOFF, p.maxBackoff(), q.maxBackoff());
    diff(out, RETRY_MULTIPLIER, Double.compare(p.multiplier(), q.multiplier()), 0);
    diff(out, RETRY_JITTER, Double.compare(p.jitter(), q.jitter()), 0);
    diff(out, RETRY_WRITES, p.retryWrites(), q.retryWrites());
    return out;
  }

  private static void diff(List<String> out, String key, Object x, Object y) {
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
    return new EnvironmentDefaults(config, timeout);
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
    Map<String, Object> keys = new LinkedHashMap<>();
    if (uri != null && !uri.isBlank()) {
      keys.put(ConfigKeys.URI, uri);
    }
    try {
      return resolve(keys, DEFAULT_ALIAS);
    } catch (ConnectionConfigException e) {
      // Every problem of MILVUS_URI (bad scheme, password without user...) is the variable's.
      throw new ConnectionConfigException(e.problems().stream()
          .map(p -> new ConfigProblem(DEFAULT_ALIAS, ENV_URI,
              (p.field().equals(ConfigKeys.URI) ? "" : p.field() + " from the URI ") + p.message()))
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
