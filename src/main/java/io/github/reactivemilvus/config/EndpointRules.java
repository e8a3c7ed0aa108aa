package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.Setting.ADDRESS;
import static io.github.reactivemilvus.config.Setting.HOST;
import static io.github.reactivemilvus.config.Setting.PORT;
import static io.github.reactivemilvus.config.Setting.URI;

/**
 * SPEC §3.1-3.3: the endpoint from {@code address}, {@code uri} or {@code host}/{@code port}. More
 * than one form may be given as long as they agree; when they name different endpoints, the later
 * key's problem names both keys.
 */
final class EndpointRules {
  private EndpointRules() {}

  /** Sets the endpoint of {@code r}; returns the parsed URI (for credentials, database, TLS) or null. */
  static UriParser.ParsedUri apply(ConfigInput in, ConnectionConfig.Resolved r) {
    Endpoint address = in.get(ADDRESS, EndpointRules::parseAddress);
    UriParser.ParsedUri uri = in.get(URI, UriParser::parse);
    String host = in.get(HOST, EndpointRules::parseHostKey);
    Integer port = in.get(PORT);

    Endpoint chosen = address;
    Setting<String> chosenKey = ADDRESS;
    if (uri != null) {
      if (chosen == null) {
        chosen = uri.endpoint();
        chosenKey = URI;
      } else if (!chosen.sameAs(uri.endpoint())) {
        in.problem(URI, "names " + uri.endpoint().address() + " but 'address' names " + chosen.address()
            + "; give one endpoint form, or make them agree");
      }
    }
    if (chosen == null) {
      chosen = Endpoint.tcp(host != null ? host : HOST.defaultValue(), port != null ? port : PORT.defaultValue());
    } else {
      checkAgrees(in, chosen, chosenKey, host, port);
    }
    r.set(HOST, chosen.host());
    r.set(PORT, chosen.port());
    r.unixSocketPath = chosen.unixPath();
    return uri;
  }

  private static void checkAgrees(ConfigInput in, Endpoint chosen, Setting<String> chosenKey, String host, Integer port) {
    String against = "'" + chosenKey + "' names " + chosen.address() + "; give one endpoint form, or make them agree";
    if (host != null && (chosen.unixPath() != null
        || !HostSyntax.comparisonKey(host).equals(HostSyntax.comparisonKey(chosen.host())))) {
      in.problem(HOST, "is " + Display.quote(host) + " but " + against);
    }
    if (port != null && port != chosen.port()) {
      in.problem(PORT, "is " + port + " but " + against);
    }
  }

  /** {@code host:port} or {@code [v6]:port}; the port is required. */
  static Endpoint parseAddress(String raw) throws InvalidValue {
    String s = raw.strip();
    if (s.isEmpty()) {
      throw new InvalidValue("is blank; expected host:port");
    }
    if (HostSyntax.containsWhitespaceOrControl(s)) {
      throw new InvalidValue(Display.uri(s) + " contains white space or control characters");
    }
    if (s.contains("://") || s.contains("@") || s.contains("/")) {
      throw new InvalidValue(Display.uri(s) + " is not host:port; put URIs in the 'uri' key");
    }
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || !s.startsWith(":", close + 1)) {
        throw new InvalidValue(Display.quote(s) + " must be [ipv6]:port, e.g. [::1]:19530");
      }
      host = s.substring(1, close);
      portText = s.substring(close + 2);
      if (host.indexOf(':') < 0) {
        throw new InvalidValue(Display.quote(s) + ": only IPv6 addresses go in brackets");
      }
    } else {
      int colon = s.indexOf(':');
      if (colon < 0) {
        throw new InvalidValue(Display.quote(s) + " has no port; expected host:port, e.g. "
            + Display.quote(s + ":" + PORT.defaultValue()));
      }
      if (s.indexOf(':', colon + 1) >= 0) {
        throw new InvalidValue(Display.quote(s) + " has more than one ':'; write an IPv6 host in brackets,"
            + " e.g. [::1]:19530");
      }
      host = s.substring(0, colon);
      portText = s.substring(colon + 1);
    }
    try {
      return Endpoint.tcp(HostSyntax.check(host), Values.portText(portText));
    } catch (InvalidValue e) {
      throw new InvalidValue(Display.quote(s) + ": " + e.getMessage());
    }
  }

  /** The {@code host} key: trimmed; a name, an IPv4 literal or an IPv6 literal with or without brackets. */
  static String parseHostKey(String raw) throws InvalidValue {
    String h = raw.strip();
    if (h.isEmpty()) {
      throw new InvalidValue("is blank");
    }
    if (h.startsWith("[") && h.endsWith("]") && h.indexOf(':') >= 0) {
      h = h.substring(1, h.length() - 1);
    } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
      throw new InvalidValue(Display.uri(h) + " looks like host:port; give the port in 'port', or use 'address'");
    }
    return HostSyntax.check(h);
  }
}
