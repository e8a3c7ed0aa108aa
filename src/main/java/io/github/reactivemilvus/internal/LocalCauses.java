package io.github.reactivemilvus.internal;

import org.jspecify.annotations.Nullable;

/**
 * The causes this library sets on the gRPC statuses it makes itself, so that a failure is told
 * apart by its type ({@code instanceof} on the cause chain), never by the words of the status
 * description. None carries a stack trace: each marks an outcome, not a fault.
 */
@Internal
public final class LocalCauses {
  private LocalCauses() {}

  /** Base of the library's own causes. */
  public abstract static class LocalCause extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LocalCause(String message, @Nullable Throwable cause) {
      super(message, cause, false, false);
    }
  }

  /** The call was refused or ended because its alias was disconnected (or the registry closed). */
  public static final class Disconnected extends LocalCause {
    private static final long serialVersionUID = 1L;

    Disconnected(String message) {
      super(message, null);
    }
  }

  /** The call ran out of its alias's default deadline ({@code call_timeout}), running or waiting. */
  public static final class DefaultDeadline extends LocalCause {
    private static final long serialVersionUID = 1L;

    DefaultDeadline(String message) {
      super(message, null);
    }
  }

  /** The call was refused at once: its alias's in-flight and pending limits were both full. */
  public static final class CallLimit extends LocalCause {
    private static final long serialVersionUID = 1L;

    CallLimit(String message) {
      super(message, null);
    }
  }

  /**
   * The call's deadline (its own or the alias's default) passed while it was still waiting for a
   * permit: it never reached the server. The deadline's own cause, if any, is this one's cause.
   */
  public static final class PermitWaitExpired extends LocalCause {
    private static final long serialVersionUID = 1L;

    PermitWaitExpired(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /** The first cause of {@code type} in the chain of {@code error}, or null. */
  public static <T extends Throwable> @Nullable T find(Throwable error, Class<T> type) {
    int depth = 0;
    for (@Nullable Throwable t = error; t != null && depth < 32; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
