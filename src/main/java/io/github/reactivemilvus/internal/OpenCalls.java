package io.github.reactivemilvus.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The calls open on one alias, in the order they started, for the shutdown that ends them and for
 * the {@link DeadlineSweeper} that expires the ones past the default deadline. Each call holds the
 * {@link Entry} it was given and hands it back when it closes; the entries are this class's own.
 * Thread-safe; every operation is a few field updates under one lock.
 */
@Internal
final class OpenCalls {
  /** A call's place in the list; opaque to the call. */
  static final class Entry {
    private final LimitedCall<?, ?> call;
    private final long expiresAtTick;
    private @Nullable Entry previous;
    private @Nullable Entry next;
    private boolean linked;

    private Entry(LimitedCall<?, ?> call, long expiresAtTick) {
      this.call = call;
      this.expiresAtTick = expiresAtTick;
    }
  }

  private @Nullable Entry head;
  private @Nullable Entry tail;
  private int size;
  private volatile int sizeHint;

  /**
   * Appends {@code call}; {@code expiresAtTick} is the sweeper tick from which it is past its
   * default deadline, or {@link Long#MAX_VALUE} when the sweeper must leave it alone.
   */
  synchronized Entry add(LimitedCall<?, ?> call, long expiresAtTick) {
    Entry e = new Entry(call, expiresAtTick);
    e.previous = tail;
    if (tail == null) {
      head = e;
    } else {
      tail.next = e;
    }
    tail = e;
    e.linked = true;
    sizeHint = ++size;
    return e;
  }

  /** Removes the entry; a second removal is a no-op. */
  synchronized void remove(Entry e) {
    if (!e.linked) {
      return;
    }
    e.linked = false;
    if (e.previous == null) {
      head = e.next;
    } else {
      e.previous.next = e.next;
    }
    if (e.next == null) {
      tail = e.previous;
    } else {
      e.next.previous = e.previous;
    }
    e.previous = null;
    e.next = null;
    sizeHint = --size;
  }

  synchronized int size() {
    return size;
  }

  boolean isEmpty() {
    return sizeHint == 0;
  }

  synchronized List<LimitedCall<?, ?>> all() {
    List<LimitedCall<?, ?>> out = new ArrayList<>(size);
    for (Entry e = head; e != null; e = e.next) {
      out.add(e.call);
    }
    return out;
  }

  /**
   * The calls whose default deadline passed at {@code tick}. Calls of one alias share one default
   * deadline and are kept in start order, so the scan stops at the first swept call that is not yet
   * due; calls with their own deadline ({@code Long.MAX_VALUE}) are skipped.
   */
  synchronized List<LimitedCall<?, ?>> expiredAt(long tick) {
    List<LimitedCall<?, ?>> out = null;
    for (Entry e = head; e != null; e = e.next) {
      if (e.expiresAtTick == Long.MAX_VALUE) {
        continue;
      }
      if (e.expiresAtTick > tick) {
        break;
      }
      if (out == null) {
        out = new ArrayList<>();
      }
      out.add(e.call);
    }
    return out == null ? List.of() : out;
  }
}
