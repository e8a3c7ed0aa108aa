package io.github.reactivemilvus.internal;

import org.jspecify.annotations.Nullable;

/**
 * A channel could not be built or handed out, for a reason the registry reports under its own
 * failure kinds. Thrown only by this package; never carries a secret.
 */
@Internal
public final class TransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the transport could not be had. */
  public enum Reason {
    /** The endpoint cannot be dialled from here (for example a Unix socket without epoll). */
    UNREACHABLE,
    /** TLS could not be set up from the configured files or roots. */
    TLS,
    /** The channels were closed while the channel was being built. */
    CLOSED
  }

  private final Reason reason;
  private final String address;

  TransportException(Reason reason, String address, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.address = address;
  }

  /** Why the transport could not be had. */
  public Reason reason() {
    return reason;
  }

  /** The normalized address of the endpoint. */
  public String address() {
    return address;
  }
}
