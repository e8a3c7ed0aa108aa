package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionInfo;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.ChannelGroup;
import io.github.reactivemilvus.internal.LocalHost;
import io.github.reactivemilvus.internal.UnaryCalls;
import io.github.reactivemilvus.proto.ClientInfo;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ShowCollectionsRequest;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * One registered alias: its resolved config and its connection. The connect pipeline is shared by
 * concurrent subscribers: the first subscriber starts it, the others join it, and cancelling the
 * last one cancels it; later subscribers get the published channel until it is shut down;
 * failures are not kept.
 */
final class AliasEntry {
  /** Upper bound of the TLS probe after a plaintext connection closed without an answer. */
  static final Duration TLS_PROBE_LIMIT = Duration.ofSeconds(2);

  private final String alias;
  /** Read by tests' diagnostics; the library's classes use {@link #config()}. */
  private final ConnectionConfig config;
  private final ConnectionInfo info;
  /** Retry of the stubs' calls on this alias; built on the first retry, it holds no per-call state. */
  private volatile @Nullable Retry callRetry;
  /** As {@link #callRetry}, for reads under the alias's {@code call_timeout}: also retries a timed-out attempt. */
  private volatile @Nullable Retry readRetry;
  private final boolean retriesReads;
  private final boolean retriesWrites;
  private final Mono<ManagedChannel> byName;
  private final RegistryContext ctx;
  private final Duration timeout;
  private final AtomicInteger generation = new AtomicInteger();
  private volatile Runnable unregisterGauges = () -> { };
  private volatile ConnectionState state = ConnectionState.CONFIGURED;
  private volatile @Nullable AliasChannel current;
  private @Nullable SharedAttempt attempt; // the connect under way, shared by its subscribers; guarded by this
  // set once the entry left the registry (removed, replaced or closed); written under this, like
  // the publication of a new channel and its withdrawal by disconnect; volatile for isRetired()
  private volatile boolean retired;

  AliasEntry(String alias, ConnectionConfig config, RegistryContext ctx, Mono<ManagedChannel> byName) {
    this.alias = alias;
    this.config = config;
    this.ctx = ctx;
    this.byName = byName;
    RetryPolicy policy = config.retryPolicy();
    this.retriesReads = policy.maxRetries() > 0;
    this.retriesWrites = retriesReads && policy.retryWrites();
    this.timeout = config.timeout() != null ? config.timeout() : ctx.defaultTimeout;
    this.info = config.info(alias, ctx.defaultTimeout);
    bindGauges(ctx.metrics);
  }

  private Retry callRetry() {
    Retry r = callRetry;
    if (r == null) {
      // two racing first retries may both build one: equal specs, either will do
      r = callRetry(config.retryPolicy(), Failures::isRetryableCallFailure);
      callRetry = r;
    }
    return r;
  }

  private Retry readRetry() {
    Retry r = readRetry;
    if (r == null) {
      r = callRetry(config.retryPolicy(), Failures::isRetryableReadOrAttemptTimeout);
      readRetry = r;
    }
    return r;
  }

  private Retry callRetry(RetryPolicy p, java.util.function.Predicate<Throwable> retryable) {
    return Backoff.spec(p, ctx.scheduler, retryable, signal -> {
      AliasChannel ch = current;
      if (ch != null) {
        ch.resetConnectBackoff();
      }
      ctx.metrics.retried(alias, "call");
      ctx.emit(ConnectionEvent.Type.RETRYING, alias, info.address(), (int) signal.totalRetries() + 1,
          Backoff.nominal(p, signal.totalRetries()), String.valueOf(signal.failure().getMessage()));
    });
  }

  ConnectionState state() {
    return state;
  }

  ConnectionConfig config() {
    return config;
  }

  /** The normalized, secret-free view of the config. */
  ConnectionInfo info() {
    return info;
  }

  /** The registry's {@code channel(alias)} for this alias: the same instance every time. */
  Mono<ManagedChannel> byName() {
    return byName;
  }

  /** Whether the entry left the registry (removed, replaced or closed). */
  boolean isRetired() {
    return retired;
  }

