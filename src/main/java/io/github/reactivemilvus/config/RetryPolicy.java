package io.github.reactivemilvus.config;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Exponential backoff with jitter, used by the connect pipeline (bounded by the connect timeout)
 * and by the reactive stubs for idempotent reads. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: {@value #DEFAULT_MAX_RETRIES} retries after the first attempt, initial backoff
 * 100 ms, multiplier 2, max backoff 3 s, jitter 0.5 (each delay is drawn uniformly within
 * &plusmn;50 % of the nominal delay, never above the max backoff). Writes are not retried unless
 * {@link Builder#retryWrites(boolean)} is set.
 *
 * <p>The stubs' retries of one alias share a retry budget, a token bucket as in grpc-java's
 * {@code retryThrottling}: it holds {@value #DEFAULT_BUDGET_MAX_TOKENS} tokens by default; each
 * failed attempt of a call that could be retried (UNAVAILABLE, Milvus rate limiting, an attempt
 * that ran out of {@code call_timeout}) takes one, each successful call gives back
 * {@value #DEFAULT_BUDGET_TOKEN_RATIO}; retries are made only while more than half the tokens are
 * left. A server that fails every call therefore sees at most {@code maxTokens / 2} retries from
 * the alias, however many calls are made, until calls succeed again.
 *
 * <p>In a config map, {@code retry_policy} takes a built policy and the keys
 * {@code retry_max_retries}, {@code retry_initial_backoff}, {@code retry_max_backoff}
 * (seconds or {@link Duration}), {@code retry_multiplier}, {@code retry_jitter},
 * {@code retry_writes}, {@code retry_budget_max_tokens} and {@code retry_budget_token_ratio} set
 * single values on top of it (or of the defaults).
 */
public final class RetryPolicy {
  /** Retries after the first attempt, by default. */
  public static final int DEFAULT_MAX_RETRIES = 5;
  /** The first delay, by default. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
  /** The largest delay, by default. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(3);
  /** The growth of the delay from one retry to the next, by default. */
  public static final double DEFAULT_MULTIPLIER = 2.0;
  /** The jitter fraction, by default. */
  public static final double DEFAULT_JITTER = 0.5;
  /** The size of an alias's retry budget, in tokens, by default. */
  public static final int DEFAULT_BUDGET_MAX_TOKENS = 100;
  /** The tokens a successful call gives back to its alias's retry budget, by default. */
  public static final double DEFAULT_BUDGET_TOKEN_RATIO = 0.1;

  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxRetries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;
  private final boolean retryWrites;
  private final int budgetMaxTokens;
  private final double budgetTokenRatio;

  private RetryPolicy(Builder b) {
    this.maxRetries = b.maxRetries;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.retryWrites = b.retryWrites;
    this.budgetMaxTokens = b.budgetMaxTokens;
    this.budgetTokenRatio = b.budgetTokenRatio;
  }

  /** The default policy. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** A policy that never retries. */
  public static RetryPolicy none() {
    return builder().maxRetries(0).build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder mutate() {
    return new Builder()
        .maxRetries(maxRetries).initialBackoff(initialBackoff).maxBackoff(maxBackoff)
        .multiplier(multiplier).jitter(jitter).retryWrites(retryWrites).retryBudget(budgetMaxTokens, budgetTokenRatio);
  }

  /** Retries after the first attempt (0 means try once). */
  public int maxRetries() {
    return maxRetries;
  }

  /** The nominal delay before the first retry. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The largest delay between two attempts, jitter included. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** The factor by which the nominal delay grows after each retry (at least 1). */
  public double multiplier() {
    return multiplier;
  }

  /** Jitter factor in [0, 1]. */
  public double jitter() {
    return jitter;
  }

  /** Whether the stubs retry non-idempotent calls (CreateDatabase, DropDatabase). */
  public boolean retryWrites() {
    return retryWrites;
  }

  /** The size of the alias's retry budget in tokens; retries are made while more than half are left. */
  public int budgetMaxTokens() {
    return budgetMaxTokens;
  }

  /** The tokens a successful call gives back to the retry budget (a failed attempt takes one). */
  public double budgetTokenRatio() {
    return budgetTokenRatio;
  }

  /** Equal when every value is. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RetryPolicy p
        && maxRetries == p.maxRetries && initialBackoff.equals(p.initialBackoff)
        && maxBackoff.equals(p.maxBackoff) && Double.compare(multiplier, p.multiplier) == 0
        && Double.compare(jitter, p.jitter) == 0 && retryWrites == p.retryWrites
        && budgetMaxTokens == p.budgetMaxTokens && Double.compare(budgetTokenRatio, p.budgetTokenRatio) == 0;
  }

  /** A hash of every value. */
  @Override
  public int hashCode() {
    return Objects.hash(maxRetries, initialBackoff, maxBackoff, multiplier, jitter, retryWrites, budgetMaxTokens, budgetTokenRatio);
  }

  /** Every value, e.g. {@code RetryPolicy{maxRetries=5, ...}}. */
  @Override
  public String toString() {
    return "RetryPolicy{maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff
        + ", maxBackoff=" + maxBackoff + ", multiplier=" + multiplier + ", jitter=" + jitter
        + ", retryWrites=" + retryWrites + ", budgetMaxTokens=" + budgetMaxTokens + ", budgetTokenRatio=" + budgetTokenRatio + '}';
  }

  /** Mutable builder; {@link #build()} checks every value and throws {@link IllegalArgumentException}. */
  public static final class Builder {
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double multiplier = DEFAULT_MULTIPLIER;
    private double jitter = DEFAULT_JITTER;
    private boolean retryWrites;
    private int budgetMaxTokens = DEFAULT_BUDGET_MAX_TOKENS;
    private double budgetTokenRatio = DEFAULT_BUDGET_TOKEN_RATIO;

    private Builder() {}

    /** Retries after the first attempt; at least 0 (checked by {@link #build()}). */
    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    /**
     * The nominal delay before the first retry; positive (checked by {@link #build()}).
     *
     * @throws NullPointerException if null
     */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
      return this;
    }

    /**
     * The largest delay; at least the initial backoff (checked by {@link #build()}).
     *
     * @throws NullPointerException if null
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /** The growth of the delay after each retry; finite and at least 1 (checked by {@link #build()}). */
    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /** The jitter fraction within [0, 1] (checked by {@link #build()}): each delay is drawn within &plusmn; it. */
    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    /** Whether the stubs also retry non-idempotent calls (CreateDatabase, DropDatabase). */
    public Builder retryWrites(boolean retryWrites) {
      this.retryWrites = retryWrites;
      return this;
    }

    /**
     * The alias's retry budget: {@code maxTokens} within [1, 1000], {@code tokenRatio} within [0.001, 1]
     * (checked by {@link #build()}). A failed attempt that could be retried takes a token, a successful
     * call gives back {@code tokenRatio}; retries are made only while more than {@code maxTokens / 2}
     * tokens are left.
     */
    public Builder retryBudget(int maxTokens, double tokenRatio) {
      this.budgetMaxTokens = maxTokens;
      this.budgetTokenRatio = tokenRatio;
      return this;
    }

    /**
     * The policy; the builder can be reused.
     *
     * @throws IllegalArgumentException naming the first value out of range
     */
    public RetryPolicy build() {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
      }
      if (initialBackoff.isNegative() || initialBackoff.isZero()) {
        throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
      }
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff must be >= initialBackoff, was " + maxBackoff);
      }
      if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
      }
      if (!(jitter >= 0.0 && jitter <= 1.0)) {
        throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
      }
      if (budgetMaxTokens < 1 || budgetMaxTokens > 1000) {
        throw new IllegalArgumentException("the retry budget's maxTokens must be within [1, 1000], was " + budgetMaxTokens);
      }
      if (!(budgetTokenRatio >= 0.001 && budgetTokenRatio <= 1.0)) {
        throw new IllegalArgumentException("the retry budget's tokenRatio must be within [0.001, 1], was " + budgetTokenRatio);
      }
      return new RetryPolicy(this);
    }
  }
}
