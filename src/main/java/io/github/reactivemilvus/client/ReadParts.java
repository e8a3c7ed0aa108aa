package io.github.reactivemilvus.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the builders of {@link Search}, {@link HybridSearch} and {@link Query} share, with its checks:
 * filter and filter template values, output fields, partitions, consistency, offset and group-by.
 * A builder uses the parts its request has and copies them into its immutable read on build. Mutable,
 * not thread-safe (as the builders).
 */
final class ReadParts {
  String filter = "";
  final Map<String, Object> filterParams = new LinkedHashMap<>();
  List<String> outputFields = List.of();
  List<String> partitions = List.of();
  @Nullable ConsistencyLevel consistency;
  long offset;
  @Nullable String groupByField;
  int groupSize;
  @Nullable Boolean strictGroupSize;

  void filter(String filter) {
    this.filter = Objects.requireNonNull(filter, "filter");
  }

  void filterParam(String name, Object value) {
    Objects.requireNonNull(name, "name");
    filterParams.put(name, FilterParams.check(name, Objects.requireNonNull(value, "value")));
  }

  /** The template values in insertion order, unmodifiable (a copy). */
  Map<String, Object> filterParamsCopy() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(filterParams));
  }

  void outputFields(String... fields) {
    this.outputFields = List.of(fields);
  }

  void partitions(String... partitions) {
    this.partitions = List.of(partitions);
  }

  void consistency(ConsistencyLevel level) {
    this.consistency = Objects.requireNonNull(level, "level");
  }

  void offset(long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, was " + offset);
    }
    this.offset = offset;
  }

  void groupBy(String field) {
    this.groupByField = Objects.requireNonNull(field, "field");
  }

  void groupSize(int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("group size must be positive, was " + size);
    }
    this.groupSize = size;
  }

  void strictGroupSize(boolean strict) {
    this.strictGroupSize = strict;
  }

  /** On build: group size and strictness mean nothing without a group-by field. */
  void checkGroupBy() {
    if (groupByField == null && (groupSize != 0 || strictGroupSize != null)) {
      throw new IllegalArgumentException("group size and strict group size need groupBy");
    }
  }

  /** A top-k or fused-hit limit: positive. */
  static int positiveLimit(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    return limit;
  }
}
