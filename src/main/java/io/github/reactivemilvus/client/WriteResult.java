package io.github.reactivemilvus.client;

import java.util.List;

/**
 * The outcome of one batch of an insert or upsert: its position in the stream ({@code batch}
 * from 0, {@code firstRow} the stream index of its first row), the rows it held, the primary keys
 * the server reports ({@link Long} or {@link String}, in row order) and the server's counts and
 * timestamp.
 */
public record WriteResult(long batch, long firstRow, int rows, List<Object> ids, long insertCount,
    long upsertCount, long deleteCount, long timestamp) {
  /**
   * Copies {@code ids} into an immutable list (the keys of an answer the client decoded are already
   * unmodifiable and kept as they are); a null list or id throws {@link NullPointerException}.
   */
  public WriteResult {
    ids = ids instanceof IdList ? ids : List.copyOf(ids);
  }
}
