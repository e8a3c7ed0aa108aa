package io.github.reactivemilvus.test.server;

import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Milvus server started outside the tests, named by the system property {@code reactivemilvus.test.uri}
 * or the environment variable {@code REACTIVE_MILVUS_TEST_URI} (the property wins), with an optional token
 * from {@code reactivemilvus.test.token} / {@code REACTIVE_MILVUS_TEST_TOKEN}. Runs the same tests against
 * a real cluster in CI. Closing it does nothing.
 */
public final class ExternalMilvus implements MilvusServer {

  /** The system property naming an external server. */
  public static final String URI_PROPERTY = "reactivemilvus.test.uri";
  /** The environment variable naming an external server. */
  public static final String URI_ENV = "REACTIVE_MILVUS_TEST_URI";
  /** The system property holding the external server's token. */
  public static final String TOKEN_PROPERTY = "reactivemilvus.test.token";
  /** The environment variable holding the external server's token. */
  public static final String TOKEN_ENV = "REACTIVE_MILVUS_TEST_TOKEN";

  private final String uri;
  private final @Nullable String token;

  /** An external server at {@code uri}, with {@code token} (null for none). */
  public ExternalMilvus(String uri, @Nullable String token) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("an external Milvus needs a URI");
    }
    this.uri = uri.trim();
    this.token = token == null || token.isBlank() ? null : token;
  }

  /** The external server configured in the system properties or in the environment, if any. */
  public static Optional<ExternalMilvus> configured() {
    return configured(System.getenv());
  }

  static Optional<ExternalMilvus> configured(Map<String, String> env) {
    String uri = setting(URI_PROPERTY, URI_ENV, env);
    return uri == null ? Optional.empty() : Optional.of(new ExternalMilvus(uri, setting(TOKEN_PROPERTY, TOKEN_ENV, env)));
  }

  private static @Nullable String setting(String property, String variable, Map<String, String> env) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = env.get(variable);
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public @Nullable String token() {
    return token;
  }

  @Override
  public String description() {
    return "external";
  }

  @Override
  public boolean external() {
    return true;
  }

  @Override
  public void close() {
    // not ours to stop
  }

  @Override
  public String toString() {
    return "ExternalMilvus[" + uri + "]";
  }
}
