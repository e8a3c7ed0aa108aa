package io.github.reactivemilvus.client;

import java.util.Map;

/**
 * An index as the server describes it. {@code params} holds {@code index_type}, {@code metric_type}
 * and the build parameters as strings; {@code failReason} is empty unless the state is
 * {@link IndexState#FAILED}.
 */
public record IndexDescription(String indexName, String fieldName, Map<String, String> params, IndexState state,
    String failReason, long indexedRows, long totalRows, long pendingRows) {
  /** Copies {@code params} into an immutable map; a null map throws {@link NullPointerException}. */
  public IndexDescription {
    params = Map.copyOf(params);
  }
}
