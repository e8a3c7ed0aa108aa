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
    /** A config was registered (added or replaced). */
    ADDED,
    /** A connect started. */
    CONNECTING,
    /** A connect's handshake completed; the alias's channel is handed out. */
    CONNECTED,
    /** A connect or call attempt failed transiently and is tried again after {@code delay}. */
    RETRYING,
    /** A connect failed for good (its retries, if any, are spent); the message says why. */
    FAILED,
    /** The alias was disconnected; its config stays. */
    DISCONNECTED,
    /** The alias was removed. */
    REMOVED,
    /** A call was refused because both the in-flight and the pending limit were full. */
    CALL_LIMIT_EXCEEDED,
    /** The transport came back after a loss and the handshake was redone. */
    RECONNECTED
  }

  /** One line for logs: type, alias, address, attempt and delay when retrying, and the message. */
  @Override
  public String toString() {
    return type + " " + alias + " (" + address + ")"
        + (attempt > 0 ? " attempt " + attempt + " delay " + delay.toMillis() + "ms" : "")
        + (message.isEmpty() ? "" : ": " + message);
  }
}
