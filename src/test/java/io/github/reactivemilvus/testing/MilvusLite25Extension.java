package io.github.reactivemilvus.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests ONE real Milvus Lite 2.5.1 server (the C++ engine) shared by all test classes of the
 * run. The server is started on first use (installing the venv first if needed), kept in the root
 * extension store and stopped (whole process group) with its data directory deleted when the run
 * ends.
 *
 * <pre>{@code
 * @ExtendWith(MilvusLite25Extension.class)
 * class MyIT {
 *     @Test
 *     void connects(MilvusLite25Server server) { ... server.uri() ... }
 * }
 * }</pre>
 *
 * Resolves {@link MilvusLite25Server} parameters of constructors, lifecycle and test methods; also
 * {@link #server(ExtensionContext)} for other extensions. A start failure fails the tests with
 * its reason (never a skip).
 *
 * <p>Threading: callbacks run on JUnit threads; starting blocks.
 */
public final class MilvusLite25Extension implements BeforeAllCallback, ParameterResolver {

  /** The shared server of this test run, started if needed. */
  public static MilvusLite25Server server(ExtensionContext context) {
    return SharedServer.get(context, MilvusLite25Server.class, MilvusLite25Server::start);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == MilvusLite25Server.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return server(extensionContext);
  }
}
