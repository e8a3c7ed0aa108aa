package io.github.reactivemilvus.internal;

import io.grpc.Status;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The {@code authorization} header value of one alias, swapped atomically when its credentials
 * are refreshed: every call reads the value current when it starts. A call the server refused for
 * its credentials closes with a {@link Rejected} cause saying which value it carried and which
 * refreshes had begun when it was sent, so that a retry waits only for a refresh begun after that
 * (see {@link #refreshesBegun()}). Holds the secret: its {@code toString} shows none. Thread-safe.
 */
@Internal
public final class Authorization {
  /** One value of the header, numbered: a new number only when the value changes. */
  record Value(@Nullable String header, long version) {}

  private final Predicate<Status> rejectsCredentials;
  private volatile Value value;
  private volatile long refreshesBegun;
  private long lastApplied; // guarded by this

  private Authorization(@Nullable String header, Predicate<Status> rejectsCredentials) {
    this.value = new Value(header, 0);
    this.rejectsCredentials = rejectsCredentials;
  }

  /** A header that never changes (the config's {@code token} or {@code user}/{@code password}, or none). */
  public static Authorization fixed(@Nullable String header) {
    return new Authorization(header, status -> false);
  }

  /**
   * A header set by {@link #set} (none until then); a call closed with a status {@code rejectsCredentials}
   * accepts gets a {@link Rejected} cause.
   */
  public static Authorization refreshable(Predicate<Status> rejectsCredentials) {
    return new Authorization(null, rejectsCredentials);
  }

  /** The header value now; null when there is none. The secret: never log it. */
  public @Nullable String header() {
    return value.header();
  }

  /** The value now with its version, read together. */
  Value value() {
    return value;
  }

  /** The number of the value now: 0 at first, one more each time {@link #set} changed it. */
  public long version() {
    return value.version();
  }

  /**
   * Makes {@code header}, read by refresh number {@code refresh} ({@link #beginRefresh()}), the value
   * later calls carry, unless a refresh begun later has set one already (a slow refresh never brings
   * back an older value); returns whether the value changed (only then the version moves on).
   */
  public synchronized boolean set(String header, long refresh) {
    if (refresh <= lastApplied) {
      return false;
    }
    lastApplied = refresh;
    Value now = value;
    if (header.equals(now.header())) {
      return false;
    }
    value = new Value(header, now.version() + 1);
    return true;
  }

  /** Counts a refresh about to ask for credentials; returns its number (from 1). */
  public synchronized long beginRefresh() {
    return ++refreshesBegun;
  }

  /** How many refreshes had begun so far. */
  public long refreshesBegun() {
    return refreshesBegun;
  }

  /** Whether a call closed with {@code status} was refused for its credentials. */
  boolean rejects(Status status) {
    return rejectsCredentials.test(status);
  }

  /** A status whose call was refused for its credentials, marked with what the call carried. */
  Status rejected(Status status, long version, long refreshesBegunAtSend) {
    Throwable original = status.getCause();
    return status.withCause(new Rejected(version, refreshesBegunAtSend, original));
  }

  @Override
  public String toString() {
    return "Authorization{version=" + value.version() + "}";
  }

  /**
   * The cause set on a call the server refused for its credentials: the version of the value it
   * carried and how many refreshes had begun when it was sent (no secret).
   */
  public static final class Rejected extends LocalCauses.LocalCause {
    private static final long serialVersionUID = 1L;
    private final long version;
    private final long refreshesBegunAtSend;

    Rejected(long version, long refreshesBegunAtSend, @Nullable Throwable cause) {
      super("the server refused the credentials (version " + version + ")", cause);
      this.version = version;
      this.refreshesBegunAtSend = refreshesBegunAtSend;
    }

    /** The version of the header value the refused call carried. */
    public long version() {
      return version;
    }

    /** How many refreshes had begun when the refused call was sent. */
    public long refreshesBegunAtSend() {
      return refreshesBegunAtSend;
    }
  }
}
