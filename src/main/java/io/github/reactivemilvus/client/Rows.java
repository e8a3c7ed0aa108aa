package io.github.reactivemilvus.client;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Row mappers for the overloads that take a {@code Function<Map<String, Object>, T>}
 * ({@link MilvusClient#query(Query, Function)}, {@link MilvusClient#get(String, java.util.Collection,
 * Function, String...)}, {@link MilvusClient#queryIterator(Query, int, Function)}).
 */
public final class Rows {
  private Rows() {}

  /**
   * A mapper converting each row to {@code type} with Jackson's {@code convertValue}: fields go to
   * the properties (record components, setters or fields) of the same name, unknown fields are
   * ignored, a float vector maps to {@code float[]} or {@code List<Float>}. A value that does not
   * convert throws {@link IllegalArgumentException} naming the type.
   */
  public static <T> Function<Map<String, Object>, T> as(Class<T> type) {
    return Json.converter(Objects.requireNonNull(type, "type"));
  }
}
