package io.github.reactivemilvus;

import io.github.reactivemilvus.config.RetryPolicy;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * Reactor's {@link Retry#backoff} configured from a {@link RetryPolicy}: exponential delays with
 * jitter on the given scheduler, retrying only what {@code retryable} accepts, and failing with
 * the last error itself (not a wrapper) once the retries are spent.
 */
final class Backoff {
  private Backoff() {}

  static RetryBackoffSpec spec(RetryPolicy p, Scheduler scheduler, Predicate<Throwable> retryable,
      Consumer<Retry.RetrySignal> beforeRetry) {
    return Retry.backoff(p.maxRetries(), p.initialBackoff())
        .maxBackoff(p.maxBackoff())
        .multiplier(p.multiplier())
        .jitter(p.jitter())
        .scheduler(scheduler)
        .filter(retryable)
        .doBeforeRetry(beforeRetry)
        .onRetryExhaustedThrow((spec, signal) -> signal.failure());
  }

  /** The delay before retry number {@code retriesSoFar + 1}, before jitter. */
  static Duration nominal(RetryPolicy p, long retriesSoFar) {
    double nanos = p.initialBackoff().toNanos() * Math.pow(p.multiplier(), retriesSoFar);
    return nanos >= p.maxBackoff().toNanos() ? p.maxBackoff() : Duration.ofNanos((long) nanos);
  }
}
