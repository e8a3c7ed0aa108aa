package io.github.reactivemilvus.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Makes every BlockHound violation fail the test during which it happened, wherever it happened.
 * A blocking call on an event loop throws there (inside gRPC or Netty callbacks, where the error
 * may only be logged); this integration also records it, and the extension, registered for every
 * test class by auto-detection, fails the test after it ran.
 */
public final class BlockingCallRecorder implements BlockHoundIntegration, AfterEachCallback {
  private static final ConcurrentLinkedQueue<String> VIOLATIONS = new ConcurrentLinkedQueue<>();

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.blockingMethodCallback(method -> {
      VIOLATIONS.add(method + " on thread " + Thread.currentThread().getName());
      throw new BlockingOperationError(method);
    });
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> found = new ArrayList<>();
    for (String v; (v = VIOLATIONS.poll()) != null; ) {
      found.add(v);
    }
    if (!found.isEmpty() && !context.getRequiredTestClass().getSimpleName().equals("BlockHoundCanaryTest")) {
      throw new AssertionError("blocking calls on non-blocking threads: " + found);
    }
  }
}
