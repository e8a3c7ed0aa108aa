package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.Setting.ADDRESS;
import static io.github.reactivemilvus.config.Setting.HOST;
import static io.github.reactivemilvus.config.Setting.PORT;
import static io.github.reactivemilvus.config.Setting.URI;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * SPEC §3.1-3.3: the endpoint from {@code address}, {@code uri} or {@code host}/{@code port}. More
 * than one form may be given as long as they agree; when they name different endpoints, the later
 * key's problem names both keys.
 */
final class EndpointRules {
  private EndpointRules() {}

  /**
   * Sets the endpoints of {@code r}; returns the parsed URI (for credentials, database, TLS) or null.
   * {@code address} and {@code uri} may list several endpoints (the proxies of one cluster), comma
   * separated: {@code host1:19530,host2:19530}, {@code http://host1:19530,host2:19530/db}.
   */
  static UriParser.@Nullable ParsedUri apply(ConfigInput in, ConnectionConfig.Resolved r) {
    List<Endpoint> address = in.get(ADDRESS, EndpointRules::parseAddresses);
    UriParser.ParsedUri uri = in.get(URI, UriParser::parse);
    String host = in.get(HOST, EndpointRules::parseHostKey);
    Integer port = in.get(PORT);

    List<Endpoint> chosen = address;
    Setting<String> chosenKey = ADDRESS;
    if (uri != null) {
      if (chosen == null) {
        chosen = uri.endpoints();
        chosenKey = URI;
      } else if (!sameEndpoints(chosen, uri.endpoints())) {
        in.problem(URI, "names " + addresses(uri.endpoints()) + " but 'address' names " + addresses(chosen)
            + "; give one endpoint form, or make them agree");
      }
    }
    if (chosen != null) {
      String twice = firstRepeated(chosen);
      if (twice != null) {
        in.problem(chosenKey, "lists " + twice + " twice");
      }
    }
    if (chosen == null) {
      chosen = List.of(Endpoint.tcp(host != null ? host : Objects.requireNonNull(HOST.defaultValue()),
          port != null ? port : Objects.requireNonNull(PORT.defaultValue())));
    } else if (chosen.size() > 1) {
      String several = "cannot be combined with the " + chosen.size() + " endpoints of '" + chosenKey
          + "'; give one endpoint form";
      if (host != null) {
        in.problem(HOST, several);
      }
      if (port != null) {
        in.problem(PORT, several);
      }
    } else {
      checkAgrees(in, chosen.get(0), chosenKey, host, port);
    }
    Endpoint first = chosen.get(0);
    r.set(HOST, first.host());
    r.set(PORT, first.port());
    r.unixSocketPath = first.unixPath();
    r.endpoints = List.copyOf(chosen);
    return uri;
  }

  private static boolean sameEndpoints(List<Endpoint> a, List<Endpoint> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).sameAs(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable String firstRepeated(List<Endpoint> endpoints) {
    for (int i = 0; i < endpoints.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (endpoints.get(i).sameAs(endpoints.get(j))) {
          return endpoints.get(i).address();
        }
      }
    }
    return null;
  }

  static String addresses(List<Endpoint> endpoints) {
    StringBuilder sb = new StringBuilder();
    for (Endpoint e : endpoints) {
      sb.append(sb.length() == 0 ? "" : ",").append(e.address());
    }
    return sb.toString();
  }

  /** One {@code host:port} or several, comma separated. */
  static List<Endpoint> parseAddresses(String raw) throws InvalidValue {
    if (raw.indexOf(',') < 0) {
      return List.of(parseAddress(raw));
    }
    List<Endpoint> out = new ArrayList<>();
    for (String one : raw.split(",", -1)) {
      if (one.isBlank()) {
        throw new InvalidValue(Display.uri(raw.strip()) + " has an empty entry; expected host:port,host:port");
      }
      out.add(parseAddress(one));
    }
    return out;
  }

  private static void checkAgrees(ConfigInput in, Endpoint chosen, Setting<String> chosenKey, @Nullable String host,
      @Nullable Integer port) {
    String against = "'" + chosenKey + "' names " + chosen.address() + "; give one endpoint form, or make them agree";
    if (host != null && (chosen.unixPath() != null
        || !HostSyntax.comparisonKey(host).equals(HostSyntax.comparisonKey(Objects.requireNonNull(chosen.host()))))) {
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
        if (HostSyntax.isPortLike(s)) {
          // a port alone: suggesting "19530:19530" would read it as a host
          throw new InvalidValue(Display.quote(s) + " is a port without a host; expected host:port, e.g. "
              + Display.quote("localhost:" + s) + " (or use the 'port' key)");
        }
        throw new InvalidValue(Display.quote(s) + " has no port; expected host:port, e.g. "
            + Display.quote(s + ":" + PORT.defaultValue()));
      }
      if (s.indexOf(':', colon + 1) >= 0) {
        throw new InvalidValue(Display.quote(s) + ": " + HostSyntax.manyColonsHint(s, "[::1]:19530"));
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
