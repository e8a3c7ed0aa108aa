package io.github.reactivemilvus.spring;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound before a test class starts its application, with the integrations listed in
 * {@code META-INF/services} (among them the library's {@code BlockingCallRecorder}, which fails
 * the test during which a blocking call happened on a non-blocking thread). Registered for every
 * test class by JUnit's extension auto-detection. Idempotent.
 */
public final class InstallBlockHound implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    BlockHound.install();
  }
}
