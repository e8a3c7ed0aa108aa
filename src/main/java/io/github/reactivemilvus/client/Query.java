package io.github.reactivemilvus.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scalar query: a boolean filter over the collection ({@code "age > 20 and tag == 'a'"}), the
 * fields to return, and limit/offset. An empty filter needs a limit (the server rejects it
 * otherwise). Immutable.
 */
public final class Query {
  final String collection;
  final String filter;
  final List<String> outputFields;
  final long limit;
  final long offset;
  final List<String> partitions;
  final @Nullable ConsistencyLevel consistency;
  final Map<String, Object> filterParams;

  private Query(Builder b) {
    this.collection = b.collection;
    this.filter = b.filter;
    this.outputFields = List.copyOf(b.outputFields);
    this.limit = b.limit;
    this.offset = b.offset;
    this.partitions = List.copyOf(b.partitions);
    this.consistency = b.consistency;
    this.filterParams = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.filterParams));
  }

  /** A builder for a query on {@code collection} (not null); no filter, no limit, no output fields by default. */
  public static Builder builder(String collection) {
    return new Builder(collection);
  }

  /** The collection queried. */
  public String collection() {
    return collection;
  }

  @Override
  public String toString() {
    return "Query{" + collection + " filter=" + filter + " output=" + outputFields + " limit=" + limit + "}";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String collection;
    private String filter = "";
    private List<String> outputFields = List.of();
    private long limit;
    private long offset;
    private List<String> partitions = List.of();
    private @Nullable ConsistencyLevel consistency;
    private final Map<String, Object> filterParams = new LinkedHashMap<>();

    private Builder(String collection) {
      this.collection = Objects.requireNonNull(collection, "collection");
    }

    /**
     * The boolean filter expression (not null), for example {@code "age > 20"}; empty (default) matches every
     * row and needs a limit.
     */
    public Builder filter(String filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
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

    /** Fields to return; {@code "*"} for all. The primary key is always returned. */
    public Builder outputFields(String... fields) {
      this.outputFields = List.of(fields);
      return this;
    }

    /** The most rows to return (0: no limit, then the filter must not be empty). */
    public Builder limit(long limit) {
      if (limit < 0) {
        throw new IllegalArgumentException("limit must not be negative, was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /** Rows to skip before the first returned (default 0); negative throws {@link IllegalArgumentException}. */
    public Builder offset(long offset) {
      if (offset < 0) {
        throw new IllegalArgumentException("offset must not be negative, was " + offset);
      }
      this.offset = offset;
      return this;
    }

    /** Query only these partitions; none (default) queries the whole collection. */
    public Builder partitions(String... partitions) {
      this.partitions = List.of(partitions);
      return this;
    }

    /** The read consistency; unset uses the collection's. */
    public Builder consistency(ConsistencyLevel level) {
      this.consistency = Objects.requireNonNull(level, "level");
      return this;
    }

    /** The immutable query; the server validates the filter and fields when it runs. */
    public Query build() {
      return new Query(this);
    }
  }
}
