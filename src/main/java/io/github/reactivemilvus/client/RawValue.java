package io.github.reactivemilvus.client;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A value of a field whose type this client does not know (a type added by a newer Milvus), as
 * read rows carry it instead of failing the whole read. Writing such a field fails before the
 * batch is sent.
 *
 * @param type the Milvus data type's name ({@code "DataType(301)"} for a number this client has no
 *     name for)
 * @param value the value as its wire payload holds it when the payload is one this client knows
 *     (Boolean, Integer, Long, Float, Double, String, byte[]); otherwise the bytes of the column's
 *     whole payload, the same for every row; null for a null
 */
public record RawValue(String type, @Nullable Object value) {

  /** Equal type and value ({@code byte[]} values by content). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RawValue r && r.type.equals(type)
        && (value instanceof byte[] a && r.value instanceof byte[] b ? Arrays.equals(a, b)
        : java.util.Objects.equals(value, r.value));
  }

  /** Consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return 31 * type.hashCode() + (value instanceof byte[] a ? Arrays.hashCode(a) : java.util.Objects.hashCode(value));
  }

  /** The type and the value's Java type (never the value: it may be large or sensitive). */
  @Override
  public String toString() {
    return "RawValue[type=" + type + ", value=" + (value == null ? "null" : value.getClass().getSimpleName()) + "]";
  }
}
