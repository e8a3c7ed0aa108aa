package io.github.reactivemilvus.client;

import org.jspecify.annotations.Nullable;

/**
 * What a whole insert or upsert stream wrote, for answering an upload in one response: the rows
 * the server acknowledged, the batches it answered, and the first failure (null when every row was
 * written). Every batch that was sent is counted, including those that finished after the failure:
 * the rows Milvus holds from this stream are exactly {@link #rows()}.
 *
 * @param rows rows the server acknowledged (its insert or upsert count, summed over the batches)
 * @param batches batches the server answered
 * @param failure the first failure (a {@link RowConversionException} for a row that does not fit
 *     the schema, a {@code MilvusConnectionException} for a refused or failed batch, or the row
 *     source's own error); null when the stream was written whole
 */
public record WriteSummary(long rows, long batches, @Nullable Throwable failure) {

  /** Whether every row of the stream was written. */
  public boolean complete() {
    return failure == null;
  }
}
