package io.github.reactivemilvus.client;

import org.jspecify.annotations.Nullable;

/**
 * A row does not fit the collection's schema. Thrown (as the error of the write's {@code Flux})
 * before anything of the row's batch is sent. Names the row's index in the written stream
 * (counting from 0), the field, and the Java types the field accepts. Never contains the value.
 */
public final class RowConversionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final long rowIndex;
  private final String field;
  private final String expected;

  RowConversionException(long rowIndex, String field, String expected, @Nullable String problem) {
    super("row " + rowIndex + ", field '" + field + "': " + problem + "; expected " + expected);
    this.rowIndex = rowIndex;
    this.field = field;
    this.expected = expected;
  }

  /** Index of the bad row in the written stream, from 0. */
  public long rowIndex() {
    return rowIndex;
  }

  /** The field (or, for an unknown key, the key) that did not fit. */
  public String field() {
    return field;
  }

  /** What the field accepts, for example {@code "float[] or List<Number> of 128 elements"}. */
  public String expected() {
    return expected;
  }
}
