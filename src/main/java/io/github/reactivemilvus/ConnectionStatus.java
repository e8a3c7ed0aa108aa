package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionInfo;
import java.util.Objects;

/**
 * One alias in a {@link ReactiveConnections#listConnections()} snapshot.
 *
 * @param info the normalized, secret-free view of the alias's config
 * @param state the alias's state when the snapshot was taken
 */
public record ConnectionStatus(ConnectionInfo info, ConnectionState state) {
  /** The alias, as in {@link ConnectionInfo#alias()}. */
  public String alias() {
    return Objects.requireNonNull(info.alias(), "a registered config has an alias");
  }
}
