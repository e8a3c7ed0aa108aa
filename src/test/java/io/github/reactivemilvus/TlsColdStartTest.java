package io.github.reactivemilvus;

import io.github.reactivemilvus.testing.ColdStart;
import io.github.reactivemilvus.testing.ColdStart.Origin;
import io.github.reactivemilvus.testing.FaultServerProcess;
import io.github.reactivemilvus.testing.TestCertificates;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In a fresh JVM (the {@code cold-start} surefire execution), the very first one-way TLS
 * {@code channel()} subscribed on {@code Schedulers.parallel()} connects without a blocking call:
 * certificate files, trust store and TLS context are read off the non-blocking thread.
 */
class TlsColdStartTest {

  @Test
  void firstTlsChannelFromAParallelThreadConnectsWithoutBlocking() {
    TestCertificates certs = TestCertificates.get();
    try (FaultServerProcess server = FaultServerProcess.tls(certs)) {
      ColdStart.firstCallsSucceed(Origin.REACTOR_PARALLEL, Map.of("tls",
          Map.of("uri", server.uri(), "server_pem_path", certs.caCert().toString())));
    }
  }
}
