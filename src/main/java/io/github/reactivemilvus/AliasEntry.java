package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionInfo;
import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.ChannelGroup;
import io.github.reactivemilvus.internal.UnaryCalls;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One registered alias: its resolved config, its state and its published channel, and the
 * coordinator of its connects. A connect ({@link ConnectAttempt}) is shared by concurrent
 * subscribers: the first subscriber starts it, the others join it, and cancelling the last one
 * cancels it; later subscribers get the published channel until it is shut down; failures are not
 * kept. A disconnect withdraws the channel and cuts short a connect under way.
 */
final class AliasEntry {
  private final String alias;
  /** Read by tests' diagnostics; the library's classes use {@link #config()}. */
  private final ConnectionConfig config;
  private final ConnectionInfo info;
  /** Retry of the stubs' calls on this alias, with the alias's retry budget. */
  private final CallRetry callRetry;
  /** The Connect RPC, database check, TLS probe and connect retry on this alias's channels. */
  private final Handshake handshake;
  /** This alias's connect attempts: channel, handshake, timeout, failure classification. */
  private final ConnectAttempt connects;
  /** The alias's credentials supplier and its refreshes; null when the config's credentials apply. */
  private final @Nullable CredentialsRefresh credentials;
  private final AttemptSide attemptSide = new AttemptSide();
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
    this.timeout = config.timeout() != null ? config.timeout() : ctx.defaultTimeout;
    this.info = config.info(alias, ctx.defaultTimeout);
    Mono<MilvusCredentials> supplier = ctx.credentials.get(alias);
    this.credentials = supplier == null ? null : new CredentialsRefresh(alias, info.address(), supplier, ctx, timeout);
    this.callRetry = new CallRetry(alias, info.address(), config, ctx, () -> current, credentials);
    this.handshake = new Handshake(alias, config, info, ctx, timeout);
    this.connects = new ConnectAttempt(alias, config, info, ctx, timeout, handshake, credentials);
    bindGauges(ctx.metrics);
  }

  /** The retry of the stubs' calls on this alias. */
  CallRetry callRetry() {
    return callRetry;
  }

  /** Counts the alias's disconnects: a call that saw another count was cut off by one. */
  int generation() {
    return generation.get();
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
   * needed), the response's Milvus status checked, retryable failures retried by the alias's
   * {@link CallRetry}, every failure classified as a {@link MilvusConnectionException}.
   */
  <Q, R, T> Mono<T> call(StubRpc<Q, R, T> rpc, Q request, CallOptions options) {
    return Mono.defer(() -> callRetry.call(rpc, options, attempt(rpc, request, options, generation.get())));
  }

  /**
   * What follows a first attempt (made on {@link #readyChannel()} when the alias's {@link #generation()}
   * was {@code generation}) that failed with {@code failure}: as {@link #call}, with that failure as its
   * first attempt's outcome.
   */
  <Q, R, T> Mono<T> afterFirstFailure(StubRpc<Q, R, T> rpc, Q request, CallOptions options, Throwable failure, int generation) {
    return callRetry.afterFailure(rpc, options, failure, attempt(rpc, request, options, generation));
  }

  /**
   * One attempt that finds (or makes) the alias's channel when it is subscribed; it fails CLOSED
   * instead when the alias was disconnected since the call began: a disconnect ends the calls under
   * way and never has them open the alias again.
   */
  private <Q, R, T> Mono<T> attempt(StubRpc<Q, R, T> rpc, Q request, CallOptions options, int generation) {
    return Mono.defer(() -> this.generation.get() != generation ? Mono.error(disconnectedError()) : channelAtSubscription())
        .flatMap(channel -> UnaryCalls.call(channel, rpc.method(), request, options, callRetry.crediting(rpc.onResponse())));
  }

  private MilvusConnectionException disconnectedError() {
    return retired ? retiredError() : new MilvusConnectionException(FailureKind.CLOSED, alias, info.address(),
        "the alias was disconnected while the call was under way", null, 0, null);
  }

  boolean isConnected() {
    AliasChannel ch = current;
    return state == ConnectionState.CONNECTED && ch != null && !ch.isShutdown();
  }

  /**
   * {@link ConnectionState#CONNECTED CONNECTED} or {@link ConnectionState#CONNECTING CONNECTING} while
   * its config may not be swapped underneath (read once, so that a refusal names what it saw), null
   * otherwise.
   */
  @Nullable ConnectionState liveState() {
    ConnectionState s = state;
    if (s == ConnectionState.CONNECTING) {
      return s;
    }
    AliasChannel ch = current;
    return s == ConnectionState.CONNECTED && ch != null && !ch.isShutdown() ? s : null;
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

  /** The physical channels of the alias's pool now (0 when not connected). */
  double connections() {
    AliasChannel ch = current;
    return ch == null ? 0 : ch.group().size();
  }

  /** The physical channels of the alias's pool with calls in flight now. */
  double connectionsUsed() {
    AliasChannel ch = current;
    if (ch == null) {
      return 0;
    }
    ChannelGroup group = ch.group();
    if (group.size() == 1) {
      return ch.callsInFlight() > 0 ? 1 : 0; // a pool of one does not count per channel
    }
    int used = 0;
    for (int i = 0; i < group.size(); i++) {
      if (group.outstandingOn(i) > 0) {
        used++;
      }
    }
    return used;
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
    AtomicBoolean left = new AtomicBoolean();
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
    return connects.run(gen, attemptSide);
  }

  /** The alias's side of its connect attempts: publication under this entry's lock, and its state. */
  private final class AttemptSide implements ConnectAttempt.Alias {
    @Override
    public @Nullable MilvusConnectionException publish(AliasChannel ch, int gen, Runnable published) {
      boolean wasRetired;
      synchronized (AliasEntry.this) {
        wasRetired = retired;
        if (!wasRetired && generation.get() == gen) {
          current = ch;
          state = ConnectionState.CONNECTED;
          published.run();
          // connected: a disconnect from now on disconnects the channel, it no longer cuts this
          // connect short (its subscribers get the channel, not a CLOSED error)
          attempt = null;
          return null;
        }
      }
      return wasRetired ? retiredError() : new MilvusConnectionException(FailureKind.CLOSED, alias,
          info.address(), "disconnected while connecting", null, 0, null);
    }

    @Override
    public void connected(AliasChannel ch) {
      if (credentials != null) {
        credentials.connected();
      }
      watchTransport(ch, ConnectivityState.READY, false);
    }

    @Override
    public void failed(int gen) {
      if (generation.get() == gen) {
        state = ConnectionState.FAILED;
        stopCredentials(); // refreshed while connected only: the next connect asks the supplier again
      }
    }

    @Override
    public void cancelled(int gen) {
      if (generation.get() == gen && state == ConnectionState.CONNECTING) {
        state = ConnectionState.CONFIGURED;
        stopCredentials();
      }
    }
  }

  private void stopCredentials() {
    if (credentials != null) {
      credentials.stop();
    }
  }

  private MilvusConnectionException retiredError() {
    return new MilvusConnectionException(FailureKind.CLOSED, alias, info.address(),
        "the alias was removed, replaced or closed while connecting", null, 0, null);
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
        handshake.redo(ch, () -> current == ch);
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
    stopCredentials();
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
