package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.test.server.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test PKI generated with the {@code openssl} command into a temporary directory, once per JVM
 * (deleted at JVM exit): a CA, a server certificate for {@code localhost} (SANs
 * {@code DNS:localhost}, {@code IP:127.0.0.1}) signed by it, a client certificate signed by it,
 * and an unrelated "wrong" CA with its own client certificate. PEM files; private keys are
 * unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), as Netty requires.
 *
 * <p>Thread-safe: {@link #get()} is synchronized and blocks while generating (a second or so).
 */
public final class TestCertificates {

  private static TestCertificates instance;

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** The per-JVM certificates, generated on first call. */
  public static synchronized TestCertificates get() {
    if (instance == null) {
      instance = generate();
    }
    return instance;
  }

  public Path dir() {
    return dir;
  }

  /** Trusted CA certificate (PEM). */
  public Path caCert() {
    return dir.resolve("ca.pem");
  }

  public Path caKey() {
    return dir.resolve("ca.key");
  }

  /** Server certificate for localhost / 127.0.0.1, signed by {@link #caCert()}. */
  public Path serverCert() {
    return dir.resolve("server.pem");
  }

  /** Server private key, PKCS#8 PEM. */
  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** Client certificate (CN=test-client) signed by {@link #caCert()}. */
  public Path clientCert() {
    return dir.resolve("client.pem");
  }

  public Path clientKey() {
    return dir.resolve("client.key");
  }

  /** An unrelated CA: trusting it must not validate {@link #serverCert()}. */
  public Path wrongCaCert() {
    return dir.resolve("wrong-ca.pem");
  }

  public Path wrongCaKey() {
    return dir.resolve("wrong-ca.key");
  }

  /** A client certificate signed by the wrong CA: a mutual-TLS server must reject it. */
  public Path wrongClientCert() {
    return dir.resolve("wrong-client.pem");
  }

  public Path wrongClientKey() {
    return dir.resolve("wrong-client.key");
  }

  private static TestCertificates generate() {
    Path dir = ServerProcess.createTempDirectory("test-certs-");
    try {
      Files.writeString(dir.resolve("ca.ext"),
          "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
              + "subjectKeyIdentifier=hash\n", StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("server.ext"),
          "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
              + "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
              + "authorityKeyIdentifier=keyid\n", StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("client.ext"),
          "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
              + "extendedKeyUsage=clientAuth\nauthorityKeyIdentifier=keyid\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    selfSignedCa(dir, "ca", "/CN=reactive-milvus test CA");
    selfSignedCa(dir, "wrong-ca", "/CN=unrelated test CA");
    signed(dir, "server", "/CN=localhost", "ca", "server.ext");
    signed(dir, "client", "/CN=test-client", "ca", "client.ext");
    signed(dir, "wrong-client", "/CN=wrong-client", "wrong-ca", "client.ext");
    return new TestCertificates(dir);
  }

  private static void selfSignedCa(Path dir, String name, String subject) {
    key(dir, name);
    openssl(dir, "req", "-new", "-x509", "-key", name + ".key", "-out", name + ".pem", "-days", "3650",
        "-subj", subject, "-sha256", "-extensions", "v3_ca_test", "-config", caConfig(dir));
  }

  private static String caConfig(Path dir) {
    Path config = dir.resolve("openssl-ca.cnf");
    try {
      if (!Files.exists(config)) {
        Files.writeString(config, "[req]\ndistinguished_name=dn\n[dn]\n[v3_ca_test]\n"
            + "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
            + "subjectKeyIdentifier=hash\n", StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return config.toString();
  }

  private static void signed(Path dir, String name, String subject, String ca, String ext) {
    key(dir, name);
    openssl(dir, "req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", subject,
        "-config", caConfig(dir));
    openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
        "-set_serial", Long.toString(System.nanoTime() & Long.MAX_VALUE), "-days", "3650", "-sha256",
        "-out", name + ".pem", "-extfile", ext);
  }

  /** RSA 2048 key; genpkey writes unencrypted PKCS#8 PEM. */
  private static void key(Path dir, String name) {
    openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + ".key");
  }

  private static void openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Path log = dir.resolve("openssl.log");
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("openssl timed out: " + command);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("openssl failed (exit " + process.exitValue() + "): "
            + String.join(" ", command) + "\n" + ServerProcess.tail(log, 20));
      }
    } catch (IOException e) {
      throw new IllegalStateException("the 'openssl' command is required for TLS tests and could not be run: "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating certificates", e);
    }
  }
}
