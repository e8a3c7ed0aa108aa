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
    this.offset = b.offset;
    this.filter = b.filter;
    this.outputFields = List.copyOf(b.outputFields);
    this.metricType = b.metricType;
    this.params = Map.copyOf(b.params);
    this.partitions = List.copyOf(b.partitions);
    this.consistency = b.consistency;
    this.groupByField = b.groupByField;
    this.groupSize = b.groupSize;
    this.strictGroupSize = b.strictGroupSize;
    this.filterParams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.filterParams));
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
    b.groupByField = groupByField;
    b.groupSize = groupSize;
    b.strictGroupSize = strictGroupSize;
    b.filterParams.putAll(filterParams);
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
    private int offset;
    private String filter = "";
    private List<String> outputFields = List.of();
    private String metricType = "";
    private final Map<String, Object> params = new LinkedHashMap<>();
    private List<String> partitions = List.of();
    private @Nullable ConsistencyLevel consistency;
    private @Nullable String groupByField;
    private int groupSize;
    private @Nullable Boolean strictGroupSize;
    private final Map<String, Object> filterParams = new LinkedHashMap<>();

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
      this.groupByField = Objects.requireNonNull(field, "field");
      return this;
    }

    /** Hits per group with {@link #groupBy} (positive; the server's default is 1). */
    public Builder groupSize(int size) {
      if (size <= 0) {
        throw new IllegalArgumentException("group size must be positive, was " + size);
      }
      this.groupSize = size;
      return this;
    }

    /** With {@link #groupBy}: whether every group must have {@link #groupSize} hits (server default false). */
    public Builder strictGroupSize(boolean strict) {
      this.strictGroupSize = strict;
      return this;
    }

    /**
     * A value of the filter template: the filter names it {@code {name}} ({@code "tag == {tag}"}) and the
     * value travels apart from the expression, typed, so user input never becomes part of the expression.
     * Values: Boolean, Byte to Long, Float, Double, String, or a List or array of them; another type throws
     * {@link IllegalArgumentException}. Needs a server with filter templates (Milvus 2.5 and later).
     */
    public Builder filterParam(String name, Object value) {
      Objects.requireNonNull(name, "name");
      filterParams.put(name, FilterParams.check(name, Objects.requireNonNull(value, "value")));
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
      long texts = vectors.stream().filter(v -> v instanceof CharSequence).count();
      if (texts != 0 && texts != vectors.size()) {
        throw new IllegalArgumentException("a search is either all texts or all vectors; this one mixes them");
      }
      if (groupByField == null && (groupSize != 0 || strictGroupSize != null)) {
        throw new IllegalArgumentException("group size and strict group size need groupBy");
      }
      return new Search(this);
    }
  }
}
