package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.fields;
import static io.github.reactivemilvus.config.TestConfigs.rejected;
import static io.github.reactivemilvus.config.TestConfigs.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §3.1 and §3.3: {@code address}, {@code host}/{@code port}, defaults and conflicts. */
class EndpointRulesTest {
  @Nested
  class Defaults {
    @Test
    void nothingGivenMeansLocalhost19530() {
      ConnectionConfig c = resolve();
      assertThat(c.address()).isEqualTo("localhost:19530");
      assertThat(c.secure()).isFalse();
      assertThat(c.auth()).isEqualTo(AuthMode.NONE);
      assertThat(c.dbName()).isNull();
      assertThat(c.timeout()).isNull();
    }

    @Test
    void emptyStringsAndNullsMeanNotGiven() {
      ConnectionConfig c = resolve("uri", "", "address", null, "host", "", "port", "", "user", "",
          "password", null, "token", "", "db_name", "", "secure", null, "timeout", null, "server_pem_path", "");
      assertThat(c).isEqualTo(resolve());
    }

    @Test
    void onlyHostOrOnlyPortFillsTheOtherWithItsDefault() {
      assertThat(resolve("host", "example.com").address()).isEqualTo("example.com:19530");
      assertThat(resolve("port", 19531).address()).isEqualTo("localhost:19531");
    }
  }

  @Nested
  class Ports {
    static Stream<Arguments> acceptedPorts() {
      return Stream.of(
          Arguments.of(1), Arguments.of(65535), Arguments.of("65535"), Arguments.of(" 19530 "),
          Arguments.of(19530L), Arguments.of((short) 80), Arguments.of(BigInteger.valueOf(19530)),
          Arguments.of(new BigDecimal("19530")), Arguments.of(new BigDecimal("1.9530E4")), Arguments.of(19530.0));
    }

    @ParameterizedTest
    @MethodSource("acceptedPorts")
    void integralPortsOfAnyNumericTypeOrDecimalStringsAreAccepted(Object port) {
      int expected = new BigDecimal(port.toString().trim()).intValueExact();
      assertThat(resolve("port", port).port()).isEqualTo(expected);
    }

    static Stream<Arguments> rejectedPorts() {
      return Stream.of(
          Arguments.of(true), Arguments.of(false), Arguments.of(1.5), Arguments.of("1.5"), Arguments.of("abc"),
          Arguments.of(-1), Arguments.of("-1"), Arguments.of(0), Arguments.of(65536), Arguments.of("+80"),
          Arguments.of("1e3"), Arguments.of("0x50"), Arguments.of(Double.NaN), Arguments.of(Double.POSITIVE_INFINITY),
          Arguments.of(Long.MAX_VALUE), Arguments.of(BigInteger.TEN.pow(400)), Arguments.of(new BigDecimal("1E+999999999")),
          Arguments.of(new BigDecimal("1E-999999999")), Arguments.of(List.of(19530)), Arguments.of(Map.of("p", 1)),
          Arguments.of("\u0661\u0669\u0665\u0663\u0660"), Arguments.of("  "), Arguments.of('8'));
    }

    @ParameterizedTest
    @MethodSource("rejectedPorts")
    void anythingButAnIntegerFrom1To65535IsAPortProblem(Object port) {
      assertThat(fields(rejected("port", port))).containsExactly("port");
    }
  }

