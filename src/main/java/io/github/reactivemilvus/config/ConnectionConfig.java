package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.Setting.CALL_TIMEOUT;
import static io.github.reactivemilvus.config.Setting.CA_PEM_PATH;
import static io.github.reactivemilvus.config.Setting.CLIENT_KEY_PATH;
import static io.github.reactivemilvus.config.Setting.CLIENT_PEM_PATH;
import static io.github.reactivemilvus.config.Setting.DB_NAME;
import static io.github.reactivemilvus.config.Setting.HOST;
import static io.github.reactivemilvus.config.Setting.IDLE_TIMEOUT;
import static io.github.reactivemilvus.config.Setting.KEEP_ALIVE;
import static io.github.reactivemilvus.config.Setting.KEEP_ALIVE_TIME;
import static io.github.reactivemilvus.config.Setting.KEEP_ALIVE_TIMEOUT;
import static io.github.reactivemilvus.config.Setting.MAX_CONCURRENT_CALLS;
import static io.github.reactivemilvus.config.Setting.MAX_CONNECTION_AGE;
import static io.github.reactivemilvus.config.Setting.MAX_CONNECTION_AGE_JITTER;
import static io.github.reactivemilvus.config.Setting.MAX_INBOUND_MESSAGE_SIZE;
import static io.github.reactivemilvus.config.Setting.MAX_PENDING_CALLS;
import static io.github.reactivemilvus.config.Setting.PASSWORD;
import static io.github.reactivemilvus.config.Setting.POOL_SIZE;
import static io.github.reactivemilvus.config.Setting.PORT;
import static io.github.reactivemilvus.config.Setting.RETRY_POLICY;
import static io.github.reactivemilvus.config.Setting.SECURE;
import static io.github.reactivemilvus.config.Setting.SERVER_NAME;
import static io.github.reactivemilvus.config.Setting.SERVER_PEM_PATH;
import static io.github.reactivemilvus.config.Setting.TIMEOUT;
import static io.github.reactivemilvus.config.Setting.TOKEN;
import static io.github.reactivemilvus.config.Setting.USER;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A resolved, validated and immutable connection config: one endpoint, its TLS settings,
 * credentials, database and the Java-only connection settings (pool size, call limits, deadlines,
 * retry policy, keepalive).
 *
 * <p>Build one with {@link #builder()} (typed setters) or {@link #fromMap(Map)} (pymilvus key
 * names such as {@code uri}, {@code host}, {@code token}, {@code db_name}, plus the Java-only keys).
 * Every accepted key is a {@link Setting} of the catalogue {@link #settings()}, which gives its
 * name, type, default and meaning; {@code docs/configuration.md} is the same list. Both paths run
 * the same resolution rules and report every problem at once in one
 * {@link ConnectionConfigException}.
 *
 * <p>Resolution happens where the config is built or added, on the caller's thread: it checks
 * that certificate files exist and are readable (without reading them) and never touches DNS.
 *
 * <p>Equality covers every resolved setting, secrets included (so that re-adding a connected alias
 * with a changed password is detected), but {@link #toString()} never shows a secret.
 * Instances are thread-safe.
 */
public final class ConnectionConfig {
  /** Connect timeout used when neither the config nor {@code MILVUS_CONN_TIMEOUT} gives one. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** The default of {@link Setting#HOST}. */
  public static final String DEFAULT_HOST = Objects.requireNonNull(HOST.defaultValue());
  /** The default of {@link Setting#PORT}. */
  public static final int DEFAULT_PORT = Objects.requireNonNull(PORT.defaultValue());
  /** The default of {@link Setting#POOL_SIZE}. */
  public static final int DEFAULT_POOL_SIZE = Objects.requireNonNull(POOL_SIZE.defaultValue());
  /** The default of {@link Setting#MAX_CONCURRENT_CALLS}. */
  public static final int DEFAULT_MAX_CONCURRENT_CALLS = Objects.requireNonNull(MAX_CONCURRENT_CALLS.defaultValue());
  /** The default of {@link Setting#MAX_PENDING_CALLS}. */
  public static final int DEFAULT_MAX_PENDING_CALLS = Objects.requireNonNull(MAX_PENDING_CALLS.defaultValue());
  /** The default of {@link Setting#CALL_TIMEOUT}. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Objects.requireNonNull(CALL_TIMEOUT.defaultValue());
  /** The default of {@link Setting#KEEP_ALIVE_TIME}. */
  public static final Duration DEFAULT_KEEP_ALIVE_TIME = Objects.requireNonNull(KEEP_ALIVE_TIME.defaultValue());
  /** The default of {@link Setting#KEEP_ALIVE_TIMEOUT}. */
  public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Objects.requireNonNull(KEEP_ALIVE_TIMEOUT.defaultValue());
  /** The default of {@link Setting#MAX_INBOUND_MESSAGE_SIZE}. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE =
      Objects.requireNonNull(MAX_INBOUND_MESSAGE_SIZE.defaultValue());
  /** The default of {@link Setting#IDLE_TIMEOUT}. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Objects.requireNonNull(IDLE_TIMEOUT.defaultValue());

  /** The resolved value of every stored setting, by {@link Setting#index()}. */
  private final @Nullable Object[] values;
  private final @Nullable String unixSocketPath;
  /** Every endpoint, the first one being host/port or the socket; more than one for several proxies. */
  private final List<Endpoint> endpoints;
  private final TlsMode tls;

  ConnectionConfig(Resolved r) {
    this.values = r.values.clone();
    this.unixSocketPath = r.unixSocketPath;
    this.tls = r.tls;
    List<Endpoint> given = r.endpoints;
    this.endpoints = given != null ? given
        : List.of(unixSocketPath != null ? Endpoint.unix(unixSocketPath) : Endpoint.tcp(value(HOST), value(PORT)));
  }

  /**
   * Every key {@link #fromMap} accepts, snake case, in documentation order (pymilvus's keys, then
   * the Java-only ones): the keys of {@link #settings()}. An immutable list.
   */
  public static List<String> keys() {
    return ConfigKeys.ALL;
  }

  /**
   * Every accepted key, in documentation order (the same list as {@link Setting#all()}): name,
   * Java type, default and one-line description of each, e.g. for IDE metadata or a settings page.
   */
  public static List<Setting<?>> settings() {
    return Setting.all();
  }

  /** A builder with no keys given (resolves to {@code localhost:19530}). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Resolves a map with pymilvus key names (and the Java-only snake-case keys, among them
   * {@code retry_max_retries}, {@code retry_initial_backoff}, {@code retry_max_backoff},
   * {@code retry_multiplier}, {@code retry_jitter} and {@code retry_writes}, which tune the
   * {@link RetryPolicy}). Values may be of any type; a value of the wrong type is a problem like
   * any other. Durations are a number of seconds or a {@link Duration}. Key reference:
   * {@code docs/configuration.md}.
   *
   * @throws ConnectionConfigException listing every problem, unknown keys included; nothing else
   *     is thrown for any keys or values
   */
  public static ConnectionConfig fromMap(Map<String, ?> config) {
    return builder().putAll(config).build();
  }

  /**
   * The resolved value of a setting, as this config uses it: the given value or the default;
   * for {@code uri} and {@code address}, the normalized {@link #address()}; for the
   * {@code retry_*} keys, that value of {@link #retryPolicy()}. Null where the named accessor
   * returns null ({@code timeout} not given, no user, ...). Secret settings return the secret:
   * never log a value whose {@link Setting#isSecret()} is true.
   */
  public <T> @Nullable T get(Setting<T> setting) {
    return switch (setting.resolution()) {
      case ENDPOINT_FORM -> setting.type().cast(address());
      case RETRY_PART -> setting.ofPolicy(retryPolicy());
      case DIRECT, RULE -> value(setting);
    };
  }

  @SuppressWarnings("unchecked")
  private <T> T value(Setting<T> setting) {
    return (T) values[setting.index()];
  }

  /**
   * The endpoint as {@code host:port}, {@code [v6]:port} or {@code unix:/path}; several endpoints
   * (the proxies of one cluster) joined by commas ({@code h1:19530,h2:19530}).
   */
  public String address() {
    return EndpointRules.addresses(endpoints);
  }

  /** Each endpoint's address ({@code host:port}, {@code [v6]:port} or {@code unix:/path}), in order. */
  public List<String> addresses() {
    return endpoints.stream().map(Endpoint::address).toList();
  }

  /**
   * The TCP endpoints, unresolved (no DNS lookup happens here), in order; empty for a Unix socket.
   * Several endpoints are the proxies of one cluster: calls are spread across them round-robin.
   */
  public List<java.net.InetSocketAddress> endpoints() {
    return unixSocketPath != null ? List.of()
        : endpoints.stream().map(e -> java.net.InetSocketAddress.createUnresolved(e.host(), e.port())).toList();
  }

  /** The lower-case host name or IP literal (IPv6 without brackets); null for a Unix socket. */
  public @Nullable String host() {
    return value(HOST);
  }

  /** The TCP port; 0 for a Unix socket. */
  public int port() {
    return value(PORT);
  }

  /** The Unix domain socket path, or null for a TCP endpoint. */
  public @Nullable String unixSocketPath() {
    return unixSocketPath;
  }

  /** Whether the connection uses TLS ({@code secure}, or an {@code https} URI). */
  public boolean secure() {
    return value(SECURE);
  }

  /** How TLS trust is set up; {@link TlsMode#NONE} without TLS. */
  public TlsMode tls() {
    return tls;
  }

  /** The certificate one-way TLS trusts ({@code server_pem_path}), or null. */
  public @Nullable Path serverPemPath() {
    return value(SERVER_PEM_PATH);
  }

  /** The client certificate of mutual TLS ({@code client_pem_path}), or null. */
  public @Nullable Path clientPemPath() {
    return value(CLIENT_PEM_PATH);
  }

  /** The client's private key of mutual TLS ({@code client_key_path}), or null. */
  public @Nullable Path clientKeyPath() {
    return value(CLIENT_KEY_PATH);
  }

  /** The root certificate mutual TLS trusts ({@code ca_pem_path}), or null. */
  public @Nullable Path caPemPath() {
    return value(CA_PEM_PATH);
  }

  /** TLS authority / SNI override, or null. */
  public @Nullable String serverName() {
    return value(SERVER_NAME);
  }

  /** The user name (from {@code user} or the URI's userinfo), or null. */
  public @Nullable String user() {
    return value(USER);
  }

  /** Which credentials are sent: a token, a user and password, or none. */
  public AuthMode auth() {
    if (value(TOKEN) != null) {
      return AuthMode.TOKEN;
    }
    return value(PASSWORD) != null ? AuthMode.USER_PASSWORD : AuthMode.NONE;
  }

  /** The database sent as {@code dbname}, or null for the server's default. */
  public @Nullable String dbName() {
    return value(DB_NAME);
  }

  /** The connect timeout if the config gave one; null when the registry's default applies. */
  public @Nullable Duration timeout() {
    return value(TIMEOUT);
  }

  /**
   * Whether HTTP/2 keepalive pings are sent while calls are open: after {@link #keepAliveTime()} without
   * reads, or at once when a call starts on a connection quiet for that long. Never without calls.
   */
  public boolean keepAlive() {
    return value(KEEP_ALIVE);
  }

  /** The keepalive ping interval while calls are open (at least 10 s); used only when {@link #keepAlive()} is on. */
  public Duration keepAliveTime() {
    return value(KEEP_ALIVE_TIME);
  }

  /** How long a keepalive ping waits for its ack before the connection is closed. */
  public Duration keepAliveTimeout() {
    return value(KEEP_ALIVE_TIMEOUT);
  }

  /** Channels (HTTP/2 connections) per endpoint. */
  public int poolSize() {
    return value(POOL_SIZE);
  }

  /** Calls in flight at once on the alias; further calls wait for a permit. */
  public int maxConcurrentCalls() {
    return value(MAX_CONCURRENT_CALLS);
  }

  /** Calls that may wait for a permit on the alias; beyond that a call fails at once. */
  public int maxPendingCalls() {
    return value(MAX_PENDING_CALLS);
  }

  /** Default deadline of each call made on the alias's channel. */
  public Duration callTimeout() {
    return value(CALL_TIMEOUT);
  }

  /** The backoff of connects and idempotent reads ({@code retry_policy} with any {@code retry_*} on top). */
  public RetryPolicy retryPolicy() {
    return value(RETRY_POLICY);
  }

  /** The largest response message accepted, in bytes. */
  public int maxInboundMessageSize() {
    return value(MAX_INBOUND_MESSAGE_SIZE);
  }

  /** How long a channel may stay without calls before it is released. */
  public Duration idleTimeout() {
    return value(IDLE_TIMEOUT);
  }

  /** How old a pool channel may get before it is replaced ({@code max_connection_age}); null: never. */
  public @Nullable Duration maxConnectionAge() {
    return value(MAX_CONNECTION_AGE);
  }

  /** The fraction each channel's {@link #maxConnectionAge()} is drawn within, plus or minus. */
  public double maxConnectionAgeJitter() {
    return value(MAX_CONNECTION_AGE_JITTER);
  }

  /**
   * The {@code authorization} header value ({@code base64(token)} or {@code base64(user:password)}),
   * or null without credentials. It carries the secret: never log or show it.
   */
  public @Nullable String authorizationHeader() {
    String token = value(TOKEN);
    String password = value(PASSWORD);
    String raw = token != null ? token : password != null ? user() + ":" + password : null;
    return raw == null ? null : Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The normalized, secret-free view of this config under an alias.
   *
   * @param alias the alias to show
   * @param defaultTimeout the connect timeout shown when this config gives none
   */
  public ConnectionInfo info(@Nullable String alias, Duration defaultTimeout) {
    Duration timeout = timeout();
    Duration effective = timeout != null ? timeout : defaultTimeout;
    boolean socket = unixSocketPath != null;
    return new ConnectionInfo(alias, address(), socket ? null : host(), socket ? 0 : port(), secure(), tls,
        serverName(), user(), auth(), dbName(), effective.toMillis(), addresses());
  }

  /**
   * The map-key names of the settings in which this config differs from {@code other}, in
   * catalogue order; empty when they are equal. The endpoint shows as {@code host}, {@code port}
   * and (for socket paths) {@code uri}; the retry policy as its {@code retry_*} keys. Secret fields
   * are named, never shown.
   */
  public List<String> differingFields(ConnectionConfig other) {
    return ConfigResolver.differingFields(this, other);
  }

  /** Equal when every resolved setting is equal, secrets included. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof ConnectionConfig c && Arrays.equals(values, c.values)
        && Objects.equals(unixSocketPath, c.unixSocketPath) && tls == c.tls && endpoints.equals(c.endpoints);
  }

  /** A hash of the endpoint, TLS, user, database, timeout and pool size (never of a secret). */
  @Override
  public int hashCode() {
    return Objects.hash(host(), port(), unixSocketPath, secure(), tls, user(), dbName(), timeout(), poolSize());
  }

  /** The endpoint, TLS, credentials kind, database and call settings; secrets as {@code ***}. */
  @Override
  public String toString() {
    String serverName = serverName();
    String user = user();
    String dbName = dbName();
    Duration timeout = timeout();
    return "ConnectionConfig{address=" + address() + ", secure=" + secure() + ", tls=" + tls.wireName()
        + (serverName != null ? ", serverName=" + serverName : "")
        + ", auth=" + auth().wireName() + (user != null ? ", user=" + user : "")
        + (value(PASSWORD) != null ? ", password=***" : "") + (value(TOKEN) != null ? ", token=***" : "")
        + (dbName != null ? ", dbName=" + dbName : "")
        + (timeout != null ? ", timeout=" + timeout : "")
        + ", poolSize=" + poolSize() + ", maxConcurrentCalls=" + maxConcurrentCalls()
        + ", maxPendingCalls=" + maxPendingCalls() + ", callTimeout=" + callTimeout() + '}';
  }

  /** The resolved values, filled by the resolver's rules; starts with every default. */
  static final class Resolved {
    final @Nullable Object[] values = new Object[Setting.all().size()];
    @Nullable String unixSocketPath;
    @Nullable List<Endpoint> endpoints;
    TlsMode tls = TlsMode.NONE;

    Resolved() {
      for (Setting<?> s : Setting.all()) {
        values[s.index()] = s.defaultValue();
      }
    }

    <T> void set(Setting<T> setting, @Nullable T value) {
      values[setting.index()] = value;
    }
  }

  /**
   * Collects keys; {@link #build()} resolves them all and reports every problem at once. Typed
   * setters store typed values, map keys store what they are given, and both go through the same
   * rules of the {@link Setting} catalogue. Null and empty strings mean "not given". Not
   * thread-safe.
   */
  public static final class Builder {
    private final GivenKeys given = new GivenKeys();

    private Builder() {}

    /**
     * Sets a setting to a typed value; null means "not given". Checked at build, like every key.
     *
     * @param setting one of {@link Setting#all()}
     */
    public <T> Builder set(Setting<T> setting, @Nullable T value) {
      given.set(Objects.requireNonNull(setting, "setting"), value);
      return this;
    }

    /**
     * Sets a key by its map name (pymilvus spelling or Java-only snake case) to a value of any
     * accepted form; checked at build, where an unknown or null key is reported as a problem.
     */
    public Builder put(@Nullable String key, @Nullable Object value) {
      given.put(key, value);
      return this;
    }

    /** Sets every key of the map, as {@link #put} does; checked at build. */
    public Builder putAll(Map<String, ?> config) {
      Objects.requireNonNull(config, "config");
      // Raw entries: a null or (through raw types) non-String key is reported by build(), not thrown here.
      for (Map.Entry<?, ?> e : config.entrySet()) {
        given.put(e.getKey(), e.getValue());
      }
      return this;
    }

    /** Sets {@link Setting#URI}. */
    public Builder uri(@Nullable String uri) {
      return set(Setting.URI, uri);
    }

    /** Sets {@link Setting#ADDRESS}. */
    public Builder address(@Nullable String address) {
      return set(Setting.ADDRESS, address);
    }

    /** Sets {@link Setting#HOST}. */
    public Builder host(@Nullable String host) {
      return set(HOST, host);
    }

    /** Sets {@link Setting#PORT}. */
    public Builder port(int port) {
      return set(PORT, port);
    }

    /** Sets {@link Setting#USER}. */
    public Builder user(@Nullable String user) {
      return set(USER, user);
    }

    /** Sets {@link Setting#PASSWORD}. */
    public Builder password(@Nullable String password) {
      return set(PASSWORD, password);
    }

    /** Sets {@link Setting#TOKEN}. */
    public Builder token(@Nullable String token) {
      return set(TOKEN, token);
    }

    /** Sets {@link Setting#DB_NAME}. */
    public Builder dbName(@Nullable String dbName) {
      return set(DB_NAME, dbName);
    }

    /** Sets {@link Setting#SECURE}. */
    public Builder secure(boolean secure) {
      return set(SECURE, secure);
    }

    /** Sets {@link Setting#SERVER_PEM_PATH}. */
    public Builder serverPemPath(@Nullable Path path) {
      return set(SERVER_PEM_PATH, path);
    }

    /** Sets {@link Setting#CLIENT_PEM_PATH}. */
    public Builder clientPemPath(@Nullable Path path) {
      return set(CLIENT_PEM_PATH, path);
    }

    /** Sets {@link Setting#CLIENT_KEY_PATH}. */
    public Builder clientKeyPath(@Nullable Path path) {
      return set(CLIENT_KEY_PATH, path);
    }

    /** Sets {@link Setting#CA_PEM_PATH}. */
    public Builder caPemPath(@Nullable Path path) {
      return set(CA_PEM_PATH, path);
    }

    /** Sets {@link Setting#SERVER_NAME}. */
    public Builder serverName(@Nullable String serverName) {
      return set(SERVER_NAME, serverName);
    }

    /** Sets {@link Setting#TIMEOUT}: the bound on the whole connect (readiness, handshake and retries). */
    public Builder timeout(@Nullable Duration timeout) {
      return set(TIMEOUT, timeout);
    }

    /** Sets {@link Setting#KEEP_ALIVE}. */
    public Builder keepAlive(boolean keepAlive) {
      return set(KEEP_ALIVE, keepAlive);
    }

    /** Sets {@link Setting#KEEP_ALIVE_TIME}. */
    public Builder keepAliveTime(@Nullable Duration time) {
      return set(KEEP_ALIVE_TIME, time);
    }

    /** Sets {@link Setting#KEEP_ALIVE_TIMEOUT}. */
    public Builder keepAliveTimeout(@Nullable Duration timeout) {
      return set(KEEP_ALIVE_TIMEOUT, timeout);
    }

    /** Sets {@link Setting#POOL_SIZE}. */
    public Builder poolSize(int poolSize) {
      return set(POOL_SIZE, poolSize);
    }

    /** Sets {@link Setting#MAX_CONCURRENT_CALLS}. */
    public Builder maxConcurrentCalls(int max) {
      return set(MAX_CONCURRENT_CALLS, max);
    }

    /** Sets {@link Setting#MAX_PENDING_CALLS}. */
    public Builder maxPendingCalls(int max) {
      return set(MAX_PENDING_CALLS, max);
    }

    /** Sets {@link Setting#CALL_TIMEOUT}. */
    public Builder callTimeout(@Nullable Duration timeout) {
      return set(CALL_TIMEOUT, timeout);
    }

    /** Sets {@link Setting#RETRY_POLICY}; {@code retry_*} keys given too apply on top of it. */
    public Builder retryPolicy(@Nullable RetryPolicy policy) {
      return set(RETRY_POLICY, policy);
    }

    /** Sets {@link Setting#MAX_INBOUND_MESSAGE_SIZE}. */
    public Builder maxInboundMessageSize(int bytes) {
      return set(MAX_INBOUND_MESSAGE_SIZE, bytes);
    }

    /** Sets {@link Setting#IDLE_TIMEOUT}. */
    public Builder idleTimeout(@Nullable Duration timeout) {
      return set(IDLE_TIMEOUT, timeout);
    }

    /** Sets {@link Setting#MAX_CONNECTION_AGE}; null: channels are never replaced for their age. */
    public Builder maxConnectionAge(@Nullable Duration age) {
      return set(MAX_CONNECTION_AGE, age);
    }

    /** Sets {@link Setting#MAX_CONNECTION_AGE_JITTER}. */
    public Builder maxConnectionAgeJitter(double jitter) {
      return set(MAX_CONNECTION_AGE_JITTER, jitter);
    }

    /**
     * Resolves and validates every key, on the calling thread (it checks certificate files exist,
     * never DNS). The builder can be reused; later changes do not affect the built config.
     *
     * @throws ConnectionConfigException listing every problem found
     */
    public ConnectionConfig build() {
      return ConfigResolver.resolve(given, null);
    }
  }
}
