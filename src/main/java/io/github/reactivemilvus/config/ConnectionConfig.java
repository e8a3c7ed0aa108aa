package io.github.reactivemilvus.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.nio.charset.StandardCharsets;

/**
 * A resolved, validated and immutable connection config: one endpoint, its TLS settings,
 * credentials, database and the Java-only connection settings (pool size, call limits, deadlines,
 * retry policy, keepalive).
 *
 * <p>Build one with {@link #builder()} (typed setters) or {@link #fromMap(Map)} (pymilvus key
 * names: {@code uri}, {@code address}, {@code host}, {@code port}, {@code user}, {@code password},
 * {@code token}, {@code db_name}, {@code secure}, {@code server_pem_path}, {@code client_pem_path},
 * {@code client_key_path}, {@code ca_pem_path}, {@code server_name}, {@code timeout},
 * {@code keep_alive}, plus the Java-only keys of {@code docs/configuration.md}). Both paths run
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
  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = 19530;
  public static final int DEFAULT_POOL_SIZE = 1;
  public static final int DEFAULT_MAX_CONCURRENT_CALLS = 256;
  public static final int DEFAULT_MAX_PENDING_CALLS = 1024;
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_KEEP_ALIVE_TIME = Duration.ofSeconds(10);
  public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 256 * 1024 * 1024;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(24);

  final String host;
  final int port;
  final String unixSocketPath;
  /** Every endpoint, the first one being host/port or the socket; more than one for several proxies. */
  final java.util.List<Endpoint> endpoints;
  final boolean secure;
  final TlsMode tls;
  final Path serverPemPath;
  final Path clientPemPath;
  final Path clientKeyPath;
  final Path caPemPath;
  final String serverName;
  final String user;
  final String password;
  final String token;
  final String dbName;
  /** Null when not given: the registry's default ({@code MILVUS_CONN_TIMEOUT} or 10 s) applies. */
  final Duration timeout;
  final boolean keepAlive;
  final Duration keepAliveTime;
  final Duration keepAliveTimeout;
  final int poolSize;
  final int maxConcurrentCalls;
  final int maxPendingCalls;
  final Duration callTimeout;
  final RetryPolicy retryPolicy;
  final int maxInboundMessageSize;
  final Duration idleTimeout;

  ConnectionConfig(Resolved r) {
    this.host = r.host;
    this.port = r.port;
    this.unixSocketPath = r.unixSocketPath;
    this.endpoints = r.endpoints != null ? r.endpoints : java.util.List.of(
        r.unixSocketPath != null ? Endpoint.unix(r.unixSocketPath) : Endpoint.tcp(r.host, r.port));
    this.secure = r.secure;
    this.tls = r.tls;
    this.serverPemPath = r.serverPemPath;
    this.clientPemPath = r.clientPemPath;
    this.clientKeyPath = r.clientKeyPath;
    this.caPemPath = r.caPemPath;
    this.serverName = r.serverName;
    this.user = r.user;
    this.password = r.password;
    this.token = r.token;
    this.dbName = r.dbName;
    this.timeout = r.timeout;
    this.keepAlive = r.keepAlive;
    this.keepAliveTime = r.keepAliveTime;
    this.keepAliveTimeout = r.keepAliveTimeout;
    this.poolSize = r.poolSize;
    this.maxConcurrentCalls = r.maxConcurrentCalls;
    this.maxPendingCalls = r.maxPendingCalls;
    this.callTimeout = r.callTimeout;
    this.retryPolicy = r.retryPolicy;
    this.maxInboundMessageSize = r.maxInboundMessageSize;
    this.idleTimeout = r.idleTimeout;
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
   * Every key {@link #fromMap} accepts, snake case, in documentation order (pymilvus's keys, then
   * the Java-only ones). An immutable list; for tools that map their own property names onto these.
   */
  public static java.util.List<String> keys() {
    return ConfigKeys.ALL;
  }

  /**
   * {@code host:port}, {@code [v6]:port} or {@code unix:/path}; for several endpoints, each of them
   * joined by commas ({@code h1:19530,h2:19530}).
   */
  public String address() {
    return EndpointRules.addresses(endpoints);
  }

  /** Each endpoint's address ({@code host:port}, {@code [v6]:port} or {@code unix:/path}), in order. */
  public java.util.List<String> addresses() {
    return endpoints.stream().map(Endpoint::address).toList();
  }

  /**
   * The TCP endpoints, unresolved (no DNS lookup happens here), in order; empty for a Unix socket.
   * Several endpoints are the proxies of one cluster: calls are spread across them round-robin.
   */
  public java.util.List<java.net.InetSocketAddress> endpoints() {
    return unixSocketPath != null ? java.util.List.of()
        : endpoints.stream().map(e -> java.net.InetSocketAddress.createUnresolved(e.host(), e.port())).toList();
  }

  /** The lower-case host name or IP literal (IPv6 without brackets); null for a Unix socket. */
  public String host() {
    return host;
  }

  /** The TCP port; 0 for a Unix socket. */
  public int port() {
    return port;
  }

  /** The Unix domain socket path, or null for a TCP endpoint. */
  public String unixSocketPath() {
    return unixSocketPath;
  }

  public boolean secure() {
    return secure;
  }

  public TlsMode tls() {
    return tls;
  }

  public Path serverPemPath() {
    return serverPemPath;
  }

  public Path clientPemPath() {
    return clientPemPath;
  }

  public Path clientKeyPath() {
    return clientKeyPath;
  }

  public Path caPemPath() {
    return caPemPath;
  }

  /** TLS authority / SNI override, or null. */
  public String serverName() {
    return serverName;
  }

  /** The user name (from {@code user} or the URI's userinfo), or null. */
  public String user() {
    return user;
  }

  public AuthMode auth() {
    if (token != null) {
      return AuthMode.TOKEN;
    }
    return password != null ? AuthMode.USER_PASSWORD : AuthMode.NONE;
  }

  /** The database sent as {@code dbname}, or null for the server's default. */
  public String dbName() {
    return dbName;
  }

  /** The connect timeout if the config gave one; otherwise the registry's default applies. */
  public Duration timeout() {
    return timeout;
  }

  public boolean keepAlive() {
    return keepAlive;
  }

  public Duration keepAliveTime() {
    return keepAliveTime;
  }

  public Duration keepAliveTimeout() {
    return keepAliveTimeout;
  }

  /** Channels (HTTP/2 connections) per endpoint. */
  public int poolSize() {
    return poolSize;
  }

  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  public int maxPendingCalls() {
    return maxPendingCalls;
  }

  /** Default deadline of each call made on the alias's channel. */
  public Duration callTimeout() {
    return callTimeout;
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * The {@code authorization} header value ({@code base64(token)} or {@code base64(user:password)}),
   * or null without credentials. It carries the secret: never log or show it.
   */
  public String authorizationHeader() {
    String raw = token != null ? token : password != null ? user + ":" + password : null;
    return raw == null ? null : Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The normalized, secret-free view of this config under an alias. */
  public ConnectionInfo info(String alias, Duration defaultTimeout) {
    Duration effective = timeout != null ? timeout : defaultTimeout;
    return new ConnectionInfo(alias, address(), unixSocketPath != null ? null : host,
        unixSocketPath != null ? 0 : port, secure, tls, serverName, user, auth(), dbName,
        effective.toMillis(), addresses());
  }

  /**
   * The map-key names of the settings in which this config differs from {@code other}; empty
   * when they are equal. Secret fields are named, never shown.
   */
  public java.util.List<String> differingFields(ConnectionConfig other) {
    return ConfigResolver.differingFields(this, other);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ConnectionConfig c)) {
      return false;
    }
    return port == c.port && secure == c.secure && keepAlive == c.keepAlive
        && poolSize == c.poolSize && maxConcurrentCalls == c.maxConcurrentCalls
        && maxPendingCalls == c.maxPendingCalls && maxInboundMessageSize == c.maxInboundMessageSize
        && Objects.equals(host, c.host) && Objects.equals(unixSocketPath, c.unixSocketPath)
        && endpoints.equals(c.endpoints) && tls == c.tls && Objects.equals(serverPemPath, c.serverPemPath)
        && Objects.equals(clientPemPath, c.clientPemPath) && Objects.equals(clientKeyPath, c.clientKeyPath)
        && Objects.equals(caPemPath, c.caPemPath) && Objects.equals(serverName, c.serverName)
        && Objects.equals(user, c.user) && Objects.equals(password, c.password)
        && Objects.equals(token, c.token) && Objects.equals(dbName, c.dbName)
        && Objects.equals(timeout, c.timeout) && Objects.equals(keepAliveTime, c.keepAliveTime)
        && Objects.equals(keepAliveTimeout, c.keepAliveTimeout) && Objects.equals(callTimeout, c.callTimeout)
        && Objects.equals(retryPolicy, c.retryPolicy) && Objects.equals(idleTimeout, c.idleTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, unixSocketPath, secure, tls, user, dbName, timeout, poolSize);
  }

  @Override
  public String toString() {
    return "ConnectionConfig{address=" + address() + ", secure=" + secure + ", tls=" + tls.wireName()
        + (serverName != null ? ", serverName=" + serverName : "")
        + ", auth=" + auth().wireName() + (user != null ? ", user=" + user : "")
        + (password != null ? ", password=***" : "") + (token != null ? ", token=***" : "")
        + (dbName != null ? ", dbName=" + dbName : "")
        + (timeout != null ? ", timeout=" + timeout : "")
        + ", poolSize=" + poolSize + ", maxConcurrentCalls=" + maxConcurrentCalls
        + ", maxPendingCalls=" + maxPendingCalls + ", callTimeout=" + callTimeout + '}';
  }

  /** The resolved values, filled by the resolver. */
  static final class Resolved {
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    String unixSocketPath;
    java.util.List<Endpoint> endpoints;
    boolean secure;
    TlsMode tls = TlsMode.NONE;
    Path serverPemPath;
    Path clientPemPath;
    Path clientKeyPath;
    Path caPemPath;
    String serverName;
    String user;
    String password;
    String token;
    String dbName;
    Duration timeout;
    boolean keepAlive = true;
    Duration keepAliveTime = DEFAULT_KEEP_ALIVE_TIME;
    Duration keepAliveTimeout = DEFAULT_KEEP_ALIVE_TIMEOUT;
    int poolSize = DEFAULT_POOL_SIZE;
    int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;
    int maxPendingCalls = DEFAULT_MAX_PENDING_CALLS;
    Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    RetryPolicy retryPolicy = RetryPolicy.defaults();
    int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
  }

  /**
   * Collects keys; {@link #build()} resolves them all and reports every problem at once. Setters
   * store the value under its map key name, so typed and map input share one set of rules. Null
   * and empty strings mean "not given". Not thread-safe.
   */
  public static final class Builder {
    final Map<String, Object> values = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets a key by its map name (pymilvus spelling or Java-only snake case); checked at build,
     * where an unknown or null key is reported as a problem.
     */
    public Builder put(String key, Object value) {
      values.put(key, value);
      return this;
    }

    /** Sets every key of the map; checked at build. */
    public Builder putAll(Map<String, ?> config) {
      Objects.requireNonNull(config, "config");
      // Stored as they come: a null or (through raw types) non-String key is reported by build()
      // as a problem, not thrown here.
      @SuppressWarnings("unchecked")
      Map<Object, Object> raw = (Map<Object, Object>) (Map<?, ?>) values;
      for (Map.Entry<?, ?> e : config.entrySet()) {
        raw.put(e.getKey(), e.getValue());
      }
      return this;
    }

    public Builder uri(String uri) {
      return put("uri", uri);
    }

    public Builder address(String address) {
      return put("address", address);
    }

    public Builder host(String host) {
      return put("host", host);
    }

    public Builder port(int port) {
      return put("port", port);
    }

    public Builder user(String user) {
      return put("user", user);
    }

    public Builder password(String password) {
      return put("password", password);
    }

    public Builder token(String token) {
      return put("token", token);
    }

    public Builder dbName(String dbName) {
      return put("db_name", dbName);
    }

    public Builder secure(boolean secure) {
      return put("secure", secure);
    }

    public Builder serverPemPath(Path path) {
      return put("server_pem_path", path);
    }

    public Builder clientPemPath(Path path) {
      return put("client_pem_path", path);
    }

    public Builder clientKeyPath(Path path) {
      return put("client_key_path", path);
    }

    public Builder caPemPath(Path path) {
      return put("ca_pem_path", path);
    }

    public Builder serverName(String serverName) {
      return put("server_name", serverName);
    }

    /** Bound on the whole connect: readiness, handshake and retries. */
    public Builder timeout(Duration timeout) {
      return put("timeout", timeout);
    }

    public Builder keepAlive(boolean keepAlive) {
      return put("keep_alive", keepAlive);
    }

    public Builder keepAliveTime(Duration time) {
      return put("keep_alive_time", time);
    }

    public Builder keepAliveTimeout(Duration timeout) {
      return put("keep_alive_timeout", timeout);
    }

    public Builder poolSize(int poolSize) {
      return put("pool_size", poolSize);
    }

    public Builder maxConcurrentCalls(int max) {
      return put("max_concurrent_calls", max);
    }

    public Builder maxPendingCalls(int max) {
      return put("max_pending_calls", max);
    }

    public Builder callTimeout(Duration timeout) {
      return put("call_timeout", timeout);
    }

    public Builder retryPolicy(RetryPolicy policy) {
      return put("retry_policy", policy);
    }

    public Builder maxInboundMessageSize(int bytes) {
      return put("max_inbound_message_size", bytes);
    }

    public Builder idleTimeout(Duration timeout) {
      return put("idle_timeout", timeout);
    }

    /**
     * Resolves and validates every key.
     *
     * @throws ConnectionConfigException listing every problem found
     */
    public ConnectionConfig build() {
      return ConfigResolver.resolve(values, null);
    }
  }
}
