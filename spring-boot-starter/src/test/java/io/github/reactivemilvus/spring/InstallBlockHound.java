package io.github.reactivemilvus.spring;

import io.opentelemetry.context.Context;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound before a test class starts its application, with the integrations listed in
 * {@code META-INF/services} (among them the library's {@code BlockingCallRecorder}, which fails
 * the test during which a blocking call happened on a non-blocking thread). Registered for every
 * test class by JUnit's extension auto-detection. Idempotent.
 *
 * <p>Also asks OpenTelemetry for its current context once, on the test thread: with Boot's tracing on the
 * test class path, OpenTelemetry finds its context storage with a {@code ServiceLoader} (jar reads) on the
 * first {@code Context.current()}, which would otherwise happen on the event loop of an application's first
 * request. What a service using BlockHound does too (README, "Observability").
 */
public final class InstallBlockHound implements BeforeAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    BlockHound.install();
    Context.current();
  }
}
