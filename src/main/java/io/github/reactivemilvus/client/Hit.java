package io.github.reactivemilvus.client;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One search result: the primary key ({@link Long} or {@link String}), the score as the server
 * computed it (a distance for L2, a similarity for IP and COSINE) and the requested output fields
 * (types as in the read column of the type table). {@link #map(Function)} and {@link #as(Class)}
 * turn the fields into a type of the application's.
 */
public record Hit(Object id, float score, Map<String, Object> fields) {
  /**
   * Copies {@code fields} into an unmodifiable map keeping their order (null values allowed, as a nullable
   * field returns).
   */
  public Hit {
    fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
  }

  /** {@code mapper} applied to the output fields. */
  public <T> T map(Function<? super Map<String, Object>, ? extends T> mapper) {
    return Objects.requireNonNull(mapper, "mapper").apply(fields);
  }

  /**
   * The output fields as an instance of {@code type}, converted by Jackson (properties by field
   * name, unknown fields ignored); see {@link Rows#as(Class)}.
   */
  public <T> T as(Class<T> type) {
    return Json.convert(fields, Objects.requireNonNull(type, "type"));
  }
}
