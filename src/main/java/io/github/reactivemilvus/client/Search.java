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
  final @Nullable String groupByField;
  final int groupSize;
  final @Nullable Boolean strictGroupSize;
  final Map<String, Object> filterParams;

  private Search(Builder b) {
    this.collection = b.collection;
    this.vectors = List.copyOf(b.vectors);
    this.annsField = b.annsField;
    this.limit = b.limit;
    this.offset = (int) b.parts.offset;
    this.filter = b.parts.filter;
    this.outputFields = b.parts.outputFields;
    this.metricType = b.metricType;
    this.params = Map.copyOf(b.params);
    this.partitions = b.parts.partitions;
    this.consistency = b.parts.consistency;
    this.groupByField = b.parts.groupByField;
    this.groupSize = b.parts.groupSize;
    this.strictGroupSize = b.parts.strictGroupSize;
    this.filterParams = b.parts.filterParamsCopy();
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
    b.metricType = metricType;
    b.params.putAll(params);
    ReadParts p = b.parts;
    p.offset = offset;
    p.filter = filter;
    p.outputFields = outputFields;
    p.partitions = partitions;
    p.consistency = consistency;
    p.groupByField = groupByField;
    p.groupSize = groupSize;
    p.strictGroupSize = strictGroupSize;
    p.filterParams.putAll(filterParams);
    return b;
  }

  @Override
  public String toString() {
    return "Search{" + collection + " nq=" + vectors.size() + " field=" + annsField + " limit=" + limit
        + " filter=" + filter + " params=" + params + (groupByField == null ? "" : " groupBy=" + groupByField) + "}";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String collection;
    private final List<Object> vectors = new ArrayList<>();
    private String annsField = "";
    private int limit = 10;
    private String metricType = "";
    private final Map<String, Object> params = new LinkedHashMap<>();
    private final ReadParts parts = new ReadParts();

    private Builder(String collection) {
      this.collection = Objects.requireNonNull(collection, "collection");
    }

    /**
     * Adds one query vector: float[], List of Number, byte[] (binary) or Map (sparse); or a String, the
     * query text of a full-text search on a BM25 function's output field (as {@link #text}).
     */
    public Builder vector(Object vector) {
      vectors.add(Objects.requireNonNull(vector, "vector"));
      return this;
    }

    /**
     * Adds one query text (not null) for a full-text search: the field searched ({@link #annsField}) is
     * the sparse output field of a BM25 function, whose analyzer turns the text into terms on the server.
     * One hit list per text, in order. A search is either all texts or all vectors.
     */
    public Builder text(String text) {
      vectors.add(Objects.requireNonNull(text, "text"));
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
      this.limit = ReadParts.positiveLimit(limit);
      return this;
    }

    /**
     * Hits to skip per query vector before the first returned (default 0); negative throws
     * {@link IllegalArgumentException}.
     */
    public Builder offset(int offset) {
      parts.offset(offset);
      return this;
    }

    /** A boolean filter expression (not null) the hits must match; empty (default) filters nothing. */
    public Builder filter(String filter) {
      parts.filter(filter);
      return this;
    }

    /** Fields to return with each hit; {@code "*"} for all. The primary key and score are always returned. */
    public Builder outputFields(String... fields) {
      parts.outputFields(fields);
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

    /**
     * A search parameter of the index such as {@code ef} or {@code nprobe} (sent in the {@code params}
     * JSON). {@code group_by_field}, {@code group_size} and {@code strict_group_size} are not index
     * parameters: given here they are set as {@link #groupBy}, {@link #groupSize} and {@link #strictGroupSize}.
     */
    public Builder param(String key, Object value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      switch (key) {
        case "group_by_field" -> groupBy(value.toString());
        case "group_size" -> groupSize(Integer.parseInt(value.toString()));
        case "strict_group_size" -> strictGroupSize(Boolean.parseBoolean(value.toString()));
        default -> params.put(key, value);
      }
      return this;
    }

    /**
     * Range search: only hits whose score is beyond {@code radius} (for L2 and HAMMING a distance below
     * it, for IP, COSINE and BM25 a similarity above it). With {@link #rangeFilter}, the other bound.
     */
    public Builder radius(double radius) {
      params.put("radius", radius);
      return this;
    }

    /** The inner bound of a range search (with {@link #radius}): hits at least this close are left out. */
    public Builder rangeFilter(double rangeFilter) {
      params.put("range_filter", rangeFilter);
      return this;
    }

    /**
     * Groups hits by this scalar field (not null): at most {@link #groupSize} hits per value (default 1),
     * {@code limit} groups; each hit carries its group's value ({@link Hit#groupValue()}). For one hit
     * per document when a document is stored as several chunks.
     */
    public Builder groupBy(String field) {
      parts.groupBy(field);
      return this;
    }

    /** Hits per group with {@link #groupBy} (positive; the server's default is 1). */
    public Builder groupSize(int size) {
      parts.groupSize(size);
      return this;
    }

    /** With {@link #groupBy}: whether every group must have {@link #groupSize} hits (server default false). */
    public Builder strictGroupSize(boolean strict) {
      parts.strictGroupSize(strict);
      return this;
    }

    /**
     * A value of the filter template: the filter names it {@code {name}} ({@code "tag == {tag}"}) and the
     * value travels apart from the expression, typed, so user input never becomes part of the expression.
     * Values: Boolean, Byte to Long, Float, Double, String, or a List or array of them; another type throws
     * {@link IllegalArgumentException}. Needs a server with filter templates (Milvus 2.5 and later).
     */
    public Builder filterParam(String name, Object value) {
      parts.filterParam(name, value);
      return this;
    }

    /** Search only these partitions; none (default) searches the whole collection. */
    public Builder partitions(String... partitions) {
      parts.partitions(partitions);
      return this;
    }

    /** The read consistency (not null); unset uses the collection's. */
    public Builder consistency(ConsistencyLevel level) {
      parts.consistency(level);
      return this;
    }

    /** The immutable search; without a vector throws {@link IllegalArgumentException}. */
    public Search build() {
      if (vectors.isEmpty()) {
        throw new IllegalArgumentException("a search needs at least one vector");
      }
      long texts = vectors.stream().filter(v -> v instanceof CharSequence).count();
      if (texts != 0 && texts != vectors.size()) {
        throw new IllegalArgumentException("a search is either all texts or all vectors; this one mixes them");
      }
      parts.checkGroupBy();
      return new Search(this);
    }
  }
}