  /** Subscribes {@code actual} to the published channel, or to the shared connect. */
  void subscribeChannel(CoreSubscriber<? super ManagedChannel> actual) {
    AliasChannel ch = current;
    if (ch != null && !ch.isShutdown()) {
      actual.onSubscribe(new ReadyChannel(actual, ch));
    } else {
      channelAtSubscription().subscribe(actual);
    }
  }

  /**
   * The subscription of a subscriber that found the channel published. Plain fields: the Reactive
   * Streams rules make a subscriber call request and cancel serially, and without an atomic the JIT
   * can scalar-replace this object when the subscriber requests from {@code onSubscribe}.
   */
  private static final class ReadyChannel implements org.reactivestreams.Subscription {
    private final CoreSubscriber<? super ManagedChannel> actual;
    private final ManagedChannel channel;
    private boolean done;

    ReadyChannel(CoreSubscriber<? super ManagedChannel> actual, ManagedChannel channel) {
      this.actual = actual;
      this.channel = channel;
    }

    @Override
    public void request(long n) {
      if (done) {
        return;
      }
      done = true;
      if (n <= 0) {
        actual.onError(reactor.core.Exceptions.nullOrNegativeRequestException(n));
        return;
      }
      actual.onNext(channel);
      actual.onComplete();
    }

    @Override
    public void cancel() {
      done = true;
    }
  }

  /** The published channel, for a call to use at once; null while the alias is not connected. */
  @Nullable AliasChannel readyChannel() {
    AliasChannel ch = current;
    return ch != null && !ch.isShutdown() ? ch : null;
  }

  /**
   * One stub call on this alias, as a cold {@code Mono}: the alias's channel (connecting first if
   * needed), the response's Milvus status checked, retryable failures retried with the alias's
   * policy (reads always, writes when the policy says so), every failure classified as a
   * {@link MilvusConnectionException}.
   */
  <Q, R, T> Mono<T> call(StubRpc<Q, R, T> rpc, Q request, CallOptions options) {
    return retriedAndClassified(rpc, request, options, attempt(rpc, request, options));
  }

  /**
   * What follows a first attempt (made on {@link #readyChannel()}) that failed with {@code failure}: as
   * {@link #call}, with that failure as its first attempt's outcome.
   */
  <Q, R, T> Mono<T> afterFirstFailure(StubRpc<Q, R, T> rpc, Q request, CallOptions options, Throwable failure) {
    return retriedAndClassified(rpc, request, options, Mono.error(failure));
  }

  private <Q, R, T> Mono<T> retriedAndClassified(StubRpc<Q, R, T> rpc, Q request, CallOptions options, Mono<T> first) {
    Mono<T> call = first;
    if (rpc.idempotent() ? retriesReads : retriesWrites) {
      // a read under the alias's call_timeout (per attempt, no deadline of the caller's) also
      // retries an attempt that timed out: a starting Milvus accepts calls and answers them only
      // once ready; a deadline the caller set is the whole budget and is never retried
      boolean attemptTimeouts = rpc.idempotent() && options.getDeadline() == null && config.callTimeout() != null;
      java.util.function.Predicate<Throwable> retryable = attemptTimeouts
          ? Failures::isRetryableReadOrAttemptTimeout : Failures::isRetryableCallFailure;
      Retry retry = attemptTimeouts ? readRetry() : callRetry();
      // the failure seen is replayed as the retry loop's first error, so the backoff counts it
      call = first.onErrorResume(retryable,
          failure -> replayingFirst(failure, attempt(rpc, request, options)).retryWhen(retry));
    }
    return call.onErrorMap(e -> !(e instanceof MilvusConnectionException),
        e -> Failures.classify(e, alias, info.address(), false));
  }

  /** One attempt that finds (or makes) the alias's channel when it is subscribed. */
  private <Q, R, T> Mono<T> attempt(StubRpc<Q, R, T> rpc, Q request, CallOptions options) {
    return Mono.defer(this::channelAtSubscription)
        .flatMap(channel -> UnaryCalls.call(channel, rpc.method(), request, options, rpc.onResponse()));
  }

