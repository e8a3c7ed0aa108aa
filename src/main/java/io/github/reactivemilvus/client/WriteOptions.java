package io.github.reactivemilvus.client;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@code insert} and {@code upsert} cut a row stream into batches and how many they send at
 * once. A batch ends at {@link #batchRows()} rows, or before the row that would take it over
 * {@link #batchBytes()} (estimated: numbers 8 bytes, strings their length, vectors their payload;
 * a single larger row goes alone). At most {@link #maxInFlight()} batches are sent and not yet
 * answered; rows are pulled from the source only as batches complete. Defaults: 1,000 rows,
 * 8 MiB, 2 in flight. Immutable.
 */
public final class WriteOptions {
  public static final WriteOptions DEFAULTS = new WriteOptions(1_000, 8L << 20, 2, "", result -> { });
  private final int batchRows;
  private final long batchBytes;
  private final int maxInFlight;
  private final String partition;
  private final Consumer<WriteResult> lateResults;

  private WriteOptions(int batchRows, long batchBytes, int maxInFlight, String partition, Consumer<WriteResult> lateResults) {
    if (batchRows <= 0 || batchBytes <= 0 || maxInFlight <= 0) {
      throw new IllegalArgumentException("batchRows, batchBytes and maxInFlight must be positive, were "
          + batchRows + ", " + batchBytes + ", " + maxInFlight);
    }
    this.batchRows = batchRows;
    this.batchBytes = batchBytes;
    this.maxInFlight = maxInFlight;
    this.partition = Objects.requireNonNull(partition, "partition");
    this.lateResults = Objects.requireNonNull(lateResults, "lateResults");
  }

  /** A copy with at most {@code rows} rows per batch; not positive throws {@link IllegalArgumentException}. */
  public WriteOptions withBatchRows(int rows) {
    return new WriteOptions(rows, batchBytes, maxInFlight, partition, lateResults);
  }

  /**
   * A copy whose batches end before an estimated {@code bytes}; not positive throws
   * {@link IllegalArgumentException}.
   */
  public WriteOptions withBatchBytes(long bytes) {
    return new WriteOptions(batchRows, bytes, maxInFlight, partition, lateResults);
  }

  /**
   * A copy sending at most {@code batches} batches not yet answered; not positive throws
   * {@link IllegalArgumentException}.
   */
  public WriteOptions withMaxInFlight(int batches) {
    return new WriteOptions(batchRows, batchBytes, batches, partition, lateResults);
  }

  /** Write into this partition; empty (default) writes to the default partition. */
  public WriteOptions withPartition(String partitionName) {
    return new WriteOptions(batchRows, batchBytes, maxInFlight, partitionName, lateResults);
  }

  /**
   * A copy that hands {@code consumer} the result of each batch that was sent before the write
   * stream was cancelled and finished after it (a cancelled stream never cancels a sent batch:
   * Milvus may already have applied it). Called on a gRPC callback thread; must not block. The
   * default only logs them (WARN).
   */
  public WriteOptions withLateResults(Consumer<WriteResult> consumer) {
    return new WriteOptions(batchRows, batchBytes, maxInFlight, partition, Objects.requireNonNull(consumer, "consumer"));
  }

  /** Where the results of batches finished after a cancel go (see {@link #withLateResults}). */
  public Consumer<WriteResult> lateResults() {
    return lateResults;
  }

  /** The most rows per batch (default 1,000). */
  public int batchRows() {
    return batchRows;
  }

  /** The estimated byte size a batch stays under (default 8 MiB). */
  public long batchBytes() {
    return batchBytes;
  }

  /** The most batches sent and not yet answered (default 2). */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** The partition written to; empty (default) for the default partition. */
  public String partition() {
    return partition;
  }

  @Override
  public String toString() {
    return "WriteOptions{batchRows=" + batchRows + ", batchBytes=" + batchBytes + ", maxInFlight=" + maxInFlight
        + (partition.isEmpty() ? "" : ", partition=" + partition) + "}";
  }
}
