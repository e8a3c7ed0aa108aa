package io.github.reactivemilvus.client;

import java.util.Map;

/** Reads Milvus statistics key-value lists. */
final class Stats {
  private Stats() {}

  /** {@code row_count} as a number; a missing or non-numeric value is the server's fault, reported as such. */
  static long rowCount(Map<String, String> stats) {
    String value = stats.get("row_count");
    if (value == null) {
      throw new IllegalStateException("the server's statistics have no row_count: " + stats.keySet());
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("the server's row_count is not a number: " + value, e);
    }
  }
}
