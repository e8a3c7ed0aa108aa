package io.github.reactivemilvus.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One config key, declared once: its map name, the Java type of its typed value, its default, the
 * rule that checks a raw value, and the line that documents it. The constants of this class are the
 * whole catalogue of accepted keys ({@link #all()}, in documentation order); they drive the map keys
 * of {@link ConnectionConfig#fromMap} and {@link NamedConfig#of(String, Map)} (with the same typo
 * suggestions), the typed builder ({@link ConnectionConfig.Builder#set}), the resolved config
 * ({@link ConnectionConfig#get}) and {@code docs/configuration.md}.
 *
 * <p>A setting checks a single value (its type and range). Rules between keys (one endpoint form,
 * credentials, TLS) are applied when the whole config is resolved. Instances are immutable and
 * compared by identity; there is exactly one per key.
 *
 * @param <T> the type of the typed value ({@code Integer}, {@code Duration}, {@code Path}, ...)
 */
public final class Setting<T> {
  /** How the resolver turns the given value into the resolved one (package-private detail). */
  enum Resolution {
    /** Converted and checked on its own, or the default: nothing else is involved. */
    DIRECT,
    /** Resolved together with other keys by a rule class (endpoint, credentials, TLS, retry). */
    RULE,
    /** Names the endpoint; the resolved config keeps the normalized address, not the key. */
    ENDPOINT_FORM,
    /** One value of the resolved {@link RetryPolicy}, applied on top of {@code retry_policy}. */
    RETRY_PART
  }

  private static final List<Setting<?>> REGISTRY = new ArrayList<>();

  private static final String DURATION = "duration";
  private static final String SECONDS_OR_DURATION = "seconds (number or decimal string) or `Duration`";
  private static final String PATH = "string, `Path` or `File`";

  /** {@code uri}: {@code http://}, {@code https://}, {@code tcp://}, {@code grpc://} or {@code unix:} URI. */
  public static final Setting<String> URI = new Setting<String>("uri", String.class, null, "–", "string",
      "`http://`, `https://`, `tcp://`, `grpc://` or `unix:` URI; see [URIs](#uris); several proxies of"
          + " one cluster as `http://h1:19530,h2:19530/db`")
      .resolvedAs(Resolution.ENDPOINT_FORM).convertedBy(Values::string);
  /** {@code address}: {@code host:port} or {@code [ipv6]:port}, or several of them comma separated. */
  public static final Setting<String> ADDRESS = new Setting<String>("address", String.class, null, "–", "string",
      "`host:port` or `[ipv6]:port`; the port is required; several proxies of one cluster comma separated"
          + " (`h1:19530,h2:19530`), calls spread round-robin")
      .resolvedAs(Resolution.ENDPOINT_FORM).convertedBy(Values::string);
  /** {@code host}: a host name or IP literal. */
  public static final Setting<String> HOST = new Setting<String>("host", String.class, "localhost", "`localhost`",
      "string", "a host name, an IPv4 literal or an IPv6 literal (bare `::1` or bracketed `[::1]`)")
      .convertedBy(Values::string);
  /** {@code port}: the TCP port, 1-65535. */
  public static final Setting<Integer> PORT = new Setting<Integer>("port", Integer.class, 19530, "`19530`",
      "integer, or a decimal string", "1–65535; any integral number type (`19530`, `19530L`, `19530.0`, "
      + "`BigInteger`) or digits (`\"19530\"`, surrounding white space trimmed)")
      .convertedBy(Values::port);
  /** {@code user}: the user name. */
  public static final Setting<String> USER = new Setting<String>("user", String.class, null, "–", "string",
      "user name; sent with `password` as `authorization: base64(user:password)`; with `token` it is only"
      + " reported to the server")
      .convertedBy(Values::string);
  /** {@code password}: the user's password (secret). */
  public static final Setting<String> PASSWORD = new Setting<String>("password", String.class, null, "–", "string",
      "the user's password (secret)")
      .secret().convertedBy(Values::secret);
  /** {@code token}: an API key or {@code user:password} (secret). */
  public static final Setting<String> TOKEN = new Setting<String>("token", String.class, null, "–", "string",
      "API key or `user:password`, sent as `authorization: base64(token)` (secret)")
      .secret().convertedBy(Values::secret);
  /** {@code db_name}: the database sent with every call. */
  public static final Setting<String> DB_NAME = new Setting<String>("db_name", String.class, null, "server default",
      "string", "database sent as the `dbname` header on every call")
      .convertedBy(Values::string);
  /** {@code secure}: TLS on or off. */
  public static final Setting<Boolean> SECURE = new Setting<Boolean>("secure", Boolean.class, false,
      "`false` (`true` for `https`)", "boolean, or `\"true\"`/`\"false\"`", "TLS on or off")
      .convertedBy(Values::bool);
  /** {@code server_pem_path}: one-way TLS trusting this certificate file. */
  public static final Setting<Path> SERVER_PEM_PATH = new Setting<Path>("server_pem_path", Path.class, null, "–",
      PATH, "one-way TLS trusting this certificate file")
      .convertedBy(Values::path);
  /** {@code client_pem_path}: the client certificate of mutual TLS. */
  public static final Setting<Path> CLIENT_PEM_PATH = new Setting<Path>("client_pem_path", Path.class, null, "–",
      PATH, "mutual TLS: the client certificate; with `client_key_path` and `ca_pem_path`")
      .convertedBy(Values::path);
  /** {@code client_key_path}: the client's PKCS#8 private key of mutual TLS. */
  public static final Setting<Path> CLIENT_KEY_PATH = new Setting<Path>("client_key_path", Path.class, null, "–",
      PATH, "mutual TLS: the client's private key (PKCS#8); with `client_pem_path` and `ca_pem_path`")
      .convertedBy(Values::path);
  /** {@code ca_pem_path}: the root certificate mutual TLS trusts. */
  public static final Setting<Path> CA_PEM_PATH = new Setting<Path>("ca_pem_path", Path.class, null, "–",
      PATH, "mutual TLS: the trusted root certificate; with `client_pem_path` and `client_key_path`")
      .convertedBy(Values::path);
  /** {@code server_name}: TLS authority / SNI override. */
  public static final Setting<String> SERVER_NAME = new Setting<String>("server_name", String.class, null, "–",
      "string", "TLS authority / SNI override; a host name or IP literal")
      .convertedBy(Values::string);
  /** {@code timeout}: bound on the whole connect. Without it the registry's default applies. */
  public static final Setting<Duration> TIMEOUT = new Setting<Duration>("timeout", Duration.class, null,
      "`MILVUS_CONN_TIMEOUT`, else 10 s", SECONDS_OR_DURATION,
      "bound on the whole connect: readiness, handshake and retries")
      .resolvedAs(Resolution.DIRECT).convertedBy(Values::duration);
  /** {@code keep_alive}: HTTP/2 keepalive pings while calls are open. */
  public static final Setting<Boolean> KEEP_ALIVE = new Setting<Boolean>("keep_alive", Boolean.class, true, "`true`",
      "boolean", "HTTP/2 keepalive pings while calls are open (never on a connection without calls)")
      .resolvedAs(Resolution.DIRECT).convertedBy(Values::bool);

  /** {@code pool_size}: channels (HTTP/2 connections) per endpoint, 1-64. */
  public static final Setting<Integer> POOL_SIZE = javaOnly(new Setting<Integer>("pool_size", Integer.class, 1, "1",
      "integer 1–64", "channels (HTTP/2 connections) per endpoint"))
      .resolvedAs(Resolution.DIRECT).convertedBy(v -> Values.intIn(v, 1, 64, true));
  /** {@code max_concurrent_calls}: calls in flight per alias. */
  public static final Setting<Integer> MAX_CONCURRENT_CALLS = javaOnly(new Setting<Integer>("max_concurrent_calls",
      Integer.class, 256, "256", "integer ≥ 1", "calls in flight per alias"))
      .resolvedAs(Resolution.DIRECT).convertedBy(v -> Values.intIn(v, 1, Integer.MAX_VALUE, true));
  /** {@code max_pending_calls}: calls waiting for a permit per alias. */
  public static final Setting<Integer> MAX_PENDING_CALLS = javaOnly(new Setting<Integer>("max_pending_calls",
      Integer.class, 1024, "1024", "integer ≥ 0",
      "calls waiting for a permit per alias; beyond that a call fails at once"))
      .resolvedAs(Resolution.DIRECT).convertedBy(v -> Values.intIn(v, 0, Integer.MAX_VALUE, true));
  /** {@code call_timeout}: the default deadline of each call. */
  public static final Setting<Duration> CALL_TIMEOUT = javaOnly(new Setting<Duration>("call_timeout", Duration.class,
      Duration.ofSeconds(30), "30 s", DURATION, "default deadline of each call"))
      .resolvedAs(Resolution.DIRECT).convertedBy(Values::duration);
  /**
   * {@code keep_alive_time}: the keepalive ping interval while calls are open, at least 10 s. 20 s by
   * default: gRPC's C-core servers (Milvus Lite) send a connection away at the fourth ping without
   * data from them in between, which at 20 s is a call silent for a minute, twice the default
   * {@code call_timeout}.
   */
  public static final Setting<Duration> KEEP_ALIVE_TIME = javaOnly(new Setting<Duration>("keep_alive_time",
      Duration.class, Duration.ofSeconds(20), "20 s", "duration ≥ 10 s",
      "keepalive ping interval while calls are open (grpc-java never pings more often than every 10 s)"))
      .resolvedAs(Resolution.DIRECT).convertedBy(v -> Values.durationAtLeast(v, Duration.ofSeconds(10), "10 s",
          "grpc-java never pings more often"));
  /** {@code keep_alive_timeout}: how long a keepalive ping may wait for its answer, at least 10 ms. */
  public static final Setting<Duration> KEEP_ALIVE_TIMEOUT = javaOnly(new Setting<Duration>("keep_alive_timeout",
      Duration.class, Duration.ofSeconds(5), "5 s", "duration ≥ 10 ms",
      "keepalive ack timeout; without an ack in time the connection is closed"))
      .resolvedAs(Resolution.DIRECT).convertedBy(v -> Values.durationAtLeast(v, Duration.ofMillis(10), "10 ms",
          "grpc-java waits at least that long"));
  /** {@code max_inbound_message_size}: the largest response message in bytes. */
  public static final Setting<Integer> MAX_INBOUND_MESSAGE_SIZE = javaOnly(new Setting<Integer>(
      "max_inbound_message_size", Integer.class, 256 * 1024 * 1024, "256 MiB", "integer ≥ 1",
      "largest response message, in bytes"))
      .resolvedAs(Resolution.DIRECT).convertedBy(v -> Values.intIn(v, 1, Integer.MAX_VALUE, true));
  /** {@code idle_timeout}: idle channels are released after this. */
  public static final Setting<Duration> IDLE_TIMEOUT = javaOnly(new Setting<Duration>("idle_timeout", Duration.class,
      Duration.ofHours(24), "24 h", DURATION, "idle channels are released after this"))
      .resolvedAs(Resolution.DIRECT).convertedBy(Values::duration);
  /**
   * {@code max_connection_age}: a pool channel older than this is replaced by a new one, ready
   * first, while the old one finishes its calls; none by default.
   */
  public static final Setting<Duration> MAX_CONNECTION_AGE = javaOnly(new Setting<Duration>("max_connection_age",
      Duration.class, null, "never", "duration ≥ 1 s",
      "a pool channel older than this is replaced by a new one, ready first; the old one finishes its calls"
          + " (rebalances connections behind an L4 load balancer)"))
      .resolvedAs(Resolution.DIRECT).convertedBy(v -> Values.durationAtLeast(v, Duration.ofSeconds(1), "1 s",
          "a channel needs time to connect"));
  /** {@code max_connection_age_jitter}: each channel's age is drawn within plus or minus this fraction, 0-1. */
  public static final Setting<Double> MAX_CONNECTION_AGE_JITTER = javaOnly(new Setting<Double>(
      "max_connection_age_jitter", Double.class, 0.1, "0.1", "number 0–1",
      "each channel's `max_connection_age` is drawn within ± this fraction, so the pool's channels are not replaced"
          + " together"))
      .resolvedAs(Resolution.DIRECT).convertedBy(v -> Values.numberIn(v, 0.0, 1.0));
  /** {@code retry_policy}: a built {@link RetryPolicy}; the {@code retry_*} keys apply on top of it. */
  public static final Setting<RetryPolicy> RETRY_POLICY = javaOnly(new Setting<RetryPolicy>("retry_policy",
      RetryPolicy.class, RetryPolicy.defaults(), "`RetryPolicy.defaults()`", "`RetryPolicy`",
      "backoff for connect and idempotent reads"))
      .convertedBy(Setting::retryPolicy);
  /** {@code retry_max_retries}: retries after the first attempt, 0-100. */
  public static final Setting<Integer> RETRY_MAX_RETRIES = retryPart(new Setting<Integer>("retry_max_retries",
      Integer.class, RetryPolicy.DEFAULT_MAX_RETRIES, "5", "integer 0–100", "retries after the first attempt"),
      RetryPolicy::maxRetries).convertedBy(v -> Values.intIn(v, 0, 100, true));
  /** {@code retry_initial_backoff}: the first delay. */
  public static final Setting<Duration> RETRY_INITIAL_BACKOFF = retryPart(new Setting<Duration>(
      "retry_initial_backoff", Duration.class, RetryPolicy.DEFAULT_INITIAL_BACKOFF, "100 ms", DURATION,
      "first delay"), RetryPolicy::initialBackoff).convertedBy(Values::duration);
  /** {@code retry_max_backoff}: the largest delay, at least the initial backoff. */
  public static final Setting<Duration> RETRY_MAX_BACKOFF = retryPart(new Setting<Duration>("retry_max_backoff",
      Duration.class, RetryPolicy.DEFAULT_MAX_BACKOFF, "3 s", DURATION,
      "largest delay; must be ≥ the initial backoff"), RetryPolicy::maxBackoff).convertedBy(Values::duration);
  /** {@code retry_multiplier}: growth of the delay, 1-100. */
  public static final Setting<Double> RETRY_MULTIPLIER = retryPart(new Setting<Double>("retry_multiplier",
      Double.class, RetryPolicy.DEFAULT_MULTIPLIER, "2", "number 1–100", "growth of the delay"),
      RetryPolicy::multiplier).convertedBy(v -> Values.numberIn(v, 1.0, 100.0));
  /** {@code retry_jitter}: each delay is drawn within plus or minus this fraction, 0-1. */
  public static final Setting<Double> RETRY_JITTER = retryPart(new Setting<Double>("retry_jitter", Double.class,
      RetryPolicy.DEFAULT_JITTER, "0.5", "number 0–1", "each delay is drawn within ± this fraction"),
      RetryPolicy::jitter).convertedBy(v -> Values.numberIn(v, 0.0, 1.0));
  /** {@code retry_writes}: whether non-idempotent calls are retried too. */
  public static final Setting<Boolean> RETRY_WRITES = retryPart(new Setting<Boolean>("retry_writes", Boolean.class,
      false, "`false`", "boolean", "also retry non-idempotent calls"),
      RetryPolicy::retryWrites).convertedBy(Values::bool);
  /** {@code retry_budget_max_tokens}: the size of the alias's retry budget, 1-1000 tokens. */
  public static final Setting<Integer> RETRY_BUDGET_MAX_TOKENS = retryPart(new Setting<Integer>("retry_budget_max_tokens",
      Integer.class, RetryPolicy.DEFAULT_BUDGET_MAX_TOKENS, "100", "integer 1–1000",
      "retry budget shared by the alias's calls: a failed attempt takes a token, retries stop below half"),
      RetryPolicy::budgetMaxTokens).convertedBy(v -> Values.intIn(v, 1, 1000, true));
  /** {@code retry_budget_token_ratio}: the tokens a successful call gives back to the retry budget, 0.001-1. */
  public static final Setting<Double> RETRY_BUDGET_TOKEN_RATIO = retryPart(new Setting<Double>("retry_budget_token_ratio",
      Double.class, RetryPolicy.DEFAULT_BUDGET_TOKEN_RATIO, "0.1", "number 0.001–1",
      "tokens a successful call gives back to the retry budget"),
      RetryPolicy::budgetTokenRatio).convertedBy(v -> Values.numberIn(v, 0.001, 1.0));

  private static final List<Setting<?>> ALL = Collections.unmodifiableList(new ArrayList<>(REGISTRY));
  private static final Map<String, Setting<?>> BY_KEY = byKey();

  private final int index;
  private final String key;
  private final Class<T> type;
  private final @Nullable T defaultValue;
  private final String defaultText;
  private final String accepts;
  private final String description;
  private boolean secret;
  private boolean javaOnly;
  private Resolution resolution = Resolution.RULE;
  private ConfigInput.@Nullable Conversion<T> conversion;
  private @Nullable Function<RetryPolicy, T> policyPart;

  private Setting(String key, Class<T> type, @Nullable T defaultValue, String defaultText, String accepts,
      String description) {
    this.index = REGISTRY.size();
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.accepts = accepts;
    this.description = description;
    REGISTRY.add(this);
  }

  // The mutators below run only while the constants are built, before the class is visible.

  private static <T> Setting<T> javaOnly(Setting<T> s) {
    s.javaOnly = true;
    return s;
  }

  private static <T> Setting<T> retryPart(Setting<T> s, Function<RetryPolicy, T> part) {
    s.javaOnly = true;
    s.policyPart = part;
    s.resolution = Resolution.RETRY_PART;
    return s;
  }

  private Setting<T> secret() {
    this.secret = true;
    return this;
  }

  private Setting<T> resolvedAs(Resolution r) {
    this.resolution = r;
    return this;
  }

  private Setting<T> convertedBy(ConfigInput.Conversion<T> c) {
    this.conversion = c;
    return this;
  }

  private static RetryPolicy retryPolicy(Object v) throws InvalidValue {
    if (v instanceof RetryPolicy p) {
      return p;
    }
    throw new InvalidValue("must be a RetryPolicy (RetryPolicy.builder()...build()), got " + Values.article(v));
  }

  private static Map<String, Setting<?>> byKey() {
    Map<String, Setting<?>> m = new LinkedHashMap<>();
    for (Setting<?> s : REGISTRY) {
      m.put(s.key, s);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Every accepted key, in documentation order: the pymilvus keys first, then the Java-only ones.
   * The list is immutable and the same on every call; it is safe to read from any thread.
   */
  public static List<Setting<?>> all() {
    return ALL;
  }

  /**
   * The setting of a map key, spelled exactly as in {@link #key()} (no case folding: use the typo
   * suggestion of a {@link ConnectionConfigException} to find near misses).
   *
   * @param key a map key; null gives an empty result
   */
  public static Optional<Setting<?>> forKey(@Nullable String key) {
    return key == null ? Optional.empty() : Optional.ofNullable(BY_KEY.get(key));
  }

  /** The map key in snake case, as pymilvus spells it ({@code uri}, {@code pool_size}, ...). */
  public String key() {
    return key;
  }

  /**
   * The Java type of the typed value: what {@link ConnectionConfig.Builder#set} takes and
   * {@link ConnectionConfig#get} returns. Map values may also come in the other forms of
   * {@link #accepts()} (numbers of seconds for durations, strings for numbers and booleans).
   */
  public Class<T> type() {
    return type;
  }

  /**
   * The value a config has when the key is not given, or null when there is none: no value
   * ({@code user}, {@code db_name}, ...), or one decided elsewhere ({@code timeout}: the registry's
   * default; {@code uri}, {@code address}: the endpoint comes from {@code host} and {@code port}).
   * {@link #defaultText()} says it in words.
   */
  public @Nullable T defaultValue() {
    return defaultValue;
  }

  /** The default as documented, in words ({@code "30 s"}, {@code "MILVUS_CONN_TIMEOUT, else 10 s"}); Markdown. */
  public String defaultText() {
    return defaultText;
  }

  /** The accepted value forms and their range ({@code "integer 1–64"}); Markdown. */
  public String accepts() {
    return accepts;
  }

  /** One line saying what the setting does, as in {@code docs/configuration.md}; Markdown. */
  public String description() {
    return description;
  }

  /** Whether the value is a secret (password, token): never shown in a message, log or {@code toString}. */
  public boolean isSecret() {
    return secret;
  }

  /** Whether the key is this library's own, not one of pymilvus's {@code connections.connect} keys. */
  public boolean isJavaOnly() {
    return javaOnly;
  }

  /** The {@code retry_*} part of a policy; only for {@link Resolution#RETRY_PART} settings. */
  T ofPolicy(RetryPolicy p) {
    return Objects.requireNonNull(policyPart, key).apply(p);
  }

  int index() {
    return index;
  }

  Resolution resolution() {
    return resolution;
  }

  /** Checks one raw value (any Java type) and returns the typed value, or throws with a safe message. */
  T convert(Object raw) throws InvalidValue {
    return Objects.requireNonNull(conversion, key).apply(raw);
  }

  /** The key, as it is shown in messages. */
  @Override
  public String toString() {
    return key;
  }
}
