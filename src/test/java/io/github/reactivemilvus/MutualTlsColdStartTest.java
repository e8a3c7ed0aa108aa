package io.github.reactivemilvus;

import io.github.reactivemilvus.testing.ColdStart;
import io.github.reactivemilvus.testing.ColdStart.Origin;
import io.github.reactivemilvus.testing.FaultServerProcess;
import io.github.reactivemilvus.testing.TestCertificates;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In a fresh JVM (the {@code cold-start} surefire execution), the very first mutual-TLS
 * {@code channel()} subscribed on a reactor-netty event loop connects without a blocking call:
 * client certificate and key are read off the event loop.
 */
class MutualTlsColdStartTest {

  @Test
  void firstMutualTlsChannelFromAnEventLoopConnectsWithoutBlocking() {
    TestCertificates certs = TestCertificates.get();
    try (FaultServerProcess server = FaultServerProcess.mutualTls(certs)) {
      ColdStart.firstCallsSucceed(Origin.NETTY_EVENT_LOOP, Map.of("mtls", Map.of("uri", server.uri(),
          "client_pem_path", certs.clientCert().toString(), "client_key_path", certs.clientKey().toString(),
          "ca_pem_path", certs.caCert().toString())));
    }
  }
}
