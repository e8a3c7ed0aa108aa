package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionInfo;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.LocalHost;
import io.github.reactivemilvus.internal.UnaryCalls;
import io.github.reactivemilvus.proto.ClientInfo;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ShowCollectionsRequest;
import io.grpc.CallOptions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The handshake of one alias on a channel: the Connect RPC with ClientInfo, the database check of a
 * first connect, the plaintext-to-TLS probe, the connect retry, and the handshake redone on a new
 * transport. Holds no state of its own.
 */
final class Handshake {
  /** Upper bound of the TLS probe after a plaintext connection closed without an answer. */
  static final Duration TLS_PROBE_LIMIT = Duration.ofSeconds(2);

  private final String alias;
  private final ConnectionConfig config;
  private final ConnectionInfo info;
  private final RegistryContext ctx;
  private final Duration timeout;

  Handshake(String alias, ConnectionConfig config, ConnectionInfo info, RegistryContext ctx, Duration timeout) {
    this.alias = alias;
    this.config = config;
    this.info = info;
    this.ctx = ctx;
    this.timeout = timeout;
  }

  /** Connect RPC with ClientInfo; the identifier it returns goes on every later call. */
  Mono<ConnectResponse> connect(AliasChannel ch) {
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
  Mono<Void> checkDatabase(AliasChannel ch) {
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
  Mono<ConnectResponse> plaintextToTls(Throwable error, AtomicBoolean probed) {
    if (config.secure() || !Failures.isClosedWithoutAnswer(error) || !probed.compareAndSet(false, true)) {
      return Mono.error(error);
    }
    Duration limit = timeout.compareTo(TLS_PROBE_LIMIT) < 0 ? timeout : TLS_PROBE_LIMIT;
    return ctx.shared.speaksTls(config, limit).flatMap(tls -> {
      if (!tls) {
        return Mono.error(error);
      }
      io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
      String detail = Failures.PLAINTEXT_TO_TLS + ": " + Failures.describe(grpc)
          + " (a TLS ClientHello to the same port is answered with TLS)";
      return Mono.error(new MilvusConnectionException(FailureKind.TLS, alias, info.address(), detail, grpc, 0, error));
    });
  }

  Retry retry(AliasChannel ch) {
    RetryPolicy p = config.retryPolicy();
    return Backoff.spec(p, ctx.scheduler, Failures::isTransientConnectFailure, signal -> {
      // skip gRPC's own reconnect backoff so the next attempt really dials again
      ch.resetConnectBackoff();
      ctx.metrics.retried(alias, "connect");
      ctx.emit(ConnectionEvent.Type.RETRYING, alias, info.address(), (int) signal.totalRetries() + 1,
          Backoff.nominal(p, signal.totalRetries()), String.valueOf(signal.failure().getMessage()));
    });
  }

  /**
   * The handshake redone on a new transport of {@code ch}: a transport that is READY may still refuse
   * the first call while the server comes back, so it is retried as a connect is, within the connect
   * timeout, and dropped once {@code stillCurrent} says the channel is no longer the alias's.
   */
  void redo(AliasChannel ch, BooleanSupplier stillCurrent) {
    Mono.defer(() -> ch.isShutdown() || !stillCurrent.getAsBoolean() ? Mono.<ConnectResponse>empty() : connect(ch))
        .retryWhen(retry(ch))
        .timeout(timeout, ctx.scheduler)
        .subscribe(
            r -> ctx.emit(ConnectionEvent.Type.RECONNECTED, alias, info.address(), "handshake redone"),
            e -> ctx.emit(ConnectionEvent.Type.FAILED, alias, info.address(),
                "handshake after reconnect failed: " + Failures.classify(e, alias, info.address(), true).getMessage()));
  }
}