  /** Fails with {@code first} on the first subscription, then subscribes to {@code attempt}. */
  private static <R> Mono<R> replayingFirst(Throwable first, Mono<R> attempt) {
    AtomicBoolean replayed = new AtomicBoolean();
    return Mono.defer(() -> replayed.compareAndSet(false, true) ? Mono.error(first) : attempt);
  }

  boolean isConnected() {
    AliasChannel ch = current;
    return state == ConnectionState.CONNECTED && ch != null && !ch.isShutdown();
  }

  /** Connected or connecting: its config may not be swapped underneath. */
  boolean isLive() {
    return state == ConnectionState.CONNECTING || isConnected();
  }

  @Nullable AliasChannel current() {
    return current;
  }



  /** Registers this alias's gauges with {@code metrics}, replacing earlier ones. */
  void bindGauges(Metrics metrics) {
    // the old ones go first: Micrometer hands back an existing gauge of the same id, which a later
    // removal of the old ones would take away
    unregisterGauges.run();
    unregisterGauges = metrics.aliasGauges(alias, this, AliasEntry::inFlight, AliasEntry::pending);
  }

  private double inFlight() {
    AliasChannel ch = current;
    return ch == null ? 0 : ch.callsInFlight();
  }

  private double pending() {
    AliasChannel ch = current;
    return ch == null ? 0 : ch.callsPending();
  }

  /**
   * The published channel, or the shared connect attempt, which this call joins (or starts): call it
   * only at subscription time, inside {@code Mono.defer}. (Mono.cacheInvalidateIf is not used: in
   * Reactor 3.8 a source whose only subscriber cancels while subscribing can be left without demand
   * and without cancellation, so its result, even its timeout, never reaches later subscribers.)
   */
  Mono<ManagedChannel> channelAtSubscription() {
    AliasChannel ch = current;
    if (ch != null && !ch.isShutdown()) {
      return ch.asMono();
    }
    SharedAttempt shared;
    boolean start = false;
    synchronized (this) {
      shared = attempt;
      if (shared == null) {
        shared = new SharedAttempt();
        attempt = shared;
        start = true;
      }
      shared.subscribers++;
    }
    if (start) {
      SharedAttempt started = shared;
      // the attempt is over before its result is told: a later subscriber starts afresh (a failure
      // is not kept) or finds the published channel
      started.upstream.update(connectOnce().subscribe(
          v -> {
            finished(started);
            started.result.tryEmitValue(v);
          },
          e -> {
            finished(started);
            started.result.tryEmitError(e);
          }));
    }
    SharedAttempt joined = shared;
    // a cancellation can reach this operator more than once: the subscriber leaves only once
    java.util.concurrent.atomic.AtomicBoolean left = new java.util.concurrent.atomic.AtomicBoolean();
    return joined.result.asMono().doOnCancel(() -> {
      if (!left.compareAndSet(false, true)) {
        return;
      }
      boolean last;
      synchronized (this) {
        last = --joined.subscribers == 0 && attempt == joined;
        if (last) {
          attempt = null;
        }
      }
      if (last) {
        joined.upstream.dispose();
      }
    });
  }

  private synchronized void finished(SharedAttempt done) {
    if (attempt == done) {
      attempt = null;
    }
  }

  /** One connect attempt and the subscribers waiting for it. */
  private static final class SharedAttempt {
    final Sinks.One<ManagedChannel> result = Sinks.one();
    final Disposable.Swap upstream = Disposables.swap();
    int subscribers; // guarded by the entry
  }

