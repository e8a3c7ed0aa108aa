package io.github.reactivemilvus.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An index to build on one field: type ({@code FLAT}, {@code HNSW}, {@code AUTOINDEX},
 * {@code SPARSE_INVERTED_INDEX}, {@code INVERTED}, ...), metric ({@code L2}, {@code IP},
 * {@code COSINE}, {@code HAMMING}, {@code JACCARD}, {@code BM25}) and build parameters. Immutable.
 */
public final class IndexParam {
  private final String fieldName;
  private final String indexName;
  private final String indexType;
  private final String metricType;
  private final Map<String, Object> params;

  private IndexParam(Builder b) {
    this.fieldName = b.fieldName;
    this.indexName = b.indexName;
    this.indexType = b.indexType;
    this.metricType = b.metricType;
    this.params = Map.copyOf(b.params);
  }

  public static Builder builder(String fieldName) {
    return new Builder(fieldName);
  }

  public String fieldName() {
    return fieldName;
  }

  /** The index name; empty lets the server name it after the field. */
  public String indexName() {
    return indexName;
  }

  public String indexType() {
    return indexType;
  }

  /** The metric, or empty for scalar indexes. */
  public String metricType() {
    return metricType;
  }

  public Map<String, Object> params() {
    return params;
  }

  @Override
  public String toString() {
    return "IndexParam{" + fieldName + " " + indexType + " " + metricType + " " + params + "}";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String fieldName;
    private String indexName = "";
    private String indexType = "AUTOINDEX";
    private String metricType = "";
    private final Map<String, Object> params = new LinkedHashMap<>();

    private Builder(String fieldName) {
      this.fieldName = Objects.requireNonNull(fieldName, "fieldName");
    }

    public Builder indexName(String indexName) {
      this.indexName = Objects.requireNonNull(indexName, "indexName");
      return this;
    }

    public Builder indexType(String indexType) {
      this.indexType = Objects.requireNonNull(indexType, "indexType");
      return this;
    }

    public Builder metricType(String metricType) {
      this.metricType = Objects.requireNonNull(metricType, "metricType");
      return this;
    }

    /** A build parameter such as {@code M}, {@code efConstruction}, {@code nlist}. */
    public Builder param(String key, Object value) {
      params.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public IndexParam build() {
      return new IndexParam(this);
    }
  }
}
