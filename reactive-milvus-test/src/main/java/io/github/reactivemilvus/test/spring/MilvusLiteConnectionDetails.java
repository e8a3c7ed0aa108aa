package io.github.reactivemilvus.test.spring;

import io.github.reactivemilvus.spring.MilvusConnectionDetails;
import io.github.reactivemilvus.test.SharedMilvus;
import io.github.reactivemilvus.test.server.LiteVersion;
import io.github.reactivemilvus.test.server.MilvusServer;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A test server as Spring Boot connection details: declare one as a {@code @Bean} in a test configuration
 * (or let {@link AutoConfigureMilvusLite} register it) and the starter's registry connects the alias to it.
 *
 * <pre>{@code
 * @TestConfiguration
 * class MilvusForTests {
 *   @Bean
 *   MilvusConnectionDetails milvus() {
 *     return MilvusLiteConnectionDetails.shared();
 *   }
 * }
 * }</pre>
 */
public final class MilvusLiteConnectionDetails implements MilvusConnectionDetails {
  private final MilvusServer server;
  private final String alias;

  /** Details of {@code server} for {@code alias}. */
  public MilvusLiteConnectionDetails(MilvusServer server, String alias) {
    this.server = Objects.requireNonNull(server, "server");
    this.alias = Objects.requireNonNull(alias, "alias");
  }

  /** The JVM's shared Milvus Lite 3.2.2 (or the external server) for the {@code default} alias, started if needed. */
  public static MilvusLiteConnectionDetails shared() {
    return shared(LiteVersion.V3_2_2, "default");
  }

  /** The JVM's shared server of {@code version} for {@code alias}, started if needed. */
  public static MilvusLiteConnectionDetails shared(LiteVersion version, String alias) {
    return new MilvusLiteConnectionDetails(SharedMilvus.get(version), alias);
  }

  /** The server behind these details. */
  public MilvusServer server() {
    return server;
  }

  @Override
  public String getAlias() {
    return alias;
  }

  @Override
  public String getUri() {
    return server.uri();
  }

  @Override
  public @Nullable String getToken() {
    return server.token();
  }
}
