package io.github.reactivemilvus.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a connection goes: a TCP host and port, or a Unix domain socket path.
 *
 * @param host lower-case host name or IP literal (IPv6 without brackets); null for a socket
 * @param port 1-65535; 0 for a socket
 * @param unixPath absolute socket path, or null for TCP
 */
record Endpoint(@Nullable String host, int port, @Nullable String unixPath) {
  static Endpoint tcp(String host, int port) {
    return new Endpoint(host, port, null);
  }

  static Endpoint unix(String path) {
    return new Endpoint(null, 0, path);
  }

  /** {@code host:port}, {@code [v6]:port} or {@code unix:/path}. */
  String address() {
    if (unixPath != null) {
      return "unix:" + unixPath;
    }
    String h = Objects.requireNonNull(host, "host of a TCP endpoint");
    return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
  }

  /** Same place, whatever the spelling ({@code ::1} and {@code 0:0:0:0:0:0:0:1} agree). */
  boolean sameAs(Endpoint o) {
    if (unixPath != null || o.unixPath != null) {
      return unixPath != null && unixPath.equals(o.unixPath);
    }
    return port == o.port && HostSyntax.comparisonKey(Objects.requireNonNull(host))
        .equals(HostSyntax.comparisonKey(Objects.requireNonNull(o.host)));
  }
}
