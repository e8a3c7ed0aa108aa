package io.github.reactivemilvus.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether, and for how long, an operation that starts work on the server (loading a collection,
 * building an index, flushing) waits until the server reports the work done. The client polls the
 * server's state (GetLoadState, DescribeIndex, GetFlushState) with exponential backoff from
 * {@link #firstDelay()} to {@link #maxDelay()} on the registry's scheduler, and fails the operation
 * with a {@link java.util.concurrent.TimeoutException} when {@link #timeout()} passes first (the
 * work itself goes on on the server). Defaults: wait, up to 60 s (the Java SDK's default), polls
 * from 100 ms to 2 s apart. {@link #NO_WAIT} completes when the server accepted the request.
 * Immutable.
 */
public final class WaitOptions {
  /** Waits up to 60 s, polling 100 ms to 2 s apart. */
  public static final WaitOptions DEFAULTS = new WaitOptions(true, Duration.ofSeconds(60), Duration.ofMillis(100),
      Duration.ofSeconds(2));
  /** Does not wait: the operation completes once the server accepted the request. */
  public static final WaitOptions NO_WAIT = new WaitOptions(false, Duration.ofSeconds(60), Duration.ofMillis(100),
      Duration.ofSeconds(2));

  private final boolean waits;
  private final Duration timeout;
  private final Duration firstDelay;
  private final Duration maxDelay;

  private WaitOptions(boolean waits, Duration timeout, Duration firstDelay, Duration maxDelay) {
    positive("timeout", timeout);
    positive("firstDelay", firstDelay);
    positive("maxDelay", maxDelay);
    if (maxDelay.compareTo(firstDelay) < 0) {
      throw new IllegalArgumentException("maxDelay " + maxDelay + " is shorter than firstDelay " + firstDelay);
    }
    this.waits = waits;
    this.timeout = timeout;
    this.firstDelay = firstDelay;
    this.maxDelay = maxDelay;
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  /** Waits up to {@code timeout} (positive), with the default polling delays. */
  public static WaitOptions upTo(Duration timeout) {
    return new WaitOptions(true, timeout, DEFAULTS.firstDelay, DEFAULTS.maxDelay);
  }

  /** A copy polling first after {@code firstDelay}, then doubling up to {@code maxDelay} (both positive). */
  public WaitOptions withBackoff(Duration firstDelay, Duration maxDelay) {
    return new WaitOptions(waits, timeout, firstDelay, maxDelay);
  }

  /** Whether the operation waits for the server to finish. */
  public boolean waits() {
    return waits;
  }

  /** How long it waits at most, from subscription. */
  public Duration timeout() {
    return timeout;
  }

  /** The delay before the second poll. */
  public Duration firstDelay() {
    return firstDelay;
  }

  /** The longest delay between polls. */
  public Duration maxDelay() {
    return maxDelay;
  }

  @Override
  public String toString() {
    return waits ? "WaitOptions{up to " + timeout + ", polls " + firstDelay + ".." + maxDelay + "}" : "WaitOptions{no wait}";
  }
}
