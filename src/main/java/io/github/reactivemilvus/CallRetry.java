package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.Authorization;
import io.github.reactivemilvus.internal.LocalCauses;
import io.grpc.CallOptions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The retry of one alias's stub calls, shared by all of them: which failures are retried (see
 * {@link Failures#isRetryableCallFailure}), the backoff of the alias's {@link RetryPolicy}, and the
 * alias's {@link RetryBudget}. Every failure leaves here classified as a
 * {@link MilvusConnectionException}.
 *
 * <p>Never retried: a call cut off by its alias's disconnect (CLOSED), refused by the call limit,
 * or whose deadline passed while it waited for a permit (it never reached the server), nor a
 * DEADLINE_EXCEEDED of the caller's deadline or the server's. An attempt that ran out of the
 * alias's {@code call_timeout} (the default deadline, for a call without a deadline of the
 * caller's) is retried at most once, and only for a metadata read: not Search, HybridSearch, Query
 * (nor the iterators and gets made of them) or the other reads whose cost grows with the data,
 * since the server may still be working on the attempt that timed out.
 */
final class CallRetry {
  /** Reads whose cost grows with the data: a timed-out attempt of these is never repeated. */
  private static final Set<String> DATA_READS = Set.of("Search", "HybridSearch", "Query", "CalcDistance",
      "RunAnalyzer", "GetMetrics", "BackupRBAC", "GetQuerySegmentInfo", "GetPersistentSegmentInfo");

  private final String alias;
  private final String address;
  private final RetryPolicy policy;
  private final RegistryContext ctx;
  private final RetryBudget budget;
  private final boolean retriesReads;
  private final boolean retriesWrites;
  private final Supplier<@Nullable AliasChannel> current;
  private final @Nullable CredentialsRefresh credentials;

  CallRetry(String alias, String address, ConnectionConfig config, RegistryContext ctx, Supplier<@Nullable AliasChannel> current,
      @Nullable CredentialsRefresh credentials) {
    this.credentials = credentials;
    this.alias = alias;
    this.address = address;
    this.policy = config.retryPolicy();
    this.ctx = ctx;
    this.budget = new RetryBudget(policy.budgetMaxTokens(), policy.budgetTokenRatio());
    this.retriesReads = policy.maxRetries() > 0;
    this.retriesWrites = retriesReads && policy.retryWrites();
    this.current = current;
  }

  /** The alias's retry budget. */
  RetryBudget budget() {
    return budget;
  }

  /**
   * {@code onResponse}, telling the budget of a success when it has room for it; {@code onResponse}
   * itself while the budget is full (the usual case: a success costs nothing more then).
   */
  <R, T> Function<R, T> crediting(Function<R, T> onResponse) {
    if (budget.isFull()) {
      return onResponse;
    }
    return response -> {
      T value = onResponse.apply(response);
      budget.succeeded();
      return value;
    };
  }

  /**
   * {@code attempt} as a whole call: its first attempt, then what {@link #afterFailure} makes of a
   * failure. An attempt tells the budget of its success itself ({@link #crediting}).
   */
  <T> Mono<T> call(StubRpc<?, ?, T> rpc, CallOptions options, Mono<T> attempt) {
    return attempt.onErrorResume(failure -> afterFailure(rpc, options, failure, attempt));
  }

  /**
   * What follows a first attempt that failed with {@code first}: retries of {@code attempt} while the
   * failure, the policy and the budget allow, then the last failure, classified.
   */
  <T> Mono<T> afterFailure(StubRpc<?, ?, T> rpc, CallOptions options, Throwable first, Mono<T> attempt) {
    Authorization.Rejected rejected = credentials == null ? null : LocalCauses.find(first, Authorization.Rejected.class);
    if (credentials != null && rejected != null) {
      // the server refused the credentials: nothing was applied, so even a write is sent again, once,
      // when the supplier hands out others; what that attempt meets is handled as a first failure
      return credentials.afterRejection(rejected)
          .flatMap(newer -> newer ? attempt.onErrorResume(again -> retrying(rpc, options, again, attempt))
              : Mono.<T>error(Failures.classify(first, alias, address, false)));
    }
    return retrying(rpc, options, first, attempt);
  }

  private <T> Mono<T> retrying(StubRpc<?, ?, T> rpc, CallOptions options, Throwable first, Mono<T> attempt) {
    Attempts attempts = new Attempts(rpc, options);
    if (!(rpc.idempotent() ? retriesReads : retriesWrites)) {
      attempts.countOnly(first); // takes its token: a failing server is failing whoever asks
      return Mono.error(classified(first, attempts));
    }
    // the failure seen is replayed as the retry loop's first error, so the backoff counts it
    return replayingFirst(first, attempt)
        .retryWhen(Backoff.spec(policy, ctx.scheduler, attempts, signal -> {
          AliasChannel ch = current.get();
          if (ch != null) {
            ch.resetConnectBackoff();
          }
          ctx.metrics.retried(alias, "call");
          ctx.emit(ConnectionEvent.Type.RETRYING, alias, address, (int) signal.totalRetries() + 1,
              Backoff.nominal(policy, signal.totalRetries()), String.valueOf(signal.failure().getMessage()));
        }))
        .onErrorMap(e -> classified(e, attempts));
  }

  private MilvusConnectionException classified(Throwable error, Attempts attempts) {
    MilvusConnectionException e = Failures.classify(error, alias, address, false);
    if (!attempts.refusedByBudget) {
      return e;
    }
    return new MilvusConnectionException(e.kind(), e.alias(), e.address(), e.detail()
        + " (not retried: the retry budget of the alias is spent, too many of its calls failed lately)",
        e.grpcStatus(), e.serverCode(), e.error(), e.getCause() != null ? e.getCause() : e);
  }

  /** Fails with {@code first} on the first subscription, then subscribes to {@code attempt}. */
  private static <R> Mono<R> replayingFirst(Throwable first, Mono<R> attempt) {
    AtomicBoolean replayed = new AtomicBoolean();
    return Mono.defer(() -> replayed.compareAndSet(false, true) ? Mono.error(first) : attempt);
  }

  /** The retry decisions of one call; made only once a first attempt failed. */
  private final class Attempts implements Predicate<Throwable> {
    /** Whether an attempt that ran out of the alias's call_timeout may be repeated (once). */
    private final boolean timeoutRetriable;
    private boolean timeoutRetried;
    private volatile boolean refusedByBudget;

    Attempts(StubRpc<?, ?, ?> rpc, CallOptions options) {
      this.timeoutRetriable = options.getDeadline() == null && isMetadataRead(rpc);
    }

    /** For a call that is not retried: takes the token of a failure that a retried call would count. */
    void countOnly(Throwable failure) {
      if (countsAgainstBudget(failure, Failures.isTimedOutAttempt(failure))) {
        budget.failedAttempt();
      }
    }

    private boolean countsAgainstBudget(Throwable failure, boolean timedOut) {
      // anything else is not a sign of a failing server: no token taken
      return timedOut || Failures.isRetryableCallFailure(failure);
    }

    /** Called once per failed attempt (Reactor's retry filter), in order. */
    @Override
    public boolean test(Throwable failure) {
      boolean timedOut = Failures.isTimedOutAttempt(failure);
      if (!countsAgainstBudget(failure, timedOut)) {
        return false;
      }
      boolean allowed = budget.failedAttempt();
      if (timedOut && (!timeoutRetriable || timeoutRetried)) {
        return false;
      }
      if (!allowed) {
        refusedByBudget = true;
        return false;
      }
      if (timedOut) {
        timeoutRetried = true;
      }
      return true;
    }
  }

  private static boolean isMetadataRead(StubRpc<?, ?, ?> rpc) {
    String name = rpc.method().getFullMethodName();
    return rpc.idempotent() && MilvusRpcs.kindOf(name).orElse(RpcKind.WRITE) == RpcKind.READ
        && !DATA_READS.contains(name.substring(name.indexOf('/') + 1));
  }
}
