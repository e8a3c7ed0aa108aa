package io.github.reactivemilvus.client;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The timestamp of the last write acknowledged per collection (the {@code timestamp} of an
 * insert, upsert or delete response: a Milvus hybrid timestamp), for Session consistency: a read
 * at Session level sends it as {@code guarantee_timestamp}, so the server answers only once it has
 * applied that write (read-your-writes). Without a write yet, a read sends 1, as pymilvus does (the
 * server's "eventually" timestamp). Thread-safe; timestamps only move forward.
 */
final class WriteClock {
  /** The guarantee timestamp meaning "no wait" (pymilvus's EVENTUALLY_TS). */
  static final long EVENTUALLY = 1L;
  /** The guarantee timestamp meaning "the server's bounded staleness" (pymilvus's BOUNDED_TS). */
  static final long BOUNDED = 2L;

  private final ConcurrentHashMap<String, Long> lastWrite = new ConcurrentHashMap<>();

  /** Records a write acknowledged at {@code timestamp} (0, from a server that sends none, is ignored). */
  void written(String collection, long timestamp) {
    if (timestamp > 0) {
      lastWrite.merge(collection, timestamp, Math::max);
    }
  }

  /** The guarantee timestamp of a Session read of {@code collection}. */
  long sessionTimestamp(String collection) {
    Long ts = lastWrite.get(collection);
    return ts == null ? EVENTUALLY : ts;
  }

  /** Forgets a dropped or renamed collection. */
  void forget(String collection) {
    lastWrite.remove(collection);
  }
}
