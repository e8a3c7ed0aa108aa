package io.github.reactivemilvus;

import io.github.reactivemilvus.proto.ClientInfo;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * One registered alias: its resolved config and its connection. The connect pipeline is shared by
 * concurrent subscribers ({@link Mono#cacheInvalidateIf}): the first subscriber builds the
 * connection, later ones get the cached channel until it is shut down; failures are not cached.
 */
final class AliasEntry {
  final String alias;
  final ConnectionConfig config;
  final ConnectionInfo info;
  final Mono<ManagedChannel> channel;
  /** Retry of the stubs' calls on this alias; built once, it holds no per-call state. */
  final Retry callRetry;
  private final RegistryContext ctx;
  private final Duration timeout;
  private final AtomicInteger generation = new AtomicInteger();
  private final Runnable unregisterGauges;
  private volatile ConnectionState state = ConnectionState.CONFIGURED;
  private volatile AliasChannel current;

  AliasEntry(String alias, ConnectionConfig config, RegistryContext ctx) {
    this.alias = alias;
    this.config = config;
    this.ctx = ctx;
    this.timeout = config.timeout() != null ? config.timeout() : ctx.defaultTimeout;
    this.info = config.info(alias, ctx.defaultTimeout);
    this.channel = Mono.defer(this::connectOnce).cacheInvalidateIf(ManagedChannel::isShutdown);
    this.unregisterGauges = ctx.metrics.aliasGauges(alias, this, AliasEntry::inFlight, AliasEntry::pending);
    this.callRetry = callRetry(config.retryPolicy());
  }

  private Retry callRetry(RetryPolicy p) {
    return Backoff.spec(p, ctx.scheduler, Failures::isRetryableCallFailure, signal -> {
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

  boolean isConnected() {
    AliasChannel ch = current;
    return state == ConnectionState.CONNECTED && ch != null && !ch.isShutdown();
  }

  /** Connected or connecting: its config may not be swapped underneath. */
  boolean isLive() {
    return state == ConnectionState.CONNECTING || isConnected();
  }

  AliasChannel current() {
    return current;
  }

  private double inFlight() {
    AliasChannel ch = current;
    return ch == null ? 0 : ch.limiter.inFlight();
  }

  private double pending() {
    AliasChannel ch = current;
    return ch == null ? 0 : ch.limiter.pending();
  }

  private Mono<ManagedChannel> connectOnce() {
    int gen = generation.get();
    state = ConnectionState.CONNECTING;
    ctx.emit(ConnectionEvent.Type.CONNECTING, alias, info.address(), "");
    long started = System.nanoTime();
    AtomicReference<Throwable> lastFailure = new AtomicReference<>();
    return Mono.usingWhen(
            ctx.shared.acquire(config).map(this::newAliasChannel),
            ch -> handshake(ch).doOnError(lastFailure::set).retryWhen(connectRetry(ch)).thenReturn(ch),
            ch -> Mono.empty(),
            (ch, error) -> release(ch),
            this::release)
        .timeout(timeout, ctx.scheduler)
        .onErrorMap(error -> classifyConnectFailure(error, lastFailure.get()))
        .<ManagedChannel>map(ch -> {
          if (generation.get() != gen) {
            ch.shutdownNow();
            throw new MilvusConnectionException(FailureKind.CLOSED, alias, info.address(),
                "disconnected while connecting", null, 0, null);
          }
          current = ch;
          state = ConnectionState.CONNECTED;
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
          ctx.emit(ConnectionEvent.Type.FAILED, alias, info.address(), error.getMessage());
        })
        .doOnCancel(() -> {
          if (generation.get() == gen && state == ConnectionState.CONNECTING) {
            state = ConnectionState.CONFIGURED;
          }
        });
  }

  private AliasChannel newAliasChannel(ChannelGroup group) {
    return new AliasChannel(alias, config, group, ctx.gracePeriod, ctx.scheduler, ctx.shared::release, () -> {
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
    return LocalHost.name().flatMap(host -> {
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
    }).flatMap(response -> {
      if (!Failures.isSuccess(response.getStatus())) {
        return Mono.error(new Failures.ServerStatusException(response.getStatus()));
      }
      if (response.getIdentifier() != 0) {
        ch.identifier(response.getIdentifier());
      }
      return Mono.just(response);
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

  private MilvusConnectionException classifyConnectFailure(Throwable error, Throwable last) {
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
   * Follows the first transport's state; when it is READY again after a failure, the handshake is
   * redone so that the server knows the client on its new connection.
   */
  private void watchTransport(AliasChannel ch, ConnectivityState seen, boolean failedSince) {
    ManagedChannel transport = ch.group.channel(0);
    transport.notifyWhenStateChanged(seen, () -> {
      if (ch.isShutdown() || current != ch) {
        return;
      }
      ConnectivityState now = transport.getState(false);
      boolean failed = failedSince || now == ConnectivityState.TRANSIENT_FAILURE;
      if (now == ConnectivityState.READY && failed) {
        failed = false;
        handshake(ch).subscribe(
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
    generation.incrementAndGet();
    AliasChannel ch = current;
    current = null;
    state = ConnectionState.CONFIGURED;
    if (ch == null) {
      return Mono.empty();
    }
    ch.shutdown();
    ctx.emit(ConnectionEvent.Type.DISCONNECTED, alias, info.address(), "");
    return ch.whenTerminated();
  }

  /** Disconnects and drops the meters; the entry is not used afterwards. */
  Mono<Void> retire() {
    unregisterGauges.run();
    return disconnect();
  }
}
