package io.github.reactivemilvus.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests ONE real Milvus 2.3.5 standalone server (authorization enabled,
 * root/Milvus) shared by all test classes of the run; stopped (whole process group) and its data
 * directory deleted when the run ends. Resolves {@link MilvusStandaloneServer} parameters.
 *
 * <pre>{@code
 * @ExtendWith(MilvusStandaloneExtension.class)
 * class AuthIT {
 *     @Test
 *     void auth(MilvusStandaloneServer milvus) { ... milvus.uri(), milvus.user(), milvus.password() ... }
 * }
 * }</pre>
 *
 * If the server cannot run on the machine, every test using it fails with the server's own error
 * output (never a skip); the failure is remembered so the slow start is not retried per class.
 *
 * <p>Threading: callbacks run on JUnit threads; starting blocks (up to a few minutes).
 */
public final class MilvusStandaloneExtension implements BeforeAllCallback, ParameterResolver {

  /** The shared server of this test run, started if needed. */
  public static MilvusStandaloneServer server(ExtensionContext context) {
    return SharedServer.get(context, MilvusStandaloneServer.class, MilvusStandaloneServer::start);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == MilvusStandaloneServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return server(extensionContext);
  }
}
