package io.github.reactivemilvus.client;

import io.github.reactivemilvus.proto.ConsistencyLevel;
import io.github.reactivemilvus.proto.HybridSearchRequest;
import io.github.reactivemilvus.proto.QueryRequest;
import io.github.reactivemilvus.proto.SearchRequest;

/**
 * Session consistency for reads: a read at Session level, or at the collection's default level
 * (which may be Session), carries the collection's last acknowledged write timestamp as
 * {@code guarantee_timestamp} (1 when this client wrote nothing yet), as pymilvus does; the server
 * then answers only after applying that write. Other levels are left to the server (Strong 0,
 * Bounded 2, Eventually 1 are its own choices). A request that already has a guarantee timestamp
 * (an iterator's pinned snapshot) keeps it.
 */
final class SessionReads {
  private SessionReads() {}

  static SearchRequest apply(SearchRequest r, WriteClock clock) {
    return wants(r.getUseDefaultConsistency(), r.getConsistencyLevel(), r.getGuaranteeTimestamp())
        ? r.toBuilder().setGuaranteeTimestamp(clock.sessionTimestamp(r.getCollectionName())).build() : r;
  }

  static QueryRequest apply(QueryRequest r, WriteClock clock) {
    return wants(r.getUseDefaultConsistency(), r.getConsistencyLevel(), r.getGuaranteeTimestamp())
        ? r.toBuilder().setGuaranteeTimestamp(clock.sessionTimestamp(r.getCollectionName())).build() : r;
  }

  static HybridSearchRequest apply(HybridSearchRequest r, WriteClock clock) {
    return wants(r.getUseDefaultConsistency(), r.getConsistencyLevel(), r.getGuaranteeTimestamp())
        ? r.toBuilder().setGuaranteeTimestamp(clock.sessionTimestamp(r.getCollectionName())).build() : r;
  }

  private static boolean wants(boolean useDefault, ConsistencyLevel level, long guarantee) {
    return guarantee == 0 && (useDefault || level == ConsistencyLevel.Session);
  }
}
