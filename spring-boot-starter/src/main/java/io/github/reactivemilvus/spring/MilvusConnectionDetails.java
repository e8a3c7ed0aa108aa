package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.ReactiveConnections;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where an alias's Milvus is, from a source other than the {@code milvus.connections.*} properties: Spring
 * Boot's {@link ConnectionDetails} idiom. A bean of this type (a test's Milvus Lite server, a Testcontainers
 * {@code MilvusContainer} through {@code @ServiceConnection}, a service-discovery lookup) replaces the uri,
 * token and database the properties give its {@link #getAlias() alias}; every other key of the alias
 * (timeouts, retries, TLS, ...) still comes from the properties. Several beans may name several aliases.
 */
public interface MilvusConnectionDetails extends ConnectionDetails {

  /** The alias these details are for: {@code default} unless overridden. */
  default String getAlias() {
    return ReactiveConnections.DEFAULT_ALIAS;
  }

  /** The server's URI, for example {@code http://127.0.0.1:19530}. */
  String getUri();

  /** The token ({@code user:password} or an API key), or null to keep what the properties say. */
  default @Nullable String getToken() {
    return null;
  }

  /** The database, or null to keep what the properties say. */
  default @Nullable String getDbName() {
    return null;
  }
}
