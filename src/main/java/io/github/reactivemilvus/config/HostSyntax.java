package io.github.reactivemilvus.config;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Syntax of host names and IP literals, written out by hand rather than through
 * {@code java.net.URI} or {@code InetAddress}: those accept things gRPC cannot dial, throw
 * unchecked exceptions, or (for names) would resolve DNS on the caller's thread.
 */
final class HostSyntax {
  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private HostSyntax() {}

  /**
   * Checks a host name, IPv4 literal or bare IPv6 literal (no brackets) and returns it in lower
   * case, which is how it is stored and compared.
   */
  static String check(String host) throws InvalidValue {
    if (host.isEmpty()) {
      throw new InvalidValue("the host is empty");
    }
    if (host.indexOf('@') >= 0 || host.indexOf('/') >= 0) {
      // never part of a host, and '@' may follow a password: shown masked, before any other message quotes it
      throw new InvalidValue(Display.uri(host) + " is not a host name or IP literal; put URIs in the 'uri' key");
    }
    if (containsWhitespaceOrControl(host)) {
      throw new InvalidValue("the host " + Display.quote(host) + " contains white space or control characters");
    }
    if (host.indexOf(':') >= 0) {
      if (host.indexOf('%') >= 0) {
        throw new InvalidValue("IPv6 zone IDs are not supported: " + Display.quote(host));
      }
      if (ipv6(host) == null) {
        throw new InvalidValue(Display.quote(host) + " is not a valid IPv6 address");
      }
      return host.toLowerCase(Locale.ROOT);
    }
    for (int i = 0; i < host.length(); i++) {
      if (host.charAt(i) > 0x7e) {
        throw new InvalidValue("the host " + Display.quote(host)
            + " is not ASCII; write an internationalized name in its punycode (xn--) form");
      }
    }
    if (looksNumeric(host)) {
      if (!isIpv4(host)) {
        throw new InvalidValue(Display.quote(host) + " is not a valid IPv4 address (four numbers 0-255)");
      }
      return host;
    }
    checkName(host);
    return host.toLowerCase(Locale.ROOT);
  }

  /** A form of the host under which two spellings of one host compare equal. */
  static String comparisonKey(String host) {
    byte[] v6 = host.indexOf(':') >= 0 ? ipv6(host) : null;
    if (v6 == null) {
      return host.toLowerCase(Locale.ROOT);
    }
    StringBuilder sb = new StringBuilder("v6:");
    for (byte b : v6) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }

  /** Digits only: what a port looks like. */
  static boolean isPortLike(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /**
   * What to say of a {@code host:port} text with more than one ':': an IPv6 address (with or
   * without a port) needs brackets; a name or IPv4 address followed by several ports has its port
   * written twice (or more).
   */
  static String manyColonsHint(String hostPort, String ipv6Example) {
    int last = hostPort.lastIndexOf(':');
    boolean ipv6 = ipv6(hostPort) != null || ipv6(hostPort.substring(0, last)) != null;
    String host = hostPort.substring(0, hostPort.indexOf(':'));
    String[] ports = hostPort.substring(hostPort.indexOf(':') + 1).split(":", -1);
    boolean allPorts = java.util.Arrays.stream(ports).allMatch(HostSyntax::isPortLike);
    if (!ipv6 && !host.isEmpty() && allPorts) {
      return "the port is given " + ports.length + " times (" + String.join(", ", ports)
          + "); expected one, e.g. " + Display.quote(host + ":" + ports[0]);
    }
    if (!ipv6 && !host.isEmpty() && !looksLikeIpv6Text(host)) {
      return "has more than one ':' after the host " + Display.quote(host) + "; expected host:port";
    }
    return "write an IPv6 host in brackets, e.g. " + ipv6Example;
  }

  /** Hex digits only (an IPv6 group), as opposed to a host name or IPv4 address. */
  private static boolean looksLikeIpv6Text(String s) {
    return s.chars().allMatch(c -> Character.digit(c, 16) >= 0) && s.length() <= 4;
  }

  static boolean containsWhitespaceOrControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        return true;
      }
    }
    return false;
  }

  private static void checkName(String host) throws InvalidValue {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new InvalidValue("the host name " + Display.quote(host) + " must be 1-253 characters long");
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
        throw new InvalidValue("the host name " + Display.quote(host)
            + " has an empty label or one longer than 63 characters");
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        throw new InvalidValue("a label of the host name " + Display.quote(host) + " starts or ends with '-'");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        // '_' is not valid DNS but common in container and cluster-internal names.
        if (!(isAsciiLetterOrDigit(c) || c == '-' || c == '_')) {
          throw new InvalidValue("the host name " + Display.quote(host)
              + " may contain only letters, digits, '-', '_' and '.'");
        }
      }
    }
  }

  private static boolean looksNumeric(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (!(c == '.' || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < p.length(); i++) {
        if (p.charAt(i) < '0' || p.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /** The 16 bytes of an IPv6 literal (RFC 4291 text form, optional dotted IPv4 tail), or null. */
  static byte @Nullable [] ipv6(String s) {
    if (s.length() < 2 || s.length() > 45) {
      return null;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    String head = gap >= 0 ? s.substring(0, gap) : s;
    String tail = gap >= 0 ? s.substring(gap + 2) : "";
    // A dotted IPv4 tail may only end the address: "::1.2.3.4" yes, "1.2.3.4::" no.
    int[] headGroups = groups(head, gap < 0);
    int[] tailGroups = gap >= 0 ? groups(tail, true) : new int[0];
    if (headGroups == null || tailGroups == null) {
      return null;
    }
    int total = headGroups.length + tailGroups.length;
    if (gap < 0 ? total != 8 : total > 7) {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < headGroups.length; i++) {
      put(out, i, headGroups[i]);
    }
    for (int i = 0; i < tailGroups.length; i++) {
      put(out, 8 - tailGroups.length + i, tailGroups[i]);
    }
    return out;
  }

  private static void put(byte[] out, int group, int value) {
    out[2 * group] = (byte) (value >>> 8);
    out[2 * group + 1] = (byte) value;
  }

  /** 16-bit groups of one side of "::"; a dotted IPv4 tail counts as two groups. */
  private static int @Nullable [] groups(String part, boolean mayEndWithIpv4) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] texts = part.split(":", -1);
    int[] out = new int[texts.length + 1];
    int n = 0;
    for (int i = 0; i < texts.length; i++) {
      String t = texts[i];
      if (i == texts.length - 1 && mayEndWithIpv4 && t.indexOf('.') >= 0) {
        if (!isIpv4(t)) {
          return null;
        }
        String[] q = t.split("\\.");
        out[n++] = (Integer.parseInt(q[0]) << 8) | Integer.parseInt(q[1]);
        out[n++] = (Integer.parseInt(q[2]) << 8) | Integer.parseInt(q[3]);
        continue;
      }
      if (t.isEmpty() || t.length() > 4) {
        return null;
      }
      int v = 0;
      for (int j = 0; j < t.length(); j++) {
        int d = Character.digit(t.charAt(j), 16);
        if (d < 0 || t.charAt(j) > 'f') {
          return null;
        }
        v = (v << 4) | d;
      }
      out[n++] = v;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
