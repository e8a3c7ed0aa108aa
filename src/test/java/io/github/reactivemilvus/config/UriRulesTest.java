package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.everythingShown;
import static io.github.reactivemilvus.config.TestConfigs.fields;
import static io.github.reactivemilvus.config.TestConfigs.rejected;
import static io.github.reactivemilvus.config.TestConfigs.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §3.2: the {@code uri} key. */
class UriRulesTest {
  private static String header(ConnectionConfig c) {
    return new String(Base64.getDecoder().decode(c.authorizationHeader()), StandardCharsets.UTF_8);
  }

  @Nested
  class SchemesAndPorts {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://example.com, example.com:19530, false",
        "https://example.com, example.com:443, true",
        "https://example.com:8443, example.com:8443, true",
        "tcp://example.com, example.com:19530, false",
        "grpc://example.com:7, example.com:7, false",
        "HTTP://Example.COM:1, example.com:1, false",
        "HtTpS://h, h:443, true",
        "http://h:65535, h:65535, false",
        "http://h:019530, h:19530, false",
    })
    void acceptedSchemesGiveAddressAndSecure(String uri, String address, boolean secure) {
      ConnectionConfig c = resolve("uri", uri);
      assertThat(c.address()).isEqualTo(address);
      assertThat(c.secure()).isEqualTo(secure);
      assertThat(c.tls()).isEqualTo(secure ? TlsMode.SYSTEM_ROOTS : TlsMode.NONE);
    }

    @Test
    void surroundingWhiteSpaceIsTrimmed() {
      assertThat(resolve("uri", "  http://h:1 \n").address()).isEqualTo("h:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://h:1", "grpcs://h:1", "file:///tmp/x", "ws://h", "mailto:a@b"})
    void unsupportedSchemesAreRejected(String uri) {
      ConnectionConfigException e = rejected("uri", uri);
      assertThat(fields(e)).containsExactly("uri");
      assertThat(e.getMessage()).contains("http, https, tcp, grpc or unix");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://", "http:///db", "http://:19530", "http:/h:1", "http:h:1", "//h:1", "h", "://h",
        "http://h:", "http://h:0", "http://h:65536", "http://h:-1", "http://h:+1", "http://h:1:2",
        "http://h:1e3", "http://h:99999999999999999999999", "http://h :1", "http://h\t:1", "http://h\u0000:1",
        "http://[::1", "http://[::1]x", "http://[::1]:", "http://[h]:1", "http://::1:19530",
        "http://[::g]:1", "http://[fe80::1%25eth0]:1", "http://h%41:1", "http://a..b:1",
        "http://-a:1", "http://999.1.1.1:1", "http://\u00e9t\u00e9.fr", "http://h_:1/db name"})
    void malformedUrisAreRejectedAsConfigProblems(String uri) {
      ConnectionConfigException e = rejected("uri", uri);
      assertThat(fields(e)).containsExactly("uri");
    }

    @Test
    void aUriWithoutSchemeSuggestsTheHttpForm() {
      assertThat(rejected("uri", "localhost:19530").getMessage()).contains("http://localhost:19530");
    }

    @Test
    void aBadPortInAUriIsAConfigProblemNotARawError() {
      // pymilvus: urlparse(...).port raises a raw ValueError for "http://h:abc".
      ConnectionConfigException e = rejected("uri", "http://localhost:abc");
      assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("'abc'"));
    }
  }

  @Nested
  class Ipv6 {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://[::1]:19530, [::1]:19530, ::1",
        "http://[::1], [::1]:19530, ::1",
        "https://[2001:DB8::7], [2001:db8::7]:443, 2001:db8::7",
        "tcp://[0:0:0:0:0:0:0:1]:5, [0:0:0:0:0:0:0:1]:5, 0:0:0:0:0:0:0:1",
        "http://[::ffff:192.0.2.1]:1, [::ffff:192.0.2.1]:1, ::ffff:192.0.2.1",
        "http://[1::]:1, [1::]:1, 1::",
    })
    void bracketedIpv6LiteralsWork(String uri, String address, String host) {
      ConnectionConfig c = resolve("uri", uri);
      assertThat(c.address()).isEqualTo(address);
      assertThat(c.host()).isEqualTo(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://[1:2:3:4:5:6:7:8:9]:1", "http://[12345::1]:1", "http://[1:::2]:1",
        "http://[::1::2]:1", "http://[::1.2.3]:1", "http://[1:2:3:4:5:6:7]:1",
        "http://[1.2.3.4::]:1", "http://[1.2.3.4::1]:1", "http://[:1::]:1", "http://[1:]:1"})
    void invalidIpv6LiteralsAreRejected(String uri) {
      assertThat(fields(rejected("uri", uri))).containsExactly("uri");
    }

    @Test
    void zoneIdsAreNotSupported() {
      assertThat(rejected("uri", "http://[fe80::1%25eth0]:1").getMessage()).contains("zone");
    }
  }

  @Nested
  class UserInfo {
    @Test
    void userInfoIsPercentDecodedIntoUserAndPassword() {
      // pymilvus leaves "%40" etc. undecoded, so such a password never authenticates.
      ConnectionConfig c = resolve("uri", "http://al%69ce:p%40ss%3Aw%2Frd@h:1");
      assertThat(c.user()).isEqualTo("alice");
      assertThat(c.auth()).isEqualTo(AuthMode.USER_PASSWORD);
      assertThat(header(c)).isEqualTo("alice:p@ss:w/rd");
    }

    @Test
    void percentEncodedUtf8IsDecoded() {
      ConnectionConfig c = resolve("uri", "http://%C3%A9mile:pw@h:1");
      assertThat(c.user()).isEqualTo("\u00e9mile");
    }

    @Test
    void plusStaysPlusAndRawAtSignsBelongToThePassword() {
      ConnectionConfig c = resolve("uri", "http://a+b:x@y@h:1");
      assertThat(c.user()).isEqualTo("a+b");
      assertThat(c.address()).isEqualTo("h:1");
      assertThat(header(c)).isEqualTo("a+b:x@y");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://u:S3cr%zzET@h:1", "http://u:S3cr%ffET@h:1", "http://u:S3cr%4@h:1"})
    void invalidPercentEncodingIsRejectedWithoutShowingThePassword(String uri) {
      ConnectionConfigException e = rejected("uri", uri);
      assertThat(fields(e)).containsExactly("uri");
      assertThat(everythingShown(e)).doesNotContain("S3cr").contains("***");
    }

    @Test
    void aRawSlashInThePasswordIsRejectedAndNotTakenForTheHost() {
      ConnectionConfigException e = rejected("uri", "http://u:pa/SECRETss@h:1");
      assertThat(fields(e)).containsExactly("uri");
      assertThat(everythingShown(e)).doesNotContain("SECRET").doesNotContain("pa/");
    }

    @Test
    void aUserWithoutPasswordInTheUriNeedsAPasswordOrToken() {
      assertThat(fields(rejected("uri", "http://alice@h:1"))).containsExactly("password");
      assertThat(resolve("uri", "http://alice@h:1", "token", "t").user()).isEqualTo("alice");
    }

    @Test
    void anEmptyUserInfoMeansNoCredentials() {
      assertThat(resolve("uri", "http://@h:1").auth()).isEqualTo(AuthMode.NONE);
      assertThat(resolve("uri", "http://:@h:1").auth()).isEqualTo(AuthMode.NONE);
    }
  }

  @Nested
  class DatabaseInPath {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "http://h:1/mydb, mydb",
        "http://h:1/db1/collection1, db1",
        "http://h:1//db2//x, db2",
        "http://h:1/db3?x=1#frag, db3",
        "http://h:1/my%5Fdb, my_db",
        "https://u:p@h/db4/, db4",
    })
    void theFirstNonEmptySegmentIsTheDatabase(String uri, String db) {
      assertThat(resolve("uri", uri).dbName()).isEqualTo(db);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h:1", "http://h:1/", "http://h:1//", "http://h:1?db=x", "http://h:1#x"})
    void noSegmentMeansTheServerDefault(String uri) {
      assertThat(resolve("uri", uri).dbName()).isNull();
    }

    @Test
    void aDatabaseThatCannotBeSentAsAHeaderIsRejected() {
      assertThat(fields(rejected("uri", "http://h:1/my%20db"))).containsExactly("uri");
      assertThat(fields(rejected("uri", "http://h:1/d%C3%A9j%C3%A0"))).containsExactly("uri");
    }
  }

  @Nested
  class MilvusLite {
    @ParameterizedTest
    @ValueSource(strings = {"./milvus.db", "milvus.db", "/tmp/data/milvus.db", "MILVUS.DB", "http://h:1/x.db"})
    void aDbFileIsRejectedWithHowToStartAMilvusLiteServer(String uri) {
      ConnectionConfigException e = rejected("uri", uri);
      assertThat(fields(e)).containsExactly("uri");
      assertThat(e.getMessage())
          .contains("milvus-lite server --data-dir D --host 127.0.0.1 --port P")
          .contains("http://127.0.0.1:P");
    }
  }

  @Nested
  class UnixSockets {
    @ParameterizedTest
    @ValueSource(strings = {"unix:/tmp/milvus.sock", "unix:///tmp/milvus.sock", "UNIX:/tmp/milvus.sock"})
    void unixUrisNameASocket(String uri) {
      ConnectionConfig c = resolve("uri", uri);
      assertThat(c.address()).isEqualTo("unix:/tmp/milvus.sock");
      assertThat(c.unixSocketPath()).isEqualTo("/tmp/milvus.sock");
      ConnectionInfo info = c.info("s", Duration.ofSeconds(1));
      assertThat(info.host()).isNull();
      assertThat(info.port()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix:", "unix:/", "unix:relative.sock", "unix://host/tmp/x.sock", "unix:/tmp/dir/",
        "unix:/tmp/a?b", "unix:/tmp/a#b"})
    void malformedUnixUrisAreRejected(String uri) {
      assertThat(fields(rejected("uri", uri))).containsExactly("uri");
    }

    @Test
    void socketPathsLongerThanLinuxAllowsAreRejected() {
      String path = "/tmp/" + "s".repeat(103);
      assertThat(resolve("uri", "unix:" + path.substring(0, 107)).unixSocketPath()).hasSize(107);
      assertThat(rejected("uri", "unix:" + path).getMessage()).contains("107 bytes");
    }
  }
}
