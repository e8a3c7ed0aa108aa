package io.github.reactivemilvus.client;

import java.util.Map;

/**
 * One search result: the primary key ({@link Long} or {@link String}), the score as the server
 * computed it (a distance for L2, a similarity for IP and COSINE) and the requested output fields
 * (types as in the read column of the type table).
 */
public record Hit(Object id, float score, Map<String, Object> fields) {
  public Hit {
    fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
  }
}
