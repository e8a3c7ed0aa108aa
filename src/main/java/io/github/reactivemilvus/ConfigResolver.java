package io.github.reactivemilvus;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resolves raw config keys into a {@link ConnectionConfig}, collecting every problem. */
final class ConfigResolver {
  private ConfigResolver() {}

  static ConnectionConfig resolveNamed(String alias, ConnectionConfig config, Map<String, Object> raw) {
    List<ConfigProblem> problems = new ArrayList<>();
    if (alias == null || alias.isBlank()) {
      problems.add(new ConfigProblem(alias, "alias", "must be a non-blank string"));
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

  // Minimal rules; the full SPEC §2-3 rule set lives here.
  static ConnectionConfig resolve(Map<String, Object> values, String alias) {
    List<ConfigProblem> problems = new ArrayList<>();
    ConnectionConfig.Resolved r = new ConnectionConfig.Resolved();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      if (v == null || (v instanceof String s && s.isEmpty())) {
        continue;
      }
      switch (e.getKey()) {
        case "uri" -> {
          URI u = URI.create(v.toString());
          r.host = u.getHost();
          r.port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 19530;
          r.secure = "https".equals(u.getScheme());
          if (r.secure) {
            r.tls = TlsMode.SYSTEM_ROOTS;
          }
          String path = u.getPath();
          if (path != null && path.length() > 1) {
            r.dbName = path.substring(1).split("/")[0];
          }
        }
        case "address" -> {
          String s = v.toString();
          int i = s.lastIndexOf(':');
          r.host = s.substring(0, i);
          r.port = Integer.parseInt(s.substring(i + 1));
        }
        case "host" -> r.host = v.toString().trim();
        case "port" -> r.port = Integer.parseInt(v.toString().trim());
        case "user" -> r.user = v.toString();
        case "password" -> r.password = v.toString();
        case "token" -> r.token = v.toString();
        case "db_name" -> r.dbName = v.toString();
        case "secure" -> r.secure = (Boolean) v;
        case "timeout" -> r.timeout = v instanceof Duration d ? d : Duration.ofMillis((long) (((Number) v).doubleValue() * 1000));
        case "pool_size" -> r.poolSize = ((Number) v).intValue();
        case "max_concurrent_calls" -> r.maxConcurrentCalls = ((Number) v).intValue();
        case "max_pending_calls" -> r.maxPendingCalls = ((Number) v).intValue();
        case "call_timeout" -> r.callTimeout = (Duration) v;
        case "retry_policy" -> r.retryPolicy = (RetryPolicy) v;
        case "keep_alive" -> r.keepAlive = (Boolean) v;
        case "keep_alive_time" -> r.keepAliveTime = (Duration) v;
        case "keep_alive_timeout" -> r.keepAliveTimeout = (Duration) v;
        case "idle_timeout" -> r.idleTimeout = (Duration) v;
        case "max_inbound_message_size" -> r.maxInboundMessageSize = ((Number) v).intValue();
        default -> problems.add(new ConfigProblem(alias, e.getKey(), "unknown key"));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConnectionConfigException(problems);
    }
    return new ConnectionConfig(r);
  }

  static List<String> differingFields(ConnectionConfig a, ConnectionConfig b) {
    List<String> out = new ArrayList<>();
    if (!a.address().equals(b.address())) {
      out.add("address");
    }
    if (!java.util.Objects.equals(a.dbName, b.dbName)) {
      out.add("db_name");
    }
    if (!java.util.Objects.equals(a.password, b.password)) {
      out.add("password");
    }
    if (!java.util.Objects.equals(a.token, b.token)) {
      out.add("token");
    }
    if (out.isEmpty() && !a.equals(b)) {
      out.add("settings");
    }
    return out;
  }

  /**
   * The registry's defaults from the environment: {@code MILVUS_URI} for the {@code default}
   * alias and {@code MILVUS_CONN_TIMEOUT} for the connect timeout.
   *
   * @throws ConnectionConfigException naming the variable when a value is invalid
   */
  static EnvironmentDefaults environmentDefaults(Map<String, String> env) {
    Duration timeout = ConnectionConfig.DEFAULT_TIMEOUT;
    String t = env.get("MILVUS_CONN_TIMEOUT");
    if (t != null && !t.isBlank()) {
      timeout = Duration.ofMillis((long) (Double.parseDouble(t.trim()) * 1000));
    }
    Map<String, Object> keys = new java.util.LinkedHashMap<>();
    String uri = env.get("MILVUS_URI");
    if (uri != null && !uri.isBlank()) {
      keys.put("uri", uri);
    }
    return new EnvironmentDefaults(resolve(keys, "default"), timeout);
  }

  record EnvironmentDefaults(ConnectionConfig defaultConfig, Duration timeout) {}
}
