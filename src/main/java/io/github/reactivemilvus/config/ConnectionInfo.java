package io.github.reactivemilvus.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;


/**
 * The normalized, secret-free view of a resolved config under an alias: what
 * {@link io.github.reactivemilvus.ReactiveConnections#getConnectionAddr(String)} and the command line's {@code resolve}
 * show. An immutable snapshot; it never reflects later changes.
 *
 * @param alias the alias (null only for a config resolved without one)
 * @param address {@code host:port}, {@code [v6]:port} or {@code unix:/path}; several endpoints
 *     joined by commas
 * @param host the host name or IP literal (IPv6 without brackets); null for a Unix socket
 * @param port the TCP port; 0 for a Unix socket
 * @param secure whether TLS is used
 * @param tls how TLS trust is set up
 * @param serverName the TLS authority override, or null
 * @param user the user name, or null
 * @param auth which credentials are sent
 * @param dbName the database, or null when the server's default is used
 * @param timeoutMs the effective connect timeout in milliseconds
 * @param addresses every endpoint's address, in order (one entry unless the alias names several proxies)
 */
public record ConnectionInfo(
    @Nullable String alias, String address, @Nullable String host, int port, boolean secure, TlsMode tls,
    @Nullable String serverName, @Nullable String user, AuthMode auth, @Nullable String dbName, long timeoutMs,
    List<String> addresses) {

  /** Copies {@code addresses}, so the view stays immutable. */
  public ConnectionInfo {
    addresses = List.copyOf(addresses);
  }

  /**
   * This view as an ordered map with the snake-case key names of the command line's JSON
   * ({@code alias, address, host, port, secure, tls, server_name, user, auth, db_name, timeout_ms,
   * addresses});
   * {@code port} is null for a Unix socket, as are values that are not set.
   */
  public Map<String, @Nullable Object> asMap() {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("alias", alias);
    m.put("address", address);
    m.put("host", host);
    m.put("port", host == null ? null : port);
    m.put("secure", secure);
    m.put("tls", tls.wireName());
    m.put("server_name", serverName);
    m.put("user", user);
    m.put("auth", auth.wireName());
    m.put("db_name", dbName);
    m.put("timeout_ms", timeoutMs);
    m.put("addresses", addresses);
    return m;
  }
}