  private Mono<ManagedChannel> connectOnce() {
    synchronized (this) {
      if (retired) {
        // a subscriber that looked the alias up before it was removed or replaced
        return Mono.error(retiredError());
      }
    }
    int gen = generation.get();
    state = ConnectionState.CONNECTING;
    ctx.emit(ConnectionEvent.Type.CONNECTING, alias, info.address(), "");
    long started = System.nanoTime();
    AtomicReference<Throwable> lastFailure = new AtomicReference<>();
    Attempt attempt = new Attempt();
    AtomicBoolean probed = new AtomicBoolean();
    return Mono.usingWhen(
            ctx.shared.acquire(config).map(group -> {
              AliasChannel ch = newAliasChannel(group);
              if (!attempt.own(ch)) {
                ch.shutdownNow();
                throw new MilvusConnectionException(FailureKind.CLOSED, alias, info.address(), "connect cancelled", null, 0, null);
              }
              return ch;
            }),
            // the database is checked on the first connect only: a reconnect redoes just the handshake
            ch -> handshake(ch).flatMap(response -> checkDatabase(ch).thenReturn(response))
                .onErrorResume(error -> plaintextToTls(error, probed))
                .doOnError(lastFailure::set)
                .retryWhen(connectRetry(ch))
                .thenReturn(ch),
            ch -> Mono.empty(),
            (ch, error) -> release(ch),
            this::release)
        .timeout(timeout, ctx.scheduler)
        .onErrorMap(error -> classifyConnectFailure(error, lastFailure.get()))
        .<ManagedChannel>map(ch -> {
          // published under the lock that disconnect and retire take, so that a channel is either
          // seen (and shut down) by them or refused here, never left behind
          boolean wasRetired;
          boolean stale;
          synchronized (this) {
            wasRetired = retired;
            stale = wasRetired || generation.get() != gen;
            if (!stale) {
              current = ch;
              state = ConnectionState.CONNECTED;
              attempt.published();
            }
          }
          if (stale) {
            ch.shutdownNow();
            throw wasRetired ? retiredError() : new MilvusConnectionException(FailureKind.CLOSED, alias,
                info.address(), "disconnected while connecting", null, 0, null);
          }
          ctx.metrics.connectFinished(alias, System.nanoTime() - started, true);
          ctx.emit(ConnectionEvent.Type.CONNECTED, alias, info.address(), "");
          watchTransport(ch, ConnectivityState.READY, false);
          return ch;
        })
        .doOnError(error -> {
          if (generation.get() == gen) {
            state = ConnectionState.FAILED;
          }
          ctx.metrics.connectFinished(alias, System.nanoTime() - started, false);
          ctx.emit(ConnectionEvent.Type.FAILED, alias, info.address(), String.valueOf(error.getMessage()));
        })
        .doOnCancel(() -> {
          if (generation.get() == gen && state == ConnectionState.CONNECTING) {
            state = ConnectionState.CONFIGURED;
          }
        })
        .doFinally(signal -> {
          // Reactor may deliver the channel of an attempt cut short into the void: a resource that
          // arrives as usingWhen is cancelled, or a channel whose handshake completes just as the
          // timeout above fires (the timeout drops it, errors downstream and sends no cancel here).
          // Whatever the attempt built and did not publish goes, however the attempt ended.
          AliasChannel orphan = attempt.abandon();
          if (orphan != null) {
            orphan.shutdownNow();
          }
        });
  }

  /** The channel one connect attempt built, until it is published or the attempt is abandoned. */
  private static final class Attempt {
    private @Nullable AliasChannel channel;
    private boolean abandoned;
    private boolean published;

    synchronized boolean own(AliasChannel ch) {
      if (abandoned) {
        return false;
      }
      channel = ch;
      return true;
    }

    synchronized void published() {
      published = true;
    }

    /** Marks the attempt cancelled; returns its unpublished channel, if any, to shut down. */
    synchronized @Nullable AliasChannel abandon() {
      abandoned = true;
      return published ? null : channel;
    }
  }

  private MilvusConnectionException retiredError() {
    return new MilvusConnectionException(FailureKind.CLOSED, alias, info.address(),
        "the alias was removed, replaced or closed while connecting", null, 0, null);
  }

  private AliasChannel newAliasChannel(ChannelGroup group) {
    return new AliasChannel(alias, config, group, ctx.deadlines, ctx.gracePeriod, ctx.scheduler, ctx.shared::release, () -> {
      ctx.metrics.callRejected(alias);
      ctx.emit(ConnectionEvent.Type.CALL_LIMIT_EXCEEDED, alias, info.address(), "call refused: both limits full");
    });
  }

  private Mono<Void> release(AliasChannel ch) {
    ch.shutdownNow();
    return Mono.empty();
  }

