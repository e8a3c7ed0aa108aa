package io.github.reactivemilvus;

/**
 * The normalized, secret-free view of a resolved config under an alias: what
 * {@link ReactiveConnections#getConnectionAddr(String)} and the command line's {@code resolve}
 * show. An immutable snapshot; it never reflects later changes.
 *
 * @param alias the alias
 * @param address {@code host:port}, {@code [v6]:port} or {@code unix:/path}
 * @param host the host name or IP literal (IPv6 without brackets); null for a Unix socket
 * @param port the TCP port; 0 for a Unix socket
 * @param secure whether TLS is used
 * @param tls how TLS trust is set up
 * @param serverName the TLS authority override, or null
 * @param user the user name, or null
 * @param auth which credentials are sent
 * @param dbName the database, or null when the server's default is used
 * @param timeoutMs the effective connect timeout in milliseconds
 */
public record ConnectionInfo(
    String alias, String address, String host, int port, boolean secure, TlsMode tls,
    String serverName, String user, AuthMode auth, String dbName, long timeoutMs) {}
