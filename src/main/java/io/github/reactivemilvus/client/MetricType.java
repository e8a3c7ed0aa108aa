package io.github.reactivemilvus.client;

import java.util.Locale;

/**
 * How vectors are compared. For {@link #L2}, {@link #HAMMING} and {@link #JACCARD} a smaller score
 * is better (a distance); for the others a larger one (a similarity).
 */
public enum MetricType {
  /** Euclidean distance (dense float vectors). */
  L2(true),
  /** Inner product (dense and sparse vectors). */
  IP(false),
  /** Cosine similarity (dense vectors). */
  COSINE(false),
  /** Hamming distance (binary vectors). */
  HAMMING(true),
  /** Jaccard distance (binary vectors). */
  JACCARD(true),
  /** BM25 relevance (the sparse output of a BM25 function). */
  BM25(false);

  private final boolean smallerIsBetter;

  MetricType(boolean smallerIsBetter) {
    this.smallerIsBetter = smallerIsBetter;
  }

  /** Whether a smaller score is a better hit (a distance). */
  public boolean smallerIsBetter() {
    return smallerIsBetter;
  }

  /** The metric named {@code name} (any case); an unknown name throws {@link IllegalArgumentException}. */
  public static MetricType of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown metric type '" + name + "'", e);
    }
  }
}
