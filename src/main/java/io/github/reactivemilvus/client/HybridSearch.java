package io.github.reactivemilvus.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A hybrid search: several {@link Search}es of one collection (usually a dense vector and a BM25
 * text search), their hit lists fused by a ranker: {@link Builder#rrf(int) RRF} (by rank) or
 * {@link Builder#weighted(double...) weighted} (by normalised score). Limit, offset, output fields
 * and group-by apply to the fused result; each search keeps its own limit and filter. Immutable.
 */
public final class HybridSearch {
  final String collection;
  final List<Search> searches;
  final String strategy;
  final int rrfK;
  final List<Double> weights;
  final int limit;
  final int offset;
  final List<String> outputFields;
  final @Nullable String groupByField;
  final int groupSize;
  final @Nullable Boolean strictGroupSize;
  final @Nullable ConsistencyLevel consistency;

  private HybridSearch(Builder b) {
    this.collection = b.collection;
    this.searches = List.copyOf(b.searches);
    this.strategy = b.strategy;
    this.rrfK = b.rrfK;
    this.weights = List.copyOf(b.weights);
    this.limit = b.limit;
    this.offset = (int) b.parts.offset;
    this.outputFields = b.parts.outputFields;
    this.groupByField = b.parts.groupByField;
    this.groupSize = b.parts.groupSize;
    this.strictGroupSize = b.parts.strictGroupSize;
    this.consistency = b.parts.consistency;
  }

  /** A builder for a hybrid search on {@code collection} (not null); RRF with k = 60 and limit 10 by default. */
  public static Builder builder(String collection) {
    return new Builder(collection);
  }

  /** The collection searched. */
  public String collection() {
    return collection;
  }

  @Override
  public String toString() {
    return "HybridSearch{" + collection + " searches=" + searches.size() + " ranker=" + strategy + " limit=" + limit
        + (groupByField == null ? "" : " groupBy=" + groupByField) + "}";
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String collection;
    private final List<Search> searches = new ArrayList<>();
    private String strategy = "rrf";
    private int rrfK = 60;
    private List<Double> weights = List.of();
    private int limit = 10;
    private final ReadParts parts = new ReadParts();

    private Builder(String collection) {
      this.collection = Objects.requireNonNull(collection, "collection");
    }

    /** Adds a search of the same collection; its limit is its candidate count, its filter applies to it alone. */
    public Builder search(Search search) {
      Objects.requireNonNull(search, "search");
      if (!search.collection.equals(collection)) {
        throw new IllegalArgumentException("a hybrid search on '" + collection + "' cannot include a search on '"
            + search.collection + "'");
      }
      searches.add(search);
      return this;
    }

    /** Reciprocal rank fusion: each hit scores the sum of 1 / (k + rank) over the lists (k in (0, 16384)). */
    public Builder rrf(int k) {
      if (k <= 0 || k >= 16_384) {
        throw new IllegalArgumentException("RRF k must be in (0, 16384), was " + k);
      }
      this.strategy = "rrf";
      this.rrfK = k;
      return this;
    }

    /** Weighted fusion: the sum of weight times normalised score, one weight in [0, 1] per search, in order. */
    public Builder weighted(double... weights) {
      List<Double> list = new ArrayList<>();
      for (double w : weights) {
        if (!(w >= 0 && w <= 1)) {
          throw new IllegalArgumentException("weights must be in [0, 1], got " + w);
        }
        list.add(w);
      }
      this.strategy = "weighted";
      this.weights = List.copyOf(list);
      return this;
    }

    /** Hits of the fused result (groups with group-by), 1 to 16,384 (default 10). */
    public Builder limit(int limit) {
      this.limit = ReadParts.positiveLimit(limit);
      return this;
    }

    /** Fused hits to skip (default 0). */
    public Builder offset(int offset) {
      parts.offset(offset);
      return this;
    }

    /** Fields returned with each fused hit. */
    public Builder outputFields(String... fields) {
      parts.outputFields(fields);
      return this;
    }

    /** Groups the fused hits by this scalar field, as {@link Search.Builder#groupBy}. */
    public Builder groupBy(String field) {
      parts.groupBy(field);
      return this;
    }

    /** Hits per group with {@link #groupBy} (positive). */
    public Builder groupSize(int size) {
      parts.groupSize(size);
      return this;
    }

    /** With {@link #groupBy}: whether every group must have {@link #groupSize} hits. */
    public Builder strictGroupSize(boolean strict) {
      parts.strictGroupSize(strict);
      return this;
    }

    /** The read consistency (not null); unset uses the collection's. */
    public Builder consistency(ConsistencyLevel level) {
      parts.consistency(level);
      return this;
    }

    /**
     * The immutable hybrid search; throws {@link IllegalArgumentException} without a search, with searches
     * of different query counts, or with a weight count that is not the search count.
     */
    public HybridSearch build() {
      if (searches.isEmpty()) {
        throw new IllegalArgumentException("a hybrid search needs at least one search");
      }
      for (Search s : searches) {
        if (s.vectors.size() != searches.get(0).vectors.size()) {
          throw new IllegalArgumentException("the searches of a hybrid search have as many query vectors each, got "
              + searches.get(0).vectors.size() + " and " + s.vectors.size());
        }
      }
      if (strategy.equals("weighted") && weights.size() != searches.size()) {
        throw new IllegalArgumentException(searches.size() + " searches need as many weights, got " + weights.size());
      }
      parts.checkGroupBy();
      return new HybridSearch(this);
    }
  }
}
