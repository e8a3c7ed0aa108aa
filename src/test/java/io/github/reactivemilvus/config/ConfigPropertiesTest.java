package io.github.reactivemilvus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated configs: hostile strings, huge and non-finite numbers, wrong types, unicode and
 * control characters, secrets in {@code password}, {@code token} and URI user info. Every one
 * either resolves or fails with a {@link ConnectionConfigException}, and no generated secret ever
 * appears in a message or {@code toString}.
 */
class ConfigPropertiesTest {
  /** A config and the secrets hidden in it. */
  record Case(Map<String, Object> config, List<String> secrets) {
    @Override
    public String toString() {
      return config.keySet().toString();
    }
  }

  @Property(tries = 10_000)
  void anyConfigResolvesOrFailsWithAConfigExceptionAndNeverShowsASecret(@ForAll("cases") Case c) {
    String shown;
    try {
      ConnectionConfig config = ConnectionConfig.fromMap(c.config());
      shown = config + "\n" + config.info("alias", ConnectionConfig.DEFAULT_TIMEOUT) + "\n"
          + config.differingFields(ConnectionConfig.builder().build());
      assertThat(config).isEqualTo(ConnectionConfig.fromMap(c.config()));
      assertThat(config.hashCode()).isEqualTo(ConnectionConfig.fromMap(c.config()).hashCode());
    } catch (ConnectionConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      shown = TestConfigs.everythingShown(e);
    }
    shown += "\n" + NamedConfig.of("alias", c.config());
    for (String secret : c.secrets()) {
      assertThat(shown).doesNotContain(secret);
    }
  }

  @Property(tries = 2_000)
  void validUrisRoundTripTheirParts(@ForAll("validUris") Map<String, Object> parts) {
    ConnectionConfig c = ConnectionConfig.fromMap(Map.of("uri", parts.get("uri")));
    assertThat(c.host()).isEqualTo(parts.get("host"));
    assertThat(c.port()).isEqualTo(parts.get("port"));
    assertThat(c.user()).isEqualTo(parts.get("user"));
    assertThat(c.dbName()).isEqualTo(parts.get("db"));
    assertThat(c.authorizationHeader()).isEqualTo(java.util.Base64.getEncoder().encodeToString(
        (parts.get("user") + ":" + parts.get("password")).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Property(tries = 2_000)
  void equalConfigsHaveEqualHashCodesAndDifferingConfigsNameADifference(
      @ForAll("simpleConfigs") Map<String, Object> a, @ForAll("simpleConfigs") Map<String, Object> b) {
    ConnectionConfig x = ConnectionConfig.fromMap(a);
    ConnectionConfig y = ConnectionConfig.fromMap(b);
    if (x.equals(y)) {
      assertThat(x.hashCode()).isEqualTo(y.hashCode());
      assertThat(x.differingFields(y)).isEmpty();
    } else {
      assertThat(x.differingFields(y)).isNotEmpty();
    }
  }

  @Property(tries = 2_000)
  void ipv6LiteralsParseToTheirGroupsInEveryTextForm(
      @ForAll("ipv6Groups") int[] groups, @ForAll boolean upper, @ForAll boolean compress) {
    StringBuilder full = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      full.append(i == 0 ? "" : ":").append(Integer.toHexString(groups[i]));
    }
    String text = compress ? compressLongestZeroRun(groups) : full.toString();
    text = upper ? text.toUpperCase(java.util.Locale.ROOT) : text;
    byte[] bytes = HostSyntax.ipv6(text);
    assertThat(bytes).as(text).isNotNull();
    for (int i = 0; i < 8; i++) {
      assertThat(((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff)).as(text).isEqualTo(groups[i]);
    }
    ConnectionConfig c = ConnectionConfig.fromMap(Map.of("uri", "http://[" + text + "]:1"));
    assertThat(c.address()).isEqualTo("[" + text.toLowerCase(java.util.Locale.ROOT) + "]:1");
    assertThat(ConnectionConfig.fromMap(Map.of("address", "[" + full + "]:1", "host", text)).port()).isEqualTo(1);
  }

  private static String compressLongestZeroRun(int[] g) {
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
    }
    if (bestLength < 2) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        sb.append(i == 0 ? "" : ":").append(Integer.toHexString(g[i]));
      }
      return sb.toString();
    }
    StringBuilder head = new StringBuilder();
    for (int i = 0; i < bestStart; i++) {
      head.append(i == 0 ? "" : ":").append(Integer.toHexString(g[i]));
    }
    StringBuilder tail = new StringBuilder();
    for (int i = bestStart + bestLength; i < 8; i++) {
      tail.append(tail.length() == 0 ? "" : ":").append(Integer.toHexString(g[i]));
    }
    return head + "::" + tail;
  }

