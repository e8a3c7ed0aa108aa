package io.github.reactivemilvus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.test.server.FreePorts;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Self-test of the small harness utilities. */
class HarnessUtilitiesTest {

  @Test
  void closedPortRefusesConnections() {
    int port = FreePorts.closedPort();
    assertThat(FreePorts.isListening(port)).isFalse();
    StatusRuntimeException e = catchRpc(() -> GrpcProbe.getVersion(port, null, 2_000));
    // Wait-for-ready keeps the call waiting through the refused connects until its deadline.
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void httpPortServerIsNotAGrpcEndpoint() {
    try (HttpPortServer http = HttpPortServer.start()) {
      assertThat(FreePorts.isListening(http.port())).isTrue();
      assertThat(http.uri()).isEqualTo("http://127.0.0.1:" + http.port());
      var channel = GrpcProbe.plaintextChannel(http.port());
      try {
        StatusRuntimeException e = catchRpc(() -> GrpcProbe.stub(channel, null)
            .withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS)
            .getVersion(io.github.reactivemilvus.proto.GetVersionRequest.getDefaultInstance()));
        System.out.println("[harness] gRPC call to an HTTP/1.1 port: " + e.getStatus());
        assertThat(e.getStatus().getCode()).isNotEqualTo(Status.Code.OK);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void certificatesArePemWithPkcs8Keys() throws Exception {
    TestCertificates certs = TestCertificates.get();
    assertThat(TestCertificates.get()).isSameAs(certs);
    for (var key : new java.nio.file.Path[] {certs.serverKey(), certs.clientKey(), certs.caKey(), certs.wrongCaKey()}) {
      assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    }
    for (var cert : new java.nio.file.Path[] {certs.caCert(), certs.serverCert(), certs.clientCert(), certs.wrongCaCert()}) {
      assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
    }
    var factory = java.security.cert.CertificateFactory.getInstance("X.509");
    java.security.cert.X509Certificate server;
    try (var in = Files.newInputStream(certs.serverCert())) {
      server = (java.security.cert.X509Certificate) factory.generateCertificate(in);
    }
    assertThat(server.getSubjectAlternativeNames().toString()).contains("localhost", "127.0.0.1");
  }

  @Test
  void leakCheckSeesASurvivingThreadAndItsEnd() throws Exception {
    LeakCheck before = LeakCheck.snapshot();
    CountDownLatch stop = new CountDownLatch(1);
    Thread thread = new Thread(() -> {
      try {
        stop.await();
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "milvus-leak-canary");
    thread.start();
    assertThatThrownBy(() -> before.assertNoNewThreads(Duration.ofMillis(200), "milvus-"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("milvus-leak-canary");
    stop.countDown();
    before.assertNoNewThreads(Duration.ofSeconds(5), "milvus-");
    assertThat(LeakCheck.liveThreadNames()).doesNotContain("milvus-leak-canary");
  }

  @Test
  void venvIsInstalled() {
    assertThat(TestVenv.ensureInstalled().resolve(TestVenv.MARKER)).exists();
    assertThat(TestVenv.executable("milvus-lite")).isExecutable();
    assertThat(TestVenv.executable("milvus-server")).isExecutable();
  }

  private interface RpcCall {
    Object run() throws Exception;
  }

  private static StatusRuntimeException catchRpc(RpcCall call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("call succeeded unexpectedly");
  }
}