  /** Connect RPC with ClientInfo; the identifier it returns goes on every later call. */
  private Mono<ConnectResponse> handshake(AliasChannel ch) {
    return LocalHost.name().flatMap(host -> Failures.signalled(() -> {
      ClientInfo.Builder client = ClientInfo.newBuilder()
          .setSdkType("Java")
          .setSdkVersion("reactive-milvus-connections-" + ReactiveConnections.libraryVersion())
          .setLocalTime(OffsetDateTime.now().toString())
          .setHost(host);
      if (config.user() != null) {
        client.setUser(config.user());
      }
      ConnectRequest request = ConnectRequest.newBuilder().setClientInfo(client).build();
      CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return UnaryCalls.call(ch, MilvusServiceGrpc.getConnectMethod(), request, options);
    })).flatMap(response -> {
      if (!Failures.isSuccess(response.getStatus())) {
        return Mono.error(new Failures.ServerStatusException(response.getStatus()));
      }
      if (response.getIdentifier() != 0) {
        ch.identifier(response.getIdentifier());
      }
      return Mono.just(response);
    });
  }

  /**
   * When {@code db_name} names a database other than {@code default}, one cheap database-scoped
   * call (ShowCollections) tells whether it exists: Milvus 2.3 refuses the Connect of an unknown
   * database (code 800), Milvus Lite accepts it and fails the first call on it (code 1, "database
   * 'x' does not exist"). Only a missing database fails the connect, or a transient failure
   * (retried as the Connect would be); anything else (a user without the privilege, a proxy
   * without the method) leaves it to the calls.
   */
  private Mono<Void> checkDatabase(AliasChannel ch) {
    String db = config.dbName();
    if (db == null || db.equals("default")) {
      return Mono.empty();
    }
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    return UnaryCalls.call(ch, MilvusServiceGrpc.getShowCollectionsMethod(), ShowCollectionsRequest.getDefaultInstance(), options)
        .flatMap(r -> Failures.isDatabaseNotFound(r.getStatus())
            ? Mono.<Void>error(new Failures.ServerStatusException(r.getStatus()))
            : Mono.<Void>empty())
        .onErrorResume(e -> !(e instanceof Failures.ServerStatusException) && !Failures.isTransientConnectFailure(e),
            e -> Mono.empty());
  }

  /**
   * A plaintext handshake whose connection was closed or reset before the server said anything is
   * what a TLS server does to a plaintext client, but also what a proxy without a backend does. The
   * first such failure of a connect probes the endpoint with a TLS ClientHello: a TLS answer makes
   * it a TLS failure (not retried); anything else leaves the failure as it was (retried as
   * unreachable).
   */
  private Mono<ConnectResponse> plaintextToTls(Throwable error, AtomicBoolean probed) {
    if (config.secure() || !Failures.isClosedWithoutAnswer(error) || !probed.compareAndSet(false, true)) {
      return Mono.error(error);
    }
    Duration limit = timeout.compareTo(TLS_PROBE_LIMIT) < 0 ? timeout : TLS_PROBE_LIMIT;
    return ctx.shared.speaksTls(config, limit).flatMap(tls -> {
      if (!tls) {
        return Mono.error(error);
      }
      io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
      String detail = Failures.PLAINTEXT_TO_TLS + ": " + grpc.getCode() + " " + Failures.description(grpc)
          + " (a TLS ClientHello to the same port is answered with TLS)";
      return Mono.error(new MilvusConnectionException(FailureKind.TLS, alias, info.address(), detail, grpc, 0, error));
    });
  }

  private Retry connectRetry(AliasChannel ch) {
    RetryPolicy p = config.retryPolicy();
    return Backoff.spec(p, ctx.scheduler, Failures::isTransientConnectFailure, signal -> {
      // skip gRPC's own reconnect backoff so the next attempt really dials again
      ch.resetConnectBackoff();
      ctx.metrics.retried(alias, "connect");
      ctx.emit(ConnectionEvent.Type.RETRYING, alias, info.address(), (int) signal.totalRetries() + 1,
          Backoff.nominal(p, signal.totalRetries()), String.valueOf(signal.failure().getMessage()));
    });
  }

