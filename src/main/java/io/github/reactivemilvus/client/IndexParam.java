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

  /**
   * A builder for an index on {@code fieldName} (not null); the type defaults to {@code AUTOINDEX}, the
   * metric and name to empty.
   */
  public static Builder builder(String fieldName) {
    return new Builder(fieldName);
  }

  /** The indexed field. */
  public String fieldName() {
    return fieldName;
  }

  /** The index name; empty lets the server name it after the field. */
  public String indexName() {
    return indexName;
  }

  /** The index type, for example {@code HNSW}; {@code AUTOINDEX} by default. */
  public String indexType() {
    return indexType;
  }

  /** The metric, or empty for scalar indexes. */
  public String metricType() {
    return metricType;
  }

  /** The build parameters, immutable; empty by default. */
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

    /** The index name (not null); empty (default) names it after the field. */
    public Builder indexName(String indexName) {
      this.indexName = Objects.requireNonNull(indexName, "indexName");
      return this;
    }

    /**
     * The index type by name (not null), for example {@code HNSW} or {@code INVERTED}, also one
     * {@link IndexType} does not list; {@code AUTOINDEX} by default.
     */
    public Builder indexType(String indexType) {
      this.indexType = Objects.requireNonNull(indexType, "indexType");
      return this;
    }

    /** The index type (not null); {@link IndexType#AUTOINDEX} by default. */
    public Builder indexType(IndexType indexType) {
      return indexType(Objects.requireNonNull(indexType, "indexType").wireName());
    }

    /** The metric (not null); leave it unset for scalar indexes. */
    public Builder metricType(MetricType metricType) {
      return metricType(Objects.requireNonNull(metricType, "metricType").name());
    }

    /** The metric by name (not null), for example {@code COSINE}; leave it empty for scalar indexes. */
    public Builder metricType(String metricType) {
      this.metricType = Objects.requireNonNull(metricType, "metricType");
      return this;
    }

    /** A build parameter such as {@code M}, {@code efConstruction}, {@code nlist}. */
    public Builder param(String key, Object value) {
      params.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The immutable index parameters; the server validates type, metric and parameters when the index is created. */
    public IndexParam build() {
      return new IndexParam(this);
    }
  }
}