  @Nested
  class Hosts {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "' localhost '|localhost:19530",
        "Example.COM|example.com:19530",
        "my_service.ns.svc.cluster.local.|my_service.ns.svc.cluster.local.:19530",
        "10.0.0.1|10.0.0.1:19530",
        "::1|[::1]:19530",
        "[::1]|[::1]:19530",
        "2001:db8::1|[2001:db8::1]:19530",
        "xn--tt-bja.fr|xn--tt-bja.fr:19530",
    })
    void namesAndIpLiteralsAreAccepted(String host, String address) {
      assertThat(resolve("host", host).address()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local host", "a\tb", "a\u0000b", "a..b", ".a", "-a.com", "a-.com", "999.1.1.1",
        "1.2.3", "01.2.3.4", "h:1", "::g", "fe80::1%eth0", "\u00e9t\u00e9.fr", "a/b", "a@b", "   ", "[h]"})
    void invalidHostsAreRejected(String host) {
      assertThat(fields(rejected("host", host))).containsExactly("host");
    }

    @Test
    void internationalizedNamesGetAPunycodeHint() {
      assertThat(rejected("host", "\u00e9t\u00e9.fr").getMessage()).contains("punycode");
    }

    @Test
    void aHostWithAPortPointsToThePortAndAddressKeys() {
      assertThat(rejected("host", "h:1").getMessage()).contains("'port'").contains("'address'");
    }

    @Test
    void aHostOfTheWrongTypeIsAProblem() {
      assertThat(fields(rejected("host", 127))).containsExactly("host");
    }

    @Test
    void labelsAndNamesHaveDnsLengthLimits() {
      assertThat(resolve("host", "a".repeat(63) + ".com").host()).hasSize(67);
      assertThat(fields(rejected("host", "a".repeat(64) + ".com"))).containsExactly("host");
      String longName = ("a".repeat(60) + ".").repeat(5);
      assertThat(fields(rejected("host", longName))).containsExactly("host");
    }
  }

  @Nested
  class Addresses {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:19530|127.0.0.1:19530",
        "' h:1 '|h:1",
        "H:1|h:1",
        "[::1]:19530|[::1]:19530",
        "[2001:DB8::1]:1|[2001:db8::1]:1",
    })
    void hostPortAndBracketedIpv6AreAccepted(String address, String expected) {
      assertThat(resolve("address", address).address()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "h:", ":1", "h:0", "h:99999", "h:1:2", "::1:19530", "[::1]", "[::1]19530",
        "[h]:1", "http://h:1", "u:p@h:1", "h:1/db", "h :1", "h:abc", "   "})
    void malformedAddressesAreRejected(String address) {
      assertThat(fields(rejected("address", address))).containsExactly("address");
    }

    @Test
    void anUnbracketedIpv6AddressGetsABracketHint() {
      assertThat(rejected("address", "::1:19530").getMessage()).contains("[::1]:19530");
    }

    @Test
    void aMissingPortSuggestsTheDefault() {
      assertThat(rejected("address", "127.0.0.1").getMessage()).contains("127.0.0.1:19530");
    }
  }

  @Nested
  class Conflicts {
    @Test
    void addressAndUriNamingDifferentEndpointsIsAProblemNamingBoth() {
      ConnectionConfigException e = rejected("address", "x:1", "uri", "https://y:2");
      assertThat(e.problems()).singleElement().satisfies(p -> {
        assertThat(p.field()).isEqualTo("uri");
        assertThat(p.message()).contains("'address'").contains("x:1").contains("y:2");
      });
    }

    @Test
    void formsThatAgreeAreFine() {
      assertThat(resolve("address", "h:1", "uri", "http://h:1").address()).isEqualTo("h:1");
      assertThat(resolve("address", "H:1", "uri", "http://h:1", "host", "h", "port", "1").address()).isEqualTo("h:1");
      assertThat(resolve("uri", "http://h", "port", 19530).address()).isEqualTo("h:19530");
      assertThat(resolve("uri", "https://h", "port", 443).address()).isEqualTo("h:443");
      assertThat(resolve("address", "[::1]:1", "uri", "http://[0:0:0:0:0:0:0:1]:1").address()).isEqualTo("[::1]:1");
      assertThat(resolve("uri", "http://[::1]:1", "host", "::1").address()).isEqualTo("[::1]:1");
    }

    @Test
    void hostOrPortDisagreeingWithTheUriIsAProblemNamingBoth() {
      ConnectionConfigException e = rejected("uri", "http://h:1", "host", "other", "port", 2);
      assertThat(fields(e)).containsExactly("host", "port");
      assertThat(e.problems()).allSatisfy(p -> assertThat(p.message()).contains("'uri'"));
    }

    @Test
    void anHttpsUriDefaultsTo443SoAnExplicit19530Conflicts() {
      // pymilvus silently ignores host/port when a uri is given.
      assertThat(fields(rejected("uri", "https://h", "port", "19530"))).containsExactly("port");
    }

    @Test
    void hostOrPortDisagreeingWithTheAddressIsAProblem() {
      assertThat(fields(rejected("address", "h:1", "port", 2))).containsExactly("port");
      assertThat(rejected("address", "h:1", "host", "g").getMessage()).contains("'address'");
    }

    @Test
    void aUnixSocketUriConflictsWithAnyHost() {
      assertThat(fields(rejected("uri", "unix:/tmp/s.sock", "host", "localhost"))).containsExactly("host");
      assertThat(fields(rejected("uri", "unix:/tmp/s.sock", "address", "localhost:19530"))).containsExactly("uri");
    }

    @Test
    void anInvalidFormIsReportedOnItsOwnWithoutASpuriousConflict() {
      assertThat(fields(rejected("address", "h:1", "uri", "http://h:abc"))).containsExactly("uri");
    }
  }
}
