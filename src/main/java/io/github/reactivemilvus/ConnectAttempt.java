package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionInfo;
import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.ChannelGroup;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The connect attempts of one alias: a channel built on the alias's shared transport, the
 * {@link Handshake} on it with its retry, bounded by the connect timeout, the failure classified,
 * and the channel handed to the alias for publication. Each {@link #run} is one attempt with its own
 * bookkeeping: a channel it built and did not publish is shut down however the attempt ended. The
 * alias's state stays with the alias ({@link Alias}).
 */
final class ConnectAttempt {
  private final String alias;
  private final ConnectionConfig config;
  private final ConnectionInfo info;
  private final RegistryContext ctx;
  private final Duration timeout;
  private final Handshake handshake;
  private final @Nullable CredentialsRefresh credentials;

  ConnectAttempt(String alias, ConnectionConfig config, ConnectionInfo info, RegistryContext ctx, Duration timeout,
      Handshake handshake, @Nullable CredentialsRefresh credentials) {
    this.credentials = credentials;
    this.alias = alias;
    this.config = config;
    this.info = info;
    this.ctx = ctx;
    this.timeout = timeout;
    this.handshake = handshake;
  }

  /** What an attempt needs of its alias: the alias's state, which only the alias changes. */
  interface Alias {
    /**
     * Publishes {@code ch} as the alias's channel and runs {@code published}, both under the lock that
     * disconnect and retire take, so that a channel is either seen (and shut down) by them or refused
     * here, never left behind; refuses it instead, returning the error the attempt fails with, when the
     * alias was disconnected (its generation is no longer {@code generation}) or retired since.
     */
    @Nullable MilvusConnectionException publish(AliasChannel ch, int generation, Runnable published);

    /** The attempt published {@code ch}, and told so: the alias follows its transport. */
    void connected(AliasChannel ch);

    /** The attempt begun at {@code generation} failed. */
    void failed(int generation);

    /** The attempt begun at {@code generation} was cancelled before it ended. */
    void cancelled(int generation);
  }

  /**
   * One connect attempt, begun when the alias's generation was {@code generation}: emits the
   * published channel, or fails with a classified {@link MilvusConnectionException}.
   */
  Mono<ManagedChannel> run(int generation, Alias owner) {
    long started = System.nanoTime();
    AtomicReference<Throwable> lastFailure = new AtomicReference<>();
    Built built = new Built();
    AtomicBoolean probed = new AtomicBoolean();
    return Mono.usingWhen(
            aliasChannel(built),
            // the database is checked on the first connect only: a reconnect redoes just the handshake
            ch -> handshake.connect(ch).flatMap(response -> handshake.checkDatabase(ch).thenReturn(response))
                .onErrorResume(error -> handshake.plaintextToTls(error, probed))
                .doOnError(lastFailure::set)
                .retryWhen(handshake.retry(ch))
                .thenReturn(ch),
            ch -> Mono.empty(),
            (ch, error) -> release(ch),
            ConnectAttempt::release)
        .timeout(timeout, ctx.scheduler)
        .onErrorMap(error -> classifyFailure(error, lastFailure.get()))
        .<ManagedChannel>map(ch -> {
          MilvusConnectionException refused = owner.publish(ch, generation, built::published);
          if (refused != null) {
            ch.shutdownNow();
            throw refused;
          }
          ctx.metrics.connectFinished(alias, System.nanoTime() - started, true);
          ctx.emit(ConnectionEvent.Type.CONNECTED, alias, info.address(), "");
          owner.connected(ch);
          return ch;
        })
        .doOnError(error -> {
          owner.failed(generation);
          ctx.metrics.connectFinished(alias, System.nanoTime() - started, false);
          ctx.emit(ConnectionEvent.Type.FAILED, alias, info.address(), String.valueOf(error.getMessage()));
        })
        .doOnCancel(() -> owner.cancelled(generation))
        .doFinally(signal -> {
          // Reactor may deliver the channel of an attempt cut short into the void: a resource that
          // arrives as usingWhen is cancelled, or a channel whose handshake completes just as the
          // timeout above fires (the timeout drops it, errors downstream and sends no cancel here).
          // Whatever the attempt built and did not publish goes, however the attempt ended.
          AliasChannel orphan = built.abandon();
          if (orphan != null) {
            orphan.shutdownNow();
          }
        });
  }

  /** The channel one connect attempt built, until it is published or the attempt is abandoned. */
  private static final class Built {
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

  /** A failed attempt as the {@link MilvusConnectionException} its subscribers get. */
  private MilvusConnectionException classifyFailure(Throwable error, @Nullable Throwable last) {
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
          detail + "; last error: " + cause.detail(), cause.grpcStatus(), cause.serverCode(), cause.error(), last);
    }
    MilvusConnectionException classified = Failures.classify(error, alias, info.address(), true);
    if (classified.alias() == null) {
      return new MilvusConnectionException(classified.kind(), alias, info.address(),
          classified.detail(), classified.grpcStatus(), classified.serverCode(), classified.error(), classified);
    }
    return classified;
  }

  /**
   * The alias's channel over a reference to the shared group, owned by {@code built}. With a credentials
   * supplier, it is asked first (the handshake carries what it hands out); then the user's interceptors:
   * a function that fails leaves nothing to release.
   */
  private Mono<AliasChannel> aliasChannel(Built built) {
    Mono<?> first = credentials == null ? Mono.empty() : credentials.connecting();
    return first.then(Mono.fromCallable(() -> ctx.hooks.interceptors(alias, info.address())))
        .flatMap(interceptors -> ctx.shared.acquire(config).map(group -> {
          AliasChannel ch = newAliasChannel(group, interceptors);
          if (!built.own(ch)) {
            ch.shutdownNow();
            throw new MilvusConnectionException(FailureKind.CLOSED, alias, info.address(), "connect cancelled", null, 0, null);
          }
          return ch;
        }));
  }

  private AliasChannel newAliasChannel(ChannelGroup group, List<ClientInterceptor> interceptors) {
    return new AliasChannel(alias, config, credentials == null ? null : credentials.authorization(), group, ctx.deadlines,
        ctx.gracePeriod, ctx.scheduler, ctx.shared::release, () -> {
      ctx.metrics.callRejected(alias);
      ctx.emit(ConnectionEvent.Type.CALL_LIMIT_EXCEEDED, alias, info.address(), "call refused: both limits full");
    }, interceptors, ctx.hooks.observer(alias, config));
  }

  private static Mono<Void> release(AliasChannel ch) {
    ch.shutdownNow();
    return Mono.empty();
  }
}
