package io.github.reactivemilvus.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A vector search: one or more query vectors (the Java types of the vector field's write column),
 * the vector field (may be left out when the collection has one vector field), top-k
 * {@link Builder#limit(int)}, offset, filter, output fields, metric, search parameters such as
 * {@code ef} or {@code nprobe}, partitions and consistency. Immutable.
 */
public final class Search {
  final String collection;
  final List<Object> vectors;
  final String annsField;
  final int limit;
  final int offset;
  final String filter;
  final List<String> outputFields;
  final String metricType;
  final Map<String, Object> params;
  final List<String> partitions;
  final @Nullable ConsistencyLevel consistency;

  private Search(Builder b) {
    this.collection = b.collection;
    this.vectors = List.copyOf(b.vectors);
    this.annsField = b.annsField;
    this.limit = b.limit;
    this.offset = b.offset;
    this.filter = b.filter;
    this.outputFields = List.copyOf(b.outputFields);
    this.metricType = b.metricType;
    this.params = Map.copyOf(b.params);
    this.partitions = List.copyOf(b.partitions);
    this.consistency = b.consistency;
  }

  /** A builder for a search on {@code collection} (not null); top-k 10 and no filter by default. */
  public static Builder builder(String collection) {
    return new Builder(collection);
  }

  /** The collection searched. */
  public String collection() {
    return collection;
  }

  Builder toBuilder() {
    Builder b = new Builder(collection);
    b.vectors.addAll(vectors);
    b.annsField = annsField;
    b.limit = limit;
    b.offset = offset;
    b.filter = filter;
    b.outputFields = outputFields;
    b.metricType = metricType;
    b.params.putAll(params);
    b.partitions = partitions;
    b.consistency = consistency;
    return b;
  }

  @Override
  public String toString() {
    return "Search{" + collection + " nq=" + vectors.size() + " field=" + annsField + " limit=" + limit
        + " filter=" + filter + " params=" + params + "}";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String collection;
    private final List<Object> vectors = new ArrayList<>();
    private String annsField = "";
    private int limit = 10;
    private int offset;
    private String filter = "";
    private List<String> outputFields = List.of();
    private String metricType = "";
    private final Map<String, Object> params = new LinkedHashMap<>();
    private List<String> partitions = List.of();
    private @Nullable ConsistencyLevel consistency;

    private Builder(String collection) {
      this.collection = Objects.requireNonNull(collection, "collection");
    }

    /** Adds one query vector: float[], List of Number, byte[] (binary) or Map (sparse). */
    public Builder vector(Object vector) {
      vectors.add(Objects.requireNonNull(vector, "vector"));
      return this;
    }

    /**
     * Adds each element as a query vector, as {@link #vector(Object)}; a null element throws
     * {@link NullPointerException}.
     */
    public Builder vectors(List<?> vectors) {
      vectors.forEach(this::vector);
      return this;
    }

    /** The vector field to search (not null); empty (default) works when the collection has one vector field. */
    public Builder annsField(String field) {
      this.annsField = Objects.requireNonNull(field, "field");
      return this;
    }

    /** Top-k per query vector, 1 to 16,384 (default 10). */
    public Builder limit(int limit) {
      if (limit <= 0) {
        throw new IllegalArgumentException("limit must be positive, was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /**
     * Hits to skip per query vector before the first returned (default 0); negative throws
     * {@link IllegalArgumentException}.
     */
    public Builder offset(int offset) {
      if (offset < 0) {
        throw new IllegalArgumentException("offset must not be negative, was " + offset);
      }
      this.offset = offset;
      return this;
    }

    /** A boolean filter expression (not null) the hits must match; empty (default) filters nothing. */
    public Builder filter(String filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /** Fields to return with each hit; {@code "*"} for all. The primary key and score are always returned. */
    public Builder outputFields(String... fields) {
      this.outputFields = List.of(fields);
      return this;
    }

    /** The metric by name (not null); empty (default) uses the index's. */
    public Builder metricType(String metric) {
      this.metricType = Objects.requireNonNull(metric, "metric");
      return this;
    }

    /** The metric (not null); unset uses the index's. */
    public Builder metricType(MetricType metric) {
      return metricType(Objects.requireNonNull(metric, "metric").name());
    }

    /** A search parameter such as {@code ef}, {@code nprobe}, {@code radius}, {@code range_filter}. */
    public Builder param(String key, Object value) {
      params.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Search only these partitions; none (default) searches the whole collection. */
    public Builder partitions(String... partitions) {
      this.partitions = List.of(partitions);
      return this;
    }

    /** The read consistency (not null); unset uses the collection's. */
    public Builder consistency(ConsistencyLevel level) {
      this.consistency = Objects.requireNonNull(level, "level");
      return this;
    }

    /** The immutable search; without a vector throws {@link IllegalArgumentException}. */
    public Search build() {
      if (vectors.isEmpty()) {
        throw new IllegalArgumentException("a search needs at least one vector");
      }
      return new Search(this);
    }
  }
}
