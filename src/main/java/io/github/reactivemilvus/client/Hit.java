package io.github.reactivemilvus.client;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One search result: the primary key ({@link Long} or {@link String}), the score as the server
 * computed it (a distance for L2, a similarity for IP and COSINE) and the requested output fields
 * (types as in the read column of the type table); with group-by, {@code groupValue} is the value of
 * the group-by field this hit was grouped under (null without group-by). {@link #map(Function)} and
 * {@link #as(Class)} turn the fields into a type of the application's.
 */
public record Hit(Object id, float score, Map<String, Object> fields, @Nullable Object groupValue) {
  /**
   * Copies {@code fields} into an unmodifiable map keeping their order (null values allowed, as a nullable
   * field returns); a row the client decoded is already unmodifiable and is kept as it is.
   */
  public Hit {
    fields = fields instanceof RowMap ? fields : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
  }

  /** A hit of a search without group-by. */
  public Hit(Object id, float score, Map<String, Object> fields) {
    this(id, score, fields, null);
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
