package io.github.reactivemilvus.client;

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
    this.filter = b.parts.filter;
    this.outputFields = b.parts.outputFields;
    this.limit = b.limit;
    this.offset = b.parts.offset;
    this.partitions = b.parts.partitions;
    this.consistency = b.parts.consistency;
    this.filterParams = b.parts.filterParamsCopy();
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
    private final ReadParts parts = new ReadParts();
    private long limit;

    private Builder(String collection) {
      this.collection = Objects.requireNonNull(collection, "collection");
    }

    /**
     * The boolean filter expression (not null), for example {@code "age > 20"}; empty (default) matches every
     * row and needs a limit.
     */
    public Builder filter(String filter) {
      parts.filter(filter);
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

    /** Fields to return; {@code "*"} for all. The primary key is always returned. */
    public Builder outputFields(String... fields) {
      parts.outputFields(fields);
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
      parts.offset(offset);
      return this;
    }

    /** Query only these partitions; none (default) queries the whole collection. */
    public Builder partitions(String... partitions) {
      parts.partitions(partitions);
      return this;
    }

    /** The read consistency; unset uses the collection's. */
    public Builder consistency(ConsistencyLevel level) {
      parts.consistency(level);
      return this;
    }

    /** The immutable query; the server validates the filter and fields when it runs. */
    public Query build() {
      return new Query(this);
    }
  }
}