  private MilvusConnectionException classifyConnectFailure(Throwable error, @Nullable Throwable last) {
    if (error instanceof TimeoutException && last != null && Failures.clientFault(last) != null) {
      // never reported as a timeout: the client's own failure is the cause
      return Failures.classify(last, alias, info.address(), true);
    }
    if (error instanceof TimeoutException) {
      String detail = "no successful handshake within " + timeout.toMillis() + " ms";
      if (last == null) {
        return new MilvusConnectionException(FailureKind.UNREACHABLE, alias, info.address(), detail, null, 0, error);
      }
      MilvusConnectionException cause = Failures.classify(last, alias, info.address(), true);
      return new MilvusConnectionException(cause.kind(), alias, info.address(),
          detail + "; last error: " + cause.detail(), cause.grpcStatus(), cause.serverCode(), last);
    }
    MilvusConnectionException classified = Failures.classify(error, alias, info.address(), true);
    if (classified.alias() == null) {
      return new MilvusConnectionException(classified.kind(), alias, info.address(),
          classified.detail(), classified.grpcStatus(), classified.serverCode(), classified);
    }
    return classified;
  }

  /**
   * Follows the first transport's state; when it is READY again after the connection was lost, the
   * handshake is redone so that the server knows the client on its new connection. A lost
   * connection shows as TRANSIENT_FAILURE, or (when the server went away and came back before the
   * next call) as READY going to IDLE: either way the next READY is a new transport.
   */
  private void watchTransport(AliasChannel ch, ConnectivityState seen, boolean failedSince) {
    ch.whenTransportLeaves(seen, () -> {
      if (ch.isShutdown() || current != ch) {
        return;
      }
      ConnectivityState now = ch.transportState();
      boolean failed = failedSince || now == ConnectivityState.TRANSIENT_FAILURE
          || (seen == ConnectivityState.READY && now != ConnectivityState.READY);
      if (now == ConnectivityState.READY && failed) {
        failed = false;
        // a transport that is READY may still refuse the first call while the server comes back: retried
        // as a connect is, within the connect timeout, and dropped once the channel is no longer the alias's
        Mono.defer(() -> ch.isShutdown() || current != ch ? Mono.<ConnectResponse>empty() : handshake(ch))
            .retryWhen(connectRetry(ch))
            .timeout(timeout, ctx.scheduler)
            .subscribe(
                r -> ctx.emit(ConnectionEvent.Type.RECONNECTED, alias, info.address(), "handshake redone"),
                e -> ctx.emit(ConnectionEvent.Type.FAILED, alias, info.address(),
                    "handshake after reconnect failed: " + Failures.classify(e, alias, info.address(), true).getMessage()));
      }
      if (now != ConnectivityState.SHUTDOWN) {
        watchTransport(ch, now, failed);
      }
    });
  }

  /** Graceful: refuses new calls, lets calls in flight finish for the grace period; keeps the config. */
  Mono<Void> disconnect() {
    AliasChannel ch;
    SharedAttempt connecting;
    boolean wasRetired;
    synchronized (this) {
      generation.incrementAndGet();
      ch = current;
      current = null;
      state = ConnectionState.CONFIGURED;
      connecting = attempt;
      attempt = null;
      wasRetired = retired;
    }
    if (connecting != null) {
      // a connect under way stops now (releasing what it built) instead of dialling on to its timeout
      connecting.upstream.dispose();
      connecting.result.tryEmitError(wasRetired ? retiredError() : new MilvusConnectionException(FailureKind.CLOSED, alias,
          info.address(), "disconnected while connecting", null, 0, null));
    }
    if (ch == null) {
      return Mono.empty();
    }
    ch.shutdown();
    ctx.emit(ConnectionEvent.Type.DISCONNECTED, alias, info.address(), "");
    return ch.whenTerminated();
  }

  /** Disconnects and drops the meters; the entry is not used afterwards. */
  Mono<Void> retire() {
    synchronized (this) {
      retired = true;
    }
    unregisterGauges.run();
    return disconnect();
  }
}
