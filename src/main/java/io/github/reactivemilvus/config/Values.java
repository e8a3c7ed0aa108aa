package io.github.reactivemilvus.config;

import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Converts raw config values (whatever their Java type) into the types the resolver needs. Every
 * method either returns a usable value or throws {@link InvalidValue} with a message that is safe
 * to show; none throws an unchecked exception, whatever the input. Numbers are handled as
 * {@link BigDecimal} and range-checked before any conversion that could be expensive or overflow.
 */
final class Values {
  /** Upper bound of every duration key: large enough for any real use, far from overflow. */
  static final Duration MAX_DURATION = Duration.ofDays(365);
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(MAX_DURATION.getSeconds());
  private static final BigDecimal MIN_SECONDS = new BigDecimal("0.001");
  private static final Pattern INTEGER_TEXT = Pattern.compile("[0-9]{1,30}");
  private static final Pattern DECIMAL_TEXT = Pattern.compile("[0-9]{1,30}(\\.[0-9]{0,30})?|\\.[0-9]{1,30}");

  private Values() {}

  /** Null, an empty string and an empty char sequence mean "not given". */
  static boolean isAbsent(@Nullable Object v) {
    try {
      return v == null || (v instanceof CharSequence cs && cs.length() == 0);
    } catch (RuntimeException e) {
      return false;
    }
  }

  static String string(Object v) throws InvalidValue {
    if (v instanceof CharSequence cs) {
      try {
        return cs.toString();
      } catch (RuntimeException e) {
        throw new InvalidValue("could not be read as a string (" + Display.typeName(v) + ")");
      }
    }
    throw new InvalidValue("must be a string, got " + article(v));
  }

  /** A secret string: the message names the type only, never the value. */
  static String secret(Object v) throws InvalidValue {
    if (v instanceof CharSequence) {
      return string(v);
    }
    throw new InvalidValue("must be a string, got " + article(v) + " (value not shown)");
  }

