package io.github.reactivemilvus.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Renders config values for problem messages: quoted, with control characters escaped, cut to a
 * readable length, and with the password of a URI's user info replaced by {@code ***}. Secret
 * keys ({@code password}, {@code token}) are never passed here; their messages name the type only.
 */
final class Display {
  static final String MASK = "***";
  private static final int MAX_CHARS = 120;
  private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

  private Display() {}

  /** A string in single quotes, escaped and shortened. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 8).append('\'');
    int shown = 0;
    for (int i = 0; i < s.length(); i++) {
      if (shown >= MAX_CHARS) {
        sb.append("...");
        break;
      }
      char c = s.charAt(i);
      if (c == '\'' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.getType(c) == Character.FORMAT
          || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR
          || Character.getType(c) == Character.SURROGATE && !validSurrogateAt(s, i)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
      shown++;
    }
    return sb.append('\'').toString();
  }

  private static boolean validSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  /**
   * A URI (or something meant to be one) with the password of its user info masked, quoted.
   */
  static String uri(String raw) {
    return quote(maskUserInfo(raw));
  }

  /**
   * Masks everything between the first ':' of the authority and the last '@'. This is exactly
   * what {@link UriParser} takes as the password, and it also covers text that does not parse
   * (no scheme, no "//"): it may mask more than the password, never less.
   */
  static String maskUserInfo(String raw) {
    int at = raw.lastIndexOf('@');
    if (at < 0) {
      return raw;
    }
    int sep = raw.indexOf("://");
    int start = sep > 0 && sep < at && SCHEME.matcher(raw.substring(0, sep)).matches() ? sep + 3 : 0;
    int colon = raw.indexOf(':', start);
    if (colon < 0 || colon > at) {
      return raw;
    }
    return raw.substring(0, colon + 1) + MASK + raw.substring(at);
  }

  /** A non-secret value of any type, safe to log. */
  static String value(Object v) {
    try {
      if (v instanceof CharSequence cs) {
        return quote(cs.toString());
      }
      if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
          || v instanceof Byte || v instanceof Double || v instanceof Float || v instanceof BigInteger
          || v instanceof BigDecimal || v instanceof Duration) {
        String text = v.toString();
        return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "..." : text;
      }
      if (v instanceof Path p) {
        return quote(p.toString());
      }
    } catch (RuntimeException e) {
      // A CharSequence or Number of the caller's own making may fail to render; name the type.
    }
    return "a value of type " + typeName(v);
  }

  static String typeName(Object v) {
    if (v == null) {
      return "null";
    }
    Class<?> c = v.getClass();
    return c.getName().startsWith("java.") ? c.getSimpleName() : c.getName();
  }
}
