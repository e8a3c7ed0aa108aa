package io.github.reactivemilvus;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One alias's retry budget, the token bucket of grpc-java's {@code retryThrottling}: it starts full
 * with {@code maxTokens}; each failed attempt that could be retried takes one token, each successful
 * call gives back {@code tokenRatio}; a retry is allowed only while more than {@code maxTokens / 2}
 * tokens are left. With no success in between, the calls of an alias make at most
 * {@code maxTokens / 2} retries in all. Thousandths of a token are counted in an int, as grpc-java
 * does. Thread-safe, lock-free.
 */
final class RetryBudget {
  private static final int SCALE = 1000;
  private final int maxTokens;
  private final int threshold;
  private final int tokenRatio;
  private final AtomicInteger tokens;

  RetryBudget(int maxTokens, double tokenRatio) {
    this.maxTokens = maxTokens * SCALE;
    this.threshold = this.maxTokens / 2;
    this.tokenRatio = (int) Math.round(tokenRatio * SCALE);
    this.tokens = new AtomicInteger(this.maxTokens);
  }

  /** Takes a token for a failed attempt; true when a retry is still allowed after it. */
  boolean failedAttempt() {
    while (true) {
      int now = tokens.get();
      int next = Math.max(0, now - SCALE);
      if (now == 0 || tokens.compareAndSet(now, next)) {
        return next > threshold;
      }
    }
  }

  /** Gives back a successful call's share. */
  void succeeded() {
    while (true) {
      int now = tokens.get();
      if (now >= maxTokens) {
        return;
      }
      if (tokens.compareAndSet(now, Math.min(maxTokens, now + tokenRatio))) {
        return;
      }
    }
  }

  /** Whether the bucket is full: then a success has nothing to give back. */
  boolean isFull() {
    return tokens.get() >= maxTokens;
  }

  /** The tokens left, in tokens (for tests and diagnostics). */
  double tokens() {
    return tokens.get() / (double) SCALE;
  }
}
