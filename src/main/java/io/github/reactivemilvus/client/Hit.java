package io.github.reactivemilvus.client;

import java.util.Map;

/**
 * One search result: the primary key ({@link Long} or {@link String}), the score as the server
 * computed it (a distance for L2, a similarity for IP and COSINE) and the requested output fields
 * (types as in the read column of the type table).
 */
public record Hit(Object id, float score, Map<String, Object> fields) {
  /**
   * Copies {@code fields} into an unmodifiable map keeping their order (null values allowed, as a nullable
   * field returns).
   */
  public Hit {
    fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
  }
}