  /** {@code true}/{@code false}, as a Boolean or as the (case-insensitive) strings. */
  static boolean bool(Object v) throws InvalidValue {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof CharSequence) {
      String s = string(v).strip().toLowerCase(Locale.ROOT);
      if (s.equals("true") || s.equals("false")) {
        return s.equals("true");
      }
    }
    throw new InvalidValue("must be true or false, got " + Display.value(v));
  }

  /** A TCP port, 1-65535, as an integral number or a decimal string. */
  static int port(Object v) throws InvalidValue {
    return intIn(v, 1, 65535, true);
  }

  /** Port text taken from inside a URI or an address (digits only). */
  static int portText(String text) throws InvalidValue {
    if (text.isEmpty()) {
      throw new InvalidValue("the port is empty");
    }
    if (!INTEGER_TEXT.matcher(text).matches()) {
      throw new InvalidValue("the port " + Display.quote(text) + " is not a number 1-65535");
    }
    BigDecimal d = new BigDecimal(text);
    if (d.compareTo(BigDecimal.ONE) < 0 || d.compareTo(BigDecimal.valueOf(65535)) > 0) {
      throw new InvalidValue("the port " + text + " is out of range 1-65535");
    }
    return d.intValue();
  }

  private static final BigDecimal WHOLE_CHECK_LIMIT = BigDecimal.valueOf(1_000_000_000_000L);

  /** An integer within [min, max]; strings are accepted when {@code textAllowed}. */
  static int intIn(Object v, int min, int max, boolean textAllowed) throws InvalidValue {
    String range = "an integer " + min + "-" + max;
    BigDecimal d = decimal(v, textAllowed, INTEGER_TEXT, range);
    // a fraction of ordinary size is told as such (0.3 is not a whole number, not "out of range");
    // huge magnitudes go to the range check first: stripTrailingZeros on them is slow
    if (d.scale() > 0 && d.abs().compareTo(WHOLE_CHECK_LIMIT) < 0 && d.stripTrailingZeros().scale() > 0) {
      throw new InvalidValue("must be " + range + ", got " + Display.value(v) + " (not a whole number)");
    }
    if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new InvalidValue("must be " + range + ", got " + Display.value(v) + " (out of range)");
    }
    return d.intValue(); // in range, so below WHOLE_CHECK_LIMIT: a fraction was refused above
  }

  /** A finite number within [min, max]. */
  static double numberIn(Object v, double min, double max) throws InvalidValue {
    String range = "a number " + plain(min) + "-" + plain(max);
    BigDecimal d = decimal(v, true, DECIMAL_TEXT, range);
    if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new InvalidValue("must be " + range + ", got " + Display.value(v) + " (out of range)");
    }
    return d.doubleValue();
  }

  /**
   * A positive duration: a {@link Duration}, or a number of seconds (a number or a decimal
   * string such as {@code "2.5"}). At least 1 ms, at most 365 days.
   */
  static Duration duration(Object v) throws InvalidValue {
    String what = "a positive number of seconds (or a java.time.Duration)";
    if (v instanceof Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new InvalidValue("must be positive, got " + d);
      }
      if (d.compareTo(Duration.ofMillis(1)) < 0) {
        throw new InvalidValue("must be at least 1 ms, got " + d);
      }
      if (d.compareTo(MAX_DURATION) > 0) {
        throw new InvalidValue("must be at most 365 days, got " + d);
      }
      return d;
    }
    BigDecimal s = decimal(v, true, DECIMAL_TEXT, what);
    if (s.signum() <= 0) {
      throw new InvalidValue("must be " + what + ", got " + Display.value(v));
    }
    if (s.compareTo(MIN_SECONDS) < 0) {
      throw new InvalidValue("must be at least 0.001 s (1 ms), got " + Display.value(v));
    }
    if (s.compareTo(MAX_SECONDS) > 0) {
      throw new InvalidValue("must be at most 365 days (" + MAX_SECONDS + " s), got " + Display.value(v));
    }
    long nanos = s.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
    return Duration.ofNanos(nanos);
  }

  /**
   * A {@link #duration} of at least {@code min}: shorter values are refused rather than raised in
   * silence by the transport. {@code why} ends the message ("... at least 10 s ({@code why})").
   */
  static Duration durationAtLeast(Object v, Duration min, String minText, String why) throws InvalidValue {
    Duration d = duration(v);
    if (d.compareTo(min) < 0) {
      throw new InvalidValue("must be at least " + minText + " (" + why + "), got " + Display.value(v));
    }
    return d;
  }

  /** A file path: a string, a {@link Path} or a {@link File}. The file itself is not touched. */
  static Path path(Object v) throws InvalidValue {
    try {
      if (v instanceof Path p) {
        return p;
      }
      if (v instanceof File f) {
        return f.toPath();
      }
      if (v instanceof CharSequence) {
        // Path.of refuses NUL and other characters the platform cannot name.
        return Path.of(string(v));
      }
    } catch (InvalidPathException e) {
      throw new InvalidValue("is not a valid path: " + Display.value(v));
    }
    throw new InvalidValue("must be a file path (string or java.nio.file.Path), got " + article(v));
  }

  /**
   * The value as a BigDecimal. Booleans, NaN and infinities are refused; text only when allowed
   * and matching {@code textPattern} (no signs, exponents or words, which keeps "NaN", "1e999"
   * and "-1" out).
   */
  private static BigDecimal decimal(Object v, boolean textAllowed, Pattern textPattern, String expected)
      throws InvalidValue {
    if (v instanceof Boolean) {
      throw new InvalidValue("must be " + expected + ", got a boolean");
    }
    if (v instanceof CharSequence && textAllowed) {
      String s = string(v).strip();
      if (!textPattern.matcher(s).matches()) {
        throw new InvalidValue("must be " + expected + ", got " + Display.value(v));
      }
      return new BigDecimal(s.startsWith(".") ? "0" + s : s);
    }
    if (v instanceof Number n) {
      BigDecimal d = toDecimal(n);
      if (d == null) {
        throw new InvalidValue("must be " + expected + ", got " + Display.value(v));
      }
      return d;
    }
    throw new InvalidValue("must be " + expected + ", got " + article(v));
  }

  private static @Nullable BigDecimal toDecimal(Number n) {
    try {
      if (n instanceof BigDecimal d) {
        return d;
      }
      if (n instanceof BigInteger i) {
        return new BigDecimal(i);
      }
      if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
          || n instanceof java.util.concurrent.atomic.AtomicInteger
          || n instanceof java.util.concurrent.atomic.AtomicLong) {
        return BigDecimal.valueOf(n.longValue());
      }
      if (n instanceof Double || n instanceof Float) {
        double d = n.doubleValue();
        return Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null;
      }
      return new BigDecimal(n.toString());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** "a String", "an Integer", "a List": the type of a value for messages, never its content. */
  static String article(Object v) {
    String t = v instanceof java.util.List<?> ? "list" : v instanceof java.util.Map<?, ?> ? "map"
        : v instanceof Boolean ? "boolean" : v instanceof Number ? "number (" + Display.typeName(v) + ")"
        : Display.typeName(v);
    return ("aeiouAEIOU".indexOf(t.charAt(0)) >= 0 ? "an " : "a ") + t;
  }
}
