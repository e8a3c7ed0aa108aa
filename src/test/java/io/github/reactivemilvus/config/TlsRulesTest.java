package io.github.reactivemilvus.config;

import static io.github.reactivemilvus.config.TestConfigs.fields;
import static io.github.reactivemilvus.config.TestConfigs.rejected;
import static io.github.reactivemilvus.config.TestConfigs.resolve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §3.6: TLS on/off, trust setup and certificate files (real files in a temp directory). */
class TlsRulesTest {
  @TempDir
  Path dir;
  private String ca;
  private String cert;
  private String key;

  @BeforeEach
  void files() throws IOException {
    ca = Files.writeString(dir.resolve("ca.pem"), "not parsed at resolve time").toString();
    cert = Files.writeString(dir.resolve("client.pem"), "x").toString();
    key = Files.writeString(dir.resolve("client.key"), "x").toString();
  }

  @Test
  void httpsImpliesSecureWithSystemRoots() {
    ConnectionConfig c = resolve("uri", "https://h");
    assertThat(c.secure()).isTrue();
    assertThat(c.tls()).isEqualTo(TlsMode.SYSTEM_ROOTS);
  }

  @Test
  void httpsWithExplicitSecureFalseIsAProblem() {
    // pymilvus lets https silently override secure=False.
    assertThat(fields(rejected("uri", "https://h", "secure", false))).containsExactly("secure");
    assertThat(resolve("uri", "https://h", "secure", true).secure()).isTrue();
  }

  @Test
  void secureTrueWithHttpOrAnAddressGivesTls() {
    assertThat(resolve("uri", "http://h:1", "secure", true).tls()).isEqualTo(TlsMode.SYSTEM_ROOTS);
    assertThat(resolve("address", "h:1", "secure", "TRUE").tls()).isEqualTo(TlsMode.SYSTEM_ROOTS);
    assertThat(resolve("secure", "false").tls()).isEqualTo(TlsMode.NONE);
  }

  @Test
  void secureMustBeABoolean() {
    assertThat(fields(rejected("secure", "yes"))).containsExactly("secure");
    assertThat(fields(rejected("secure", 1))).containsExactly("secure");
  }

  @Test
  void serverPemPathGivesOneWayTlsWithThatRoot() {
    ConnectionConfig c = resolve("uri", "https://h", "server_pem_path", ca);
    assertThat(c.tls()).isEqualTo(TlsMode.CUSTOM_ROOT);
    assertThat(c.serverPemPath()).isEqualTo(Path.of(ca));
  }

  @Test
  void allThreeMutualKeysGiveMutualTls() {
    ConnectionConfig c = resolve("secure", true, "client_pem_path", cert, "client_key_path", key, "ca_pem_path", ca);
    assertThat(c.tls()).isEqualTo(TlsMode.MUTUAL);
    assertThat(c.clientPemPath()).isEqualTo(Path.of(cert));
    assertThat(c.clientKeyPath()).isEqualTo(Path.of(key));
    assertThat(c.caPemPath()).isEqualTo(Path.of(ca));
  }

  @Test
  void pathsMayBeGivenAsPathOrFileObjects() {
    ConnectionConfig c = resolve("secure", true, "client_pem_path", Path.of(cert),
        "client_key_path", new File(key), "ca_pem_path", ca);
    assertThat(c.tls()).isEqualTo(TlsMode.MUTUAL);
  }

  @Test
  void aPartialMutualSetIsAProblemOnEachMissingKey() {
    ConnectionConfigException e = rejected("secure", true, "client_pem_path", cert);
    assertThat(fields(e)).containsExactly("client_key_path", "ca_pem_path");
    assertThat(e.getMessage()).contains("given: client_pem_path");
  }

  @Test
  void tlsPathsWithSecureFalseAreProblemsNamingEachKey() {
    // pymilvus ignores certificate paths unless secure=True.
    ConnectionConfigException e = rejected("secure", false, "server_pem_path", ca);
    assertThat(fields(e)).containsExactly("server_pem_path");
    assertThat(e.getMessage()).contains("secure is false");
    assertThat(fields(rejected("client_pem_path", cert, "client_key_path", key, "ca_pem_path", ca)))
        .containsExactly("client_pem_path", "client_key_path", "ca_pem_path");
  }

  @Test
  void serverPemPathWithTheMutualSetIsAmbiguous() {
    assertThat(fields(rejected("secure", true, "server_pem_path", ca, "client_pem_path", cert,
        "client_key_path", key, "ca_pem_path", ca))).containsExactly("server_pem_path");
  }

  @Test
  void aMissingFileIsAProblemNamingTheKeyNotAnIoError() {
    ConnectionConfigException e = rejected("uri", "https://h", "server_pem_path", dir.resolve("nope.pem").toString());
    assertThat(fields(e)).containsExactly("server_pem_path");
    assertThat(e.getMessage()).contains("does not exist").contains("nope.pem");
  }

  @Test
  void aDirectoryIsNotACertificateFile() {
    assertThat(fields(rejected("uri", "https://h", "server_pem_path", dir.toString()))).containsExactly("server_pem_path");
  }

  @Test
  void anUnreadableFileIsAProblemNamingTheKey() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")), "root can read any file");
    Path locked = Files.writeString(dir.resolve("locked.pem"), "x");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    ConnectionConfigException e = rejected("uri", "https://h", "server_pem_path", locked.toString());
    assertThat(e.getMessage()).contains("cannot be read");
  }

  @Test
  void aPathThatTheFileSystemCannotNameIsAProblem() {
    assertThat(fields(rejected("uri", "https://h", "server_pem_path", "a\u0000b"))).containsExactly("server_pem_path");
    assertThat(fields(rejected("uri", "https://h", "server_pem_path", 42))).containsExactly("server_pem_path");
  }

  @Test
  void everyMissingFileIsReportedAtOnce() {
    ConnectionConfigException e = rejected("secure", true, "client_pem_path", "/no/a", "client_key_path", "/no/b",
        "ca_pem_path", "/no/c");
    assertThat(fields(e)).containsExactly("client_pem_path", "client_key_path", "ca_pem_path");
  }

  @Test
  void serverNameIsATlsOverride() {
    assertThat(resolve("uri", "https://10.0.0.1", "server_name", "Milvus.Example.com").serverName())
        .isEqualTo("milvus.example.com");
    assertThat(fields(rejected("uri", "http://h:1", "server_name", "milvus.example.com"))).containsExactly("server_name");
    assertThat(fields(rejected("uri", "https://h", "server_name", "bad name"))).containsExactly("server_name");
  }
}
