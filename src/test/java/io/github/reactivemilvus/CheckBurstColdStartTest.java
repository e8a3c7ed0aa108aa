package io.github.reactivemilvus;

import io.github.reactivemilvus.testing.ColdStart;
import io.github.reactivemilvus.testing.ColdStart.Origin;
import io.github.reactivemilvus.testing.FaultServerProcess;
import io.github.reactivemilvus.testing.TestCertificates;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In a fresh JVM (the {@code cold-start} surefire execution), a {@code check}-style burst: 64
 * aliases (plaintext, TLS and mutual TLS mixed) connected at once from {@code Schedulers.parallel()}
 * as the very first use of the library, without a blocking call.
 */
class CheckBurstColdStartTest {
  private static final int ALIASES = 64;

  @Test
  void sixtyFourAliasesConnectedAtOnceFromParallelThreadsWithoutBlocking() {
    TestCertificates certs = TestCertificates.get();
    try (FaultServerProcess plain = FaultServerProcess.plaintext();
        FaultServerProcess tls = FaultServerProcess.tls(certs);
        FaultServerProcess mutual = FaultServerProcess.mutualTls(certs)) {
      Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
      for (int i = 0; i < ALIASES; i++) {
        // pool sizes 1 to 4: four distinct channel groups per server are built at once
        int poolSize = 1 + (i / 3) % 4;
        configs.put("alias-" + i, switch (i % 3) {
          // by host name: resolving it (DNS) must not block either
          case 0 -> Map.of("uri", plain.uri().replace("127.0.0.1", "localhost"), "pool_size", poolSize);
          case 1 -> Map.of("uri", tls.uri(), "server_pem_path", certs.caCert().toString(), "pool_size", poolSize);
          default -> Map.of("uri", mutual.uri(), "client_pem_path", certs.clientCert().toString(),
              "client_key_path", certs.clientKey().toString(), "ca_pem_path", certs.caCert().toString(),
              "pool_size", poolSize);
        });
      }
      ColdStart.firstCallsSucceed(Origin.REACTOR_PARALLEL, configs);
    }
  }
}