  @Provide
  Arbitrary<int[]> ipv6Groups() {
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 0xffff)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(0)))
        .array(int[].class).ofSize(8);
  }

  // ---- generators ----

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<String> secret = Arbitraries.strings().withCharRange('a', 'z').ofLength(12).map(s -> "Sx9" + s);
    Arbitrary<Map<String, Object>> base = Arbitraries.maps(keys(), values()).ofMaxSize(7);
    Arbitrary<String> encodedSecret = secret.map(s -> s.substring(0, 6) + "%2F%40" + s.substring(6));
    return Combinators.combine(base, secret, secret, encodedSecret, Arbitraries.integers().between(0, 15), hostile())
        .as((m, password, token, uriPassword, mask, junk) -> {
          Map<String, Object> config = new LinkedHashMap<>(m);
          List<String> secrets = new ArrayList<>();
          if ((mask & 1) != 0) {
            config.put("password", password);
            secrets.add(password);
          }
          if ((mask & 2) != 0) {
            config.put("token", token);
            secrets.add(token);
          }
          if ((mask & 4) != 0) {
            String[] shapes = {"http://u:%s@h:1", "https://u:%s@%s", "tcp://u:%s@[::1]:%s", "u:%s@%s",
                "http:u:%s@h", "grpc://u:%s@h:1/%s"};
            String shape = shapes[Math.floorMod(junk.hashCode(), shapes.length)];
            config.put((mask & 8) != 0 ? "uri" : "address", String.format(shape, uriPassword, junk));
            secrets.add(uriPassword);
            secrets.add(decodedSecret(uriPassword));
          }
          return new Case(config, secrets);
        });
  }

  private static String decodedSecret(String encoded) {
    return encoded.replace("%2F", "/").replace("%40", "@");
  }

  private Arbitrary<String> keys() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.of(ConfigKeys.ALL)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(10)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("scure", "db-name", "Host", "", " uri", "timeout ")));
  }

  private Arbitrary<Object> values() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, hostile().map(s -> (Object) s)),
        net.jqwik.api.Tuple.of(3, numbers()),
        net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false)),
        net.jqwik.api.Tuple.of(1, odd()),
        net.jqwik.api.Tuple.of(1, durations()));
  }

  private Arbitrary<String> hostile() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(30),
        Arbitraries.strings().withChars("[]:@/%?#.\\ \t\n\u0000-_+*").withCharRange('a', 'f').withCharRange('0', '9')
            .ofMaxLength(25),
        Arbitraries.of("http://", "https://h", "unix:", "unix:///x.sock", "./m.db", "[::1]", "::1", "h:1", "[::1]:1",
            "1.5", "-1", "65535", "NaN", "Infinity", "1e999", "true", "\u0661\u0662", "%ff", "root", "localhost",
            "http://h:1/db", "tcp://[fe80::1%25x]:1", "\uD800", "\uDBFF\uDFFF"),
        Combinators.combine(Arbitraries.of("http", "HTTPS", "tcp", "grpc", "unix", "ftp", ""),
                Arbitraries.strings().withChars("[]:@/%.h1:9-").ofMaxLength(20))
            .as((scheme, rest) -> scheme + "://" + rest));
  }

  private Arbitrary<Object> numbers() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(Double.POSITIVE_INFINITY)
            .withSpecialValue(Double.NEGATIVE_INFINITY).withSpecialValue(-0.0).map(d -> (Object) d),
        Arbitraries.integers().between(0, 400).map(n -> (Object) BigInteger.TEN.pow(n).negate().add(BigInteger.ONE)),
        Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(-1_000_000_000, 1_000_000_000))
            .as((unscaled, scale) -> (Object) new BigDecimal(BigInteger.valueOf(unscaled), scale)),
        Arbitraries.integers().between(1, 65535).map(i -> (Object) i),
        Arbitraries.floats().map(f -> (Object) f),
        Arbitraries.of((short) 5, (byte) -1, new java.util.concurrent.atomic.AtomicInteger(7)));
  }

  private Arbitrary<Object> durations() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs().between(0, 999_999_999))
        .as((s, n) -> (Object) Duration.ofSeconds(s % Long.MAX_VALUE, 0).plusNanos(Math.abs(n)));
  }

  private Arbitrary<Object> odd() {
    return Arbitraries.of(
        List.of("a", 1), Map.of("k", "v"), Optional.of("x"), new Object(), new int[] {1}, 'c',
        Path.of("/nonexistent/x.pem"), new File("/etc/hostname"), RetryPolicy.defaults(), new StringBuilder("h:1"),
        new EvilText(), new EvilNumber(), List.of(), Map.of());
  }

  /** A CharSequence of the caller's own making that fails when read. */
  static final class EvilText implements CharSequence {
    @Override
    public int length() {
      return 3;
    }

    @Override
    public char charAt(int index) {
      throw new IllegalStateException("no");
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      throw new IllegalStateException("no");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("no");
    }
  }

  /** A Number of the caller's own making that fails when read. */
  static final class EvilNumber extends Number {
    private static final long serialVersionUID = 1L;

    @Override
    public int intValue() {
      throw new ArithmeticException("no");
    }

    @Override
    public long longValue() {
      throw new ArithmeticException("no");
    }

    @Override
    public float floatValue() {
      throw new ArithmeticException("no");
    }

    @Override
    public double doubleValue() {
      throw new ArithmeticException("no");
    }

    @Override
    public String toString() {
      throw new ArithmeticException("no");
    }
  }

  @Provide
  Arbitrary<Map<String, Object>> validUris() {
    Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofMinLength(1).ofMaxLength(10);
    Arbitrary<String> host = Arbitraries.oneOf(
        label.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l)).filter(h -> !h.matches("[0-9.]+")),
        Arbitraries.integers().between(0, 255).list().ofSize(4)
            .map(l -> l.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("."))),
        Arbitraries.of("::1", "2001:db8::1", "fe80::a:b:c", "::ffff:10.0.0.1"));
    Arbitrary<String> anyText = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12)
        .filter(s -> s.codePoints().allMatch(Character::isDefined) && !hasLoneSurrogate(s));
    Arbitrary<String> db = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(12);
    return Combinators.combine(Arbitraries.of("http", "https", "tcp", "grpc"), host,
            Arbitraries.integers().between(1, 65535), anyText.filter(u -> u.indexOf(':') < 0), anyText, db)
        .as((scheme, h, port, user, password, d) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          String shownHost = h.contains(":") ? "[" + h + "]" : h;
          m.put("uri", scheme + "://" + encode(user) + ":" + encode(password) + "@" + shownHost + ":" + port + "/" + d);
          m.put("host", h);
          m.put("port", port);
          m.put("user", user);
          m.put("password", password);
          m.put("db", d);
          return m;
        });
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) {
        return true;
      }
      if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
        return true;
      }
    }
    return false;
  }

  private static String encode(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  @Provide
  Arbitrary<Map<String, Object>> simpleConfigs() {
    return Combinators.combine(Arbitraries.of("a", "b", "::1"), Arbitraries.of(1, 2, 19530),
            Arbitraries.of("", "db1", "db2"), Arbitraries.of("", "t1", "t2"), Arbitraries.of(false, true),
            Arbitraries.of(1, 2), Arbitraries.of(0.5, 0.25))
        .as((host, port, db, token, secure, pool, jitter) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("host", host);
          m.put("port", port);
          m.put("db_name", db);
          m.put("token", token);
          m.put("secure", secure);
          m.put("pool_size", pool);
          m.put("retry_jitter", jitter);
          return m;
        });
  }
}
