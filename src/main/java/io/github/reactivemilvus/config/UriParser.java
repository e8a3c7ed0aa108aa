package io.github.reactivemilvus.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Parses the {@code uri} key (SPEC §3.2). Hand-written because {@code java.net.URI} accepts too
 * much (no host, odd ports become -1, registry-based authorities) and throws unchecked exceptions
 * on the rest. Accepted: {@code http|https|tcp|grpc://[user[:password]@]host[:port][/db[/...]]}
 * with IPv6 hosts in brackets, and {@code unix:/path} or {@code unix:///path}.
 */
final class UriParser {
  /** Linux {@code sun_path} holds 108 bytes including the terminating NUL. */
  private static final int MAX_UNIX_PATH_BYTES = 107;

  /**
   * What a URI says.
   *
   * @param endpoint where to connect
   * @param https whether the scheme was https (implies TLS)
   * @param user percent-decoded user of the user info, or null
   * @param password percent-decoded password of the user info, or null
   * @param dbName percent-decoded first non-empty path segment, or null
   */
  record ParsedUri(java.util.List<Endpoint> endpoints, boolean https, @Nullable String user, @Nullable String password,
      @Nullable String dbName) {
    @Override
    public String toString() {
      return "ParsedUri[" + EndpointRules.addresses(endpoints) + ", https=" + https + ", user=" + user
          + (password != null ? ", password=" + Display.MASK : "") + ", dbName=" + dbName + "]";
    }
  }

  private UriParser() {}

  /** Whether a URI names https, judged from its scheme alone (also for URIs that do not parse). */
  static boolean isHttps(String raw) {
    return raw.strip().toLowerCase(Locale.ROOT).startsWith("https:");
  }

  static ParsedUri parse(String raw) throws InvalidValue {
    String s = raw.strip();
    String shown = Display.uri(s);
    if (HostSyntax.containsWhitespaceOrControl(s)) {
      throw new InvalidValue(shown + " contains white space or control characters");
    }
    String beforeQuery = cut(s, "?#");
    if (beforeQuery.toLowerCase(Locale.ROOT).endsWith(".db")) {
      throw new InvalidValue(shown + " names a local Milvus Lite database file, which this library"
          + " cannot open in-process; start a Milvus Lite server (milvus-lite server --data-dir D"
          + " --host 127.0.0.1 --port P) and use its URI http://127.0.0.1:P");
    }
    int colon = s.indexOf(':');
    String scheme = colon > 0 && s.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
        ? s.substring(0, colon).toLowerCase(Locale.ROOT) : null;
    if (scheme == null) {
      throw new InvalidValue(shown + " has no scheme; expected http://host:port, https://host,"
          + " tcp://host:port, grpc://host:port or unix:/path");
    }
    String rest = s.substring(colon + 1);
    switch (scheme) {
      case "http", "https", "tcp", "grpc":
        return parseNetwork(scheme, rest, shown);
      case "unix":
        return new ParsedUri(java.util.List.of(Endpoint.unix(unixPath(rest, shown))), false, null, null, null);
      default:
        if (rest.matches("[0-9]+(/.*)?")) {
          throw new InvalidValue(shown + " has no scheme; write http://" + Display.maskUserInfo(s)
              + " (or use the 'address' key for host:port)");
        }
        throw new InvalidValue(shown + " has the unsupported scheme '" + scheme
            + "'; use http, https, tcp, grpc or unix");
    }
  }

  private static ParsedUri parseNetwork(String scheme, String rest, String shown) throws InvalidValue {
    if (!rest.startsWith("//")) {
      throw new InvalidValue(shown + " must have the form " + scheme + "://host[:port][/db_name]");
    }
    String afterSlashes = rest.substring(2);
    // Everything before the last '@' is user info, even if it holds a raw '/', '?' or '#': a
    // password must never be mistaken for a host, port or path and end up in a message.
    // Display.maskUserInfo draws the same line.
    int at = afterSlashes.lastIndexOf('@');
    String afterUserInfo = afterSlashes.substring(at + 1);
    int end = indexOfAny(afterUserInfo, "/?#");
    String hostPort = end < 0 ? afterUserInfo : afterUserInfo.substring(0, end);
    String path = end < 0 ? "" : cut(afterUserInfo.substring(end), "?#");

    String user = null;
    String password = null;
    if (at >= 0) {
      String userInfo = afterSlashes.substring(0, at);
      if (indexOfAny(userInfo, "/?#") >= 0) {
        throw new InvalidValue(shown + ": the user info contains '/', '?' or '#'; percent-encode them"
            + " (%2F, %3F, %23)");
      }
      int sep = userInfo.indexOf(':');
      try {
        user = emptyToNull(percentDecode(sep < 0 ? userInfo : userInfo.substring(0, sep)));
        password = sep < 0 ? null : emptyToNull(percentDecode(userInfo.substring(sep + 1)));
      } catch (InvalidValue e) {
        throw new InvalidValue(shown + ": the user info has invalid percent-encoding");
      }
    }
    boolean https = scheme.equals("https");
    // several proxies of one cluster: http://host1:19530,host2:19530/db
    java.util.List<Endpoint> endpoints = new java.util.ArrayList<>();
    for (String one : hostPort.split(",", -1)) {
      endpoints.add(hostAndPort(one, https ? 443 : ConnectionConfig.DEFAULT_PORT, shown));
    }
    String db = null;
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        try {
          db = percentDecode(segment);
        } catch (InvalidValue e) {
          throw new InvalidValue(shown + ": the database in the path has invalid percent-encoding");
        }
        break;
      }
    }
    return new ParsedUri(java.util.List.copyOf(endpoints), https, user, password, db);
  }

  private static Endpoint hostAndPort(String hostPort, int defaultPort, String shown) throws InvalidValue {
    if (hostPort.isEmpty()) {
      throw new InvalidValue(shown + " has no host");
    }
    String host;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new InvalidValue(shown + " has an unclosed '[' in its host");
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new InvalidValue(shown + " has unexpected text after ']'");
        }
        portText = after.substring(1);
      }
      if (host.indexOf(':') < 0) {
        throw new InvalidValue(shown + ": only IPv6 addresses go in brackets");
      }
    } else {
      int c = hostPort.indexOf(':');
      if (c >= 0 && hostPort.indexOf(':', c + 1) >= 0) {
        throw new InvalidValue(shown + ": " + HostSyntax.manyColonsHint(hostPort, "http://[::1]:19530"));
      }
      host = c < 0 ? hostPort : hostPort.substring(0, c);
      portText = c < 0 ? null : hostPort.substring(c + 1);
      if (host.isEmpty()) {
        throw new InvalidValue(shown + " has no host");
      }
    }
    try {
      String checked = HostSyntax.check(host);
      int port = portText == null ? defaultPort : Values.portText(portText);
      return Endpoint.tcp(checked, port);
    } catch (InvalidValue e) {
      throw new InvalidValue(shown + ": " + e.getMessage());
    }
  }

  private static String unixPath(String rest, String shown) throws InvalidValue {
    String path = rest;
    if (rest.startsWith("//")) {
      if (!rest.startsWith("///")) {
        throw new InvalidValue(shown + ": a unix socket URI takes no host; write unix:/path or unix:///path");
      }
      path = rest.substring(2);
    }
    if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
      throw new InvalidValue(shown + " must name a socket file by its absolute path: unix:/path/to/socket");
    }
    if (indexOfAny(path, "?#") >= 0) {
      throw new InvalidValue(shown + ": a unix socket path may not contain '?' or '#'");
    }
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_UNIX_PATH_BYTES) {
      throw new InvalidValue(shown + ": a unix socket path is limited to " + MAX_UNIX_PATH_BYTES + " bytes");
    }
    return path;
  }

  /** Strict RFC 3986 percent-decoding into UTF-8; '+' stays '+'. */
  static String percentDecode(String s) throws InvalidValue {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? hex(s.charAt(i + 1)) : -1;
        int lo = hi >= 0 ? hex(s.charAt(i + 2)) : -1;
        if (lo < 0) {
          throw new InvalidValue("invalid percent-encoding");
        }
        bytes.write((hi << 4) | lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidValue("percent-encoding is not valid UTF-8");
    }
  }

  private static int hex(char c) {
    return c > 'f' ? -1 : Character.digit(c, 16);
  }

  private static String cut(String s, String stops) {
    int i = indexOfAny(s, stops);
    return i < 0 ? s : s.substring(0, i);
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static @Nullable String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
