package io.github.reactivemilvus;

import io.github.reactivemilvus.config.TlsMode;
import io.github.reactivemilvus.internal.EventLoops;
import io.github.reactivemilvus.internal.TlsProbe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * SPEC §3.6 and §5: one-way and mutual TLS against a grpc-java TLS server, and every TLS mismatch
 * failing as {@link FailureKind#TLS} at once (one attempt, no retry), naming alias and address.
 *
 * <p>Failures are configured with a connect timeout far longer than the verification wait, so a
 * failure that was retried until the timeout would not be seen in time.
 */
class TlsConnectTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int LONG_TIMEOUT_SECONDS = 120;
  private static TestCertificates certs;
  private static FaultServer tls;
  private static FaultServer mutual;
  private static FaultServer plain;

  @TempDir
  Path dir;
  private ReactiveConnections registry;
  private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
  private Disposable eventSubscription;

  @BeforeAll
  static void servers() {
    certs = TestCertificates.get();
    tls = FaultServer.builder().tls(certs).start();
    mutual = FaultServer.builder().tls(certs).clientCa(certs.caCert()).start();
    plain = FaultServer.start();
  }

  @AfterAll
  static void stopServers() {
    tls.close();
    mutual.close();
    plain.close();
  }

  @BeforeEach
  void setUp() {
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    eventSubscription = registry.events().subscribe(events::add);
  }

  @AfterEach
  void tearDown() {
    eventSubscription.dispose();
    registry.close();
  }

  private void add(String alias, Object... keyValues) {
    Map<String, Object> config = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      config.put((String) keyValues[i], keyValues[i + 1]);
    }
    config.putIfAbsent("timeout", LONG_TIMEOUT_SECONDS);
    registry.addConnection(alias, config).block(WAIT);
  }

  private static String https(FaultServer server) {
    return "https://localhost:" + server.port();
  }

  private void connectsAndAnswersGetVersion(String alias) {
    StepVerifier.create(registry.stub(alias).getVersion())
        .expectNext(FaultServer.VERSION)
        .verifyComplete();
    assertThat(registry.hasConnection(alias)).isTrue();
  }

  /** Fails as TLS naming alias and address, after one attempt and not by running into the timeout. */
  private MilvusConnectionException failsAsTlsAtOnce(String alias, String address) {
    MilvusConnectionException[] failure = new MilvusConnectionException[1];
    StepVerifier.create(registry.channel(alias))
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(MilvusConnectionException.class);
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).as(m.getMessage()).isEqualTo(FailureKind.TLS);
          assertThat(m.alias()).isEqualTo(alias);
          assertThat(m.address()).isEqualTo(address);
          assertThat(m.getMessage()).contains("TLS failure", "'" + alias + "'", address)
              .doesNotContain("no successful handshake within", "Channel Pipeline");
          failure[0] = m;
        })
        .verify(WAIT);
    assertThat(eventsOf(alias, ConnectionEvent.Type.RETRYING)).isEmpty();
    // events reach subscribers on the registry's scheduler, shortly after the failure
    await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf(alias, ConnectionEvent.Type.FAILED)).hasSize(1));
    assertThat(registry.hasConnection(alias)).isFalse();
    return failure[0];
  }

  private List<ConnectionEvent> eventsOf(String alias, ConnectionEvent.Type type) {
    return events.stream().filter(e -> e.alias().equals(alias) && e.type() == type).toList();
  }

  // ---- successful TLS

  @Test
  void oneWayTlsWithACustomRootConnectsAndCallsGetVersion() {
    add("tls", "uri", https(tls), "server_pem_path", certs.caCert().toString());
    connectsAndAnswersGetVersion("tls");
    assertThat(registry.getConnectionAddr("tls").orElseThrow().tls()).isEqualTo(TlsMode.CUSTOM_ROOT);
  }

  @Test
  void secureTrueOnAnIpAddressWithServerNameConnects() {
    add("tls", "uri", "http://127.0.0.1:" + tls.port(), "secure", true, "server_name", "localhost",
        "server_pem_path", certs.caCert().toString());
    connectsAndAnswersGetVersion("tls");
  }

  @Test
  void mutualTlsConnectsAndCallsGetVersion() {
    add("mtls", "uri", https(mutual), "client_pem_path", certs.clientCert().toString(),
        "client_key_path", certs.clientKey().toString(), "ca_pem_path", certs.caCert().toString());
    connectsAndAnswersGetVersion("mtls");
    assertThat(registry.getConnectionAddr("mtls").orElseThrow().tls()).isEqualTo(TlsMode.MUTUAL);
  }

  @Test
  void certificateFilesAreReadOffTheNonBlockingThreadThatSubscribes() {
    // BlockHound (installed for every test) fails a file read on a parallel thread
    add("tls", "uri", https(tls), "server_pem_path", certs.caCert().toString());
    StepVerifier.create(registry.stub("tls").getVersion().subscribeOn(Schedulers.parallel()))
        .expectNext(FaultServer.VERSION)
        .verifyComplete();
  }

  // ---- TLS mismatches

  @Test
  void aRootThatDidNotSignTheServerCertificateFailsAsTls() {
    add("wrong-ca", "uri", https(tls), "server_pem_path", certs.wrongCaCert().toString());
    MilvusConnectionException e = failsAsTlsAtOnce("wrong-ca", "localhost:" + tls.port());
    assertThat(e.getMessage()).contains("not trusted", "PKIX path building failed");
    assertThat(e.grpcStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
  }

  @Test
  void aTlsClientToAPlaintextServerFailsAsTls() {
    add("tls-to-plain", "uri", https(plain), "server_pem_path", certs.caCert().toString());
    int before = plain.calls(Method.CONNECT);
    MilvusConnectionException e = failsAsTlsAtOnce("tls-to-plain", "localhost:" + plain.port());
    assertThat(e.getMessage()).contains("did not answer with TLS", "not an SSL/TLS record");
    assertThat(plain.calls(Method.CONNECT)).isEqualTo(before);
  }

  @Test
  void aPlaintextClientToATlsServerFailsAsTls() {
    add("plain-to-tls", "uri", "http://127.0.0.1:" + tls.port());
    MilvusConnectionException e = failsAsTlsAtOnce("plain-to-tls", "127.0.0.1:" + tls.port());
    assertThat(e.getMessage()).contains("speaks TLS", "https://");
    assertThat(e.grpcStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
  }

  @Test
  void aWrongClientCertificateFailsAsTls() {
    add("wrong-client", "uri", https(mutual), "client_pem_path", certs.wrongClientCert().toString(),
        "client_key_path", certs.wrongClientKey().toString(), "ca_pem_path", certs.caCert().toString());
    int before = mutual.calls(Method.CONNECT);
    MilvusConnectionException e = failsAsTlsAtOnce("wrong-client", "localhost:" + mutual.port());
    assertThat(e.getMessage()).contains("rejected the client certificate");
    assertThat(mutual.calls(Method.CONNECT)).isEqualTo(before);
  }

  @Test
  void noClientCertificateForAMutualTlsServerFailsAsTls() {
    add("no-client-cert", "uri", https(mutual), "server_pem_path", certs.caCert().toString());
    failsAsTlsAtOnce("no-client-cert", "localhost:" + mutual.port());
  }

  @Test
  void aTlsAlertAnsweringTheHttp2PrefaceFailsAsTls() {
    // what a TLS server that answers garbage with an alert record looks like to a plaintext client
    try (RawServer server = RawServer.start(socket -> {
      read(socket);
      write(socket, "15030300020228");
    })) {
      add("alert", "address", "127.0.0.1:" + server.port());
      MilvusConnectionException e = failsAsTlsAtOnce("alert", "127.0.0.1:" + server.port());
      assertThat(e.getMessage()).contains("speaks TLS", "1503030002");
    }
  }

  @Test
  void aServerThatClosesEveryConnectionIsUnreachableAndRetriedNotTls() {
    // same symptom for the plaintext client as a TLS server, but no TLS answer to the probe
    try (RawServer server = RawServer.start(socket -> read(socket))) {
      // long enough for the TLS probe (at most 2 s) and a retry even on a loaded machine
      add("closing", "address", "127.0.0.1:" + server.port(), "timeout", 8);
      StepVerifier.create(registry.channel("closing"))
          .expectErrorSatisfies(e -> {
            MilvusConnectionException m = (MilvusConnectionException) e;
            assertThat(m.kind()).as(m.getMessage()).isEqualTo(FailureKind.UNREACHABLE);
            assertThat(m.getMessage()).contains("'closing'", "127.0.0.1:" + server.port());
          })
          .verify(WAIT);
      await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("closing", ConnectionEvent.Type.RETRYING)).isNotEmpty());
    }
  }

  @Test
  void theTlsProbeAnswersYesOnlyForATlsServer() {
    EventLoops loops = EventLoops.create(1);
    try (io.github.reactivemilvus.testing.HttpPortServer http = io.github.reactivemilvus.testing.HttpPortServer.start();
         RawServer closing = RawServer.start(socket -> read(socket))) {
      Duration limit = Duration.ofSeconds(10);
      StepVerifier.create(TlsProbe.speaksTls(loops, "127.0.0.1", tls.port(), limit)).expectNext(true).verifyComplete();
      StepVerifier.create(TlsProbe.speaksTls(loops, "localhost", mutual.port(), limit)).expectNext(true).verifyComplete();
      StepVerifier.create(TlsProbe.speaksTls(loops, "127.0.0.1", plain.port(), limit)).expectNext(false).verifyComplete();
      StepVerifier.create(TlsProbe.speaksTls(loops, "127.0.0.1", http.port(), limit)).expectNext(false).verifyComplete();
      StepVerifier.create(TlsProbe.speaksTls(loops, "127.0.0.1", closing.port(), limit)).expectNext(false).verifyComplete();
      StepVerifier.create(TlsProbe.speaksTls(loops, "127.0.0.1", FreePorts.closedPort(), limit)).expectNext(false).verifyComplete();
    } finally {
      loops.close().block(WAIT);
    }
  }

  // ---- unusable certificate files

  private Path garbage(String name) {
    try {
      return Files.writeString(dir.resolve(name),
          "-----BEGIN CERTIFICATE-----\nthis is not base64 !!\n-----END CERTIFICATE-----\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private MilvusConnectionException failsBeforeDialling(String alias, String address) {
    MilvusConnectionException e = failsAsTlsAtOnce(alias, address);
    assertThat(e.getCause()).as("the raw error is kept only as the cause").isNotNull();
    return e;
  }

  @Test
  void aServerPemThatIsNotACertificateFailsNamingTheKey() {
    Path bad = garbage("server.pem");
    add("bad-root", "uri", https(tls), "server_pem_path", bad.toString());
    int before = tls.totalCalls();
    MilvusConnectionException e = failsBeforeDialling("bad-root", "localhost:" + tls.port());
    assertThat(e.getMessage()).contains("cannot use server_pem_path", bad.toString(), "no usable PEM certificate");
    assertThat(tls.totalCalls()).isEqualTo(before);
  }

  @Test
  void aClientKeyThatIsNotAKeyFailsNamingTheKey() {
    Path bad = garbage("client.key");
    add("bad-key", "uri", https(mutual), "client_pem_path", certs.clientCert().toString(),
        "client_key_path", bad.toString(), "ca_pem_path", certs.caCert().toString());
    MilvusConnectionException e = failsBeforeDialling("bad-key", "localhost:" + mutual.port());
    assertThat(e.getMessage()).contains("cannot use client_key_path", bad.toString(), "private key");
  }

  @Test
  void aClientPemThatIsNotACertificateFailsNamingTheKey() {
    Path bad = garbage("client.pem");
    add("bad-cert", "uri", https(mutual), "client_pem_path", bad.toString(),
        "client_key_path", certs.clientKey().toString(), "ca_pem_path", certs.caCert().toString());
    MilvusConnectionException e = failsBeforeDialling("bad-cert", "localhost:" + mutual.port());
    assertThat(e.getMessage()).contains("cannot use client_pem_path", bad.toString());
  }

  @Test
  void aCaPemThatIsNotACertificateFailsNamingTheKey() {
    Path bad = garbage("ca.pem");
    add("bad-ca", "uri", https(mutual), "client_pem_path", certs.clientCert().toString(),
        "client_key_path", certs.clientKey().toString(), "ca_pem_path", bad.toString());
    MilvusConnectionException e = failsBeforeDialling("bad-ca", "localhost:" + mutual.port());
    assertThat(e.getMessage()).contains("cannot use ca_pem_path", bad.toString());
  }

  // ---- a raw TCP server for protocol mismatches

  private static void read(Socket socket) {
    try {
      socket.getInputStream().read(new byte[1024]);
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private static void write(Socket socket, String hex) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(HexFormat.of().parseHex(hex));
      out.flush();
    } catch (IOException e) {
      // the client went away
    }
  }

  /** Accepts on 127.0.0.1, runs the handler per connection on its own thread, then closes it. */
  private static final class RawServer implements AutoCloseable {
    private final ServerSocket socket;

    private RawServer(ServerSocket socket) {
      this.socket = socket;
    }

    static RawServer start(Consumer<Socket> handler) {
      try {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(FreePorts.LOOPBACK));
        Thread acceptor = new Thread(() -> {
          while (!server.isClosed()) {
            try {
              Socket s = server.accept();
              Thread worker = new Thread(() -> {
                try (s; InputStream ignored = s.getInputStream()) {
                  handler.accept(s);
                } catch (IOException e) {
                  // closed
                }
              }, "raw-server-conn");
              worker.setDaemon(true);
              worker.start();
            } catch (IOException e) {
              return;
            }
          }
        }, "raw-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return new RawServer(server);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
