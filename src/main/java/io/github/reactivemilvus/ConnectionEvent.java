package io.github.reactivemilvus;

import java.time.Duration;
import java.time.Instant;

/**
 * Something that happened to an alias, published on {@link ReactiveConnections#events()}.
 * Messages never contain secrets.
 *
 * @param type what happened
 * @param alias the alias
 * @param address the alias's normalized address
 * @param time when it happened
 * @param attempt the connect or call attempt (1-based) for {@link Type#RETRYING}, else 0
 * @param delay the backoff before the next attempt for {@link Type#RETRYING}, else {@link Duration#ZERO}
 * @param message a human-readable detail (the failure for {@link Type#FAILED}), or empty
 */
public record ConnectionEvent(
    Type type, String alias, String address, Instant time, int attempt, Duration delay, String message) {

  /** Event types. */
  public enum Type {
    ADDED, CONNECTING, CONNECTED, RETRYING, FAILED, DISCONNECTED, REMOVED, CALL_LIMIT_EXCEEDED, RECONNECTED
  }

  @Override
  public String toString() {
    return type + " " + alias + " (" + address + ")"
        + (attempt > 0 ? " attempt " + attempt + " delay " + delay.toMillis() + "ms" : "")
        + (message.isEmpty() ? "" : ": " + message);
  }
}
