package io.github.reactivemilvus;

import io.github.reactivemilvus.testing.ColdStart;
import io.github.reactivemilvus.testing.ColdStart.Origin;
import io.github.reactivemilvus.testing.FaultServerProcess;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * In a fresh JVM (the {@code cold-start} surefire execution), the very first plaintext
 * {@code channel()} subscribed on a reactor-netty event loop connects without a blocking call.
 */
class PlaintextColdStartTest {

  @Test
  void firstPlaintextChannelFromAnEventLoopConnectsWithoutBlocking() {
    try (FaultServerProcess server = FaultServerProcess.plaintext()) {
      ColdStart.firstCallsSucceed(Origin.NETTY_EVENT_LOOP, Map.of("plain", Map.of("uri", server.uri())));
    }
  }
}
