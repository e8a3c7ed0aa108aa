package io.github.reactivemilvus.test.server;

import org.jspecify.annotations.Nullable;

/**
 * A Milvus server a test talks to: one this JVM started ({@link MilvusLite}) or an external one
 * ({@link ExternalMilvus}). Closing stops what this JVM started and does nothing to an external server.
 */
public interface MilvusServer extends AutoCloseable {

  /** The server's address as a Milvus URI, for example {@code http://127.0.0.1:43117}. */
  String uri();

  /** The token to connect with ({@code user:password} or an API key), or null when none is needed. */
  default @Nullable String token() {
    return null;
  }

  /** What serves: {@code milvus-lite 3.2.2}, {@code milvus-lite 2.5.1} or {@code external}. */
  String description();

  /** True when this server was started elsewhere (the tests must not assume a fresh, empty server). */
  boolean external();

  /** Stops the server if this JVM started it; idempotent. */
  @Override
  void close();
}
