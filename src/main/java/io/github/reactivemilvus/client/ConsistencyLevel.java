package io.github.reactivemilvus.client;

/**
 * How fresh the data a read sees must be: {@link #STRONG} sees every write acknowledged before the
 * read, {@link #SESSION} this client's own writes, {@link #BOUNDED} writes older than the server's
 * staleness bound (a few seconds), {@link #EVENTUALLY} whatever the query nodes hold.
 */
public enum ConsistencyLevel {
  /** Every acknowledged write is visible. */
  STRONG(0),
  /** This client's writes are visible. */
  SESSION(1),
  /** Writes older than the staleness bound are visible (the default of pymilvus and the Java SDK). */
  BOUNDED(2),
  /** No guarantee; the fastest. */
  EVENTUALLY(3),
  /** A guarantee timestamp chosen by the caller. */
  CUSTOMIZED(4);

  private final int code;

  ConsistencyLevel(int code) {
    this.code = code;
  }

  /** The protocol's number for this level. */
  public int code() {
    return code;
  }

  /** The level of protocol number {@code code}; an unknown number gives {@link #BOUNDED}. */
  public static ConsistencyLevel fromCode(int code) {
    for (ConsistencyLevel l : values()) {
      if (l.code == code) {
        return l;
      }
    }
    return BOUNDED;
  }
}
