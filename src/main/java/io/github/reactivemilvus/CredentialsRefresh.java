package io.github.reactivemilvus;

import io.github.reactivemilvus.internal.Authorization;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The credentials of one alias that come from a supplier: asked when a connect begins, again on the
 * schedule the credentials state ({@link MilvusCredentials#refreshAfter}, {@link MilvusCredentials#expiresAt})
 * while the alias is connected, and when the server refuses a call's credentials. The header value
 * lives in an {@link Authorization} that every call of the alias reads when it starts.
 *
 * <p>Refreshes are shared: a call the server refused joins a refresh begun after it was sent, or
 * begins one; it never waits on a refresh that may have read the supplier before the call was sent
 * (that one could hand back the value the server just refused). A failed scheduled refresh keeps the
 * value and is tried again after {@link #RETRY_AFTER_FAILURE} (or the stated interval, if shorter).
 * The scheduling runs on the registry's scheduler. Nothing here logs or shows a secret. Thread-safe.
 */
final class CredentialsRefresh {
  /** How soon a scheduled refresh whose supplier failed is tried again, at most. */
  static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsRefresh.class);

  private final String alias;
  private final String address;
  private final Mono<MilvusCredentials> supplier;
  private final RegistryContext ctx;
  private final Duration timeout;
  private final Authorization authorization =
      Authorization.refreshable(status -> Failures.kindOf(status, false) == FailureKind.AUTHENTICATION);
  private final Disposable.Swap scheduled = Disposables.swap();
  /** Moves on at each {@link #stop()}: a refresh of an earlier connection schedules nothing. */
  private long epoch; // guarded by this
  private @Nullable Pending latest; // guarded by this
  /** Whether the alias is connected: refreshes are scheduled only then. */
  private boolean active; // guarded by this
  /** When the last credentials handed out want the next refresh; null: they state none. */
  private @Nullable Duration next; // guarded by this

  /** A refresh: its number ({@link Authorization#beginRefresh()}) and whether it changed the value. */
  private record Pending(long number, Mono<Boolean> changed) {}

  CredentialsRefresh(String alias, String address, Mono<MilvusCredentials> supplier, RegistryContext ctx, Duration timeout) {
    this.alias = alias;
    this.address = address;
    this.supplier = supplier;
    this.ctx = ctx;
    this.timeout = timeout;
  }

  /** The header value every call of the alias carries. */
  Authorization authorization() {
    return authorization;
  }

  /**
   * Asks the supplier at the start of a connect and schedules the next refresh; fails with a
   * {@link FailureKind#AUTHENTICATION} error when the supplier fails or hands out nothing.
   */
  Mono<Void> connecting() {
    return Mono.defer(() -> begin(true).changed())
        .then(Mono.defer(() -> authorization.header() == null
            ? Mono.error(failure("the credentials supplier handed out no credentials", null)) : Mono.empty()));
  }

  /**
   * After the server refused credentials: true when the alias has a value newer than the refused
   * one (after a refresh begun since the refused call was sent, joined or begun here), false when
   * the supplier still hands out the refused value or failed.
   */
  Mono<Boolean> afterRejection(Authorization.Rejected rejected) {
    return Mono.defer(() -> {
      if (authorization.version() > rejected.version()) {
        return Mono.just(true);
      }
      Pending joined;
      synchronized (this) {
        joined = latest;
      }
      if (joined == null || joined.number() <= rejected.refreshesBegunAtSend()) {
        joined = begin(false);
      }
      return joined.changed().onErrorReturn(false).map(x -> authorization.version() > rejected.version());
    });
  }

  /** The alias connected: the schedule the credentials state starts now. */
  synchronized void connected() {
    active = true;
    if (next != null) {
      schedule(epoch, next);
    }
  }

  /** Stops the schedule (the alias disconnected, or its connect failed); the next connect asks the supplier again. */
  synchronized void stop() {
    epoch++;
    active = false;
    scheduled.update(Disposables.disposed());
  }

  /**
   * Begins a refresh now: the supplier is subscribed once, whoever waits for it; its outcome is kept
   * for the calls that join it. At a connect its failure is the connect's.
   */
  private Pending begin(boolean connecting) {
    Sinks.One<Boolean> done = Sinks.one();
    Pending pending;
    long started;
    synchronized (this) {
      started = epoch;
      // numbered before the supplier is asked: a call sent after this number was taken may join it
      pending = new Pending(authorization.beginRefresh(), done.asMono());
      latest = pending;
    }
    supplier.timeout(timeout, ctx.scheduler)
        .switchIfEmpty(Mono.error(() -> failure("the credentials supplier completed without credentials", null)))
        .subscribe(credentials -> {
          boolean changed = authorization.set(credentials.authorizationHeader(), pending.number());
          Duration after = credentials.nextRefresh(ctx.scheduler.now(TimeUnit.MILLISECONDS));
          synchronized (this) {
            if (started == epoch) {
              next = after;
            }
          }
          if (after != null) {
            schedule(started, after);
          }
          done.tryEmitValue(changed);
        }, error -> {
          if (!connecting) {
            LOG.warn("refreshing the credentials of alias '{}' ({}) failed ({}); the calls keep the current ones",
                alias, address, error.getClass().getName());
            schedule(started, RETRY_AFTER_FAILURE);
          }
          done.tryEmitError(error instanceof MilvusConnectionException ? error
              : failure("the credentials supplier failed (" + error.getClass().getName() + ")", error));
        });
    return pending;
  }

  private void schedule(long startedEpoch, Duration delay) {
    synchronized (this) {
      if (startedEpoch != epoch || !active) {
        return; // not connected (yet, or any more): a connect asks again, and connected() schedules
      }
      scheduled.update(ctx.scheduler.schedule(() -> begin(false), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS));
    }
  }

  private MilvusConnectionException failure(String detail, @Nullable Throwable cause) {
    return new MilvusConnectionException(FailureKind.AUTHENTICATION, alias, address, detail, null, 0, cause);
  }
}
