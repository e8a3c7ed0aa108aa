package io.github.reactivemilvus;

import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.internal.UnaryCalls;
import io.github.reactivemilvus.proto.BoolResponse;
import io.github.reactivemilvus.proto.CheckHealthRequest;
import io.github.reactivemilvus.proto.CheckHealthResponse;
import io.github.reactivemilvus.proto.CreateDatabaseRequest;
import io.github.reactivemilvus.proto.DropDatabaseRequest;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.HasCollectionRequest;
import io.github.reactivemilvus.proto.ListDatabasesRequest;
import io.github.reactivemilvus.proto.ListDatabasesResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ShowCollectionsRequest;
import io.github.reactivemilvus.proto.ShowCollectionsResponse;
import io.github.reactivemilvus.proto.Status;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * Reactive stubs for the Milvus RPCs this library covers, made through an alias's channel (so
 * they connect lazily and carry the alias's headers, deadline and limits).
 *
 * <p>Every method returns a cold {@link Mono}: the call is made on subscription and cancelled when
 * the subscriber cancels. A response is a success only when both {@code code} and
 * {@code error_code} of its status are 0; anything else fails with a
 * {@link MilvusConnectionException} naming the alias, address and server code.
 *
 * <p><b>Retries.</b> Reads (GetVersion, CheckHealth, ListDatabases, ShowCollections,
 * HasCollection) are retried with the alias's {@link RetryPolicy} on {@code UNAVAILABLE} and on
 * Milvus rate limiting (code 8 / legacy 49), never on other codes; an attempt that ran out of the
 * alias's {@code call_timeout} (which bounds each attempt) is retried too, since a starting Milvus
 * accepts calls and answers them only once ready. A deadline given with {@link #withDeadline} is
 * the caller's own: an attempt that exceeds it is not retried. Writes (CreateDatabase,
 * DropDatabase) are retried only when the policy says {@code retryWrites}. Backoff runs on the
 * registry's scheduler. Immutable and thread-safe.
 */
public final class MilvusStub {
  private final ReactiveConnections registry;
  private final String alias;
  private final Duration deadline;

  MilvusStub(ReactiveConnections registry, String alias, Duration deadline) {
    this.registry = registry;
    this.alias = alias;
    this.deadline = deadline;
  }

  /** A stub whose calls (each attempt) get this deadline instead of the alias's call timeout. */
  public MilvusStub withDeadline(Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, was " + deadline);
    }
    return new MilvusStub(registry, alias, deadline);
  }

  public String alias() {
    return alias;
  }

  /** The server's version string, for example {@code v2.3.5} or {@code milvus_lite-3.2.2}. */
  public Mono<String> getVersion() {
    return read(MilvusServiceGrpc.getGetVersionMethod(), GetVersionRequest.getDefaultInstance(),
        GetVersionResponse::getStatus).map(GetVersionResponse::getVersion);
  }

  /** The health report; read {@code getIsHealthy()}: a success status may still say unhealthy. */
  public Mono<CheckHealthResponse> checkHealth() {
    return read(MilvusServiceGrpc.getCheckHealthMethod(), CheckHealthRequest.getDefaultInstance(),
        CheckHealthResponse::getStatus);
  }

  public Mono<List<String>> listDatabases() {
    return read(MilvusServiceGrpc.getListDatabasesMethod(), ListDatabasesRequest.getDefaultInstance(),
        ListDatabasesResponse::getStatus).map(r -> List.copyOf(r.getDbNamesList()));
  }

  /** Collections of the alias's database (the {@code dbname} header), or the server's default. */
  public Mono<List<String>> showCollections() {
    return read(MilvusServiceGrpc.getShowCollectionsMethod(), ShowCollectionsRequest.getDefaultInstance(),
        ShowCollectionsResponse::getStatus).map(r -> List.copyOf(r.getCollectionNamesList()));
  }

  public Mono<Boolean> hasCollection(String collectionName) {
    Objects.requireNonNull(collectionName, "collectionName");
    return read(MilvusServiceGrpc.getHasCollectionMethod(),
        HasCollectionRequest.newBuilder().setCollectionName(collectionName).build(),
        BoolResponse::getStatus).map(BoolResponse::getValue);
  }

  /** A write: not retried unless the alias's retry policy has {@code retryWrites}. */
  public Mono<Void> createDatabase(String dbName) {
    Objects.requireNonNull(dbName, "dbName");
    return call(MilvusServiceGrpc.getCreateDatabaseMethod(),
        CreateDatabaseRequest.newBuilder().setDbName(dbName).build(), Function.identity(), false).then();
  }

  /** A write: not retried unless the alias's retry policy has {@code retryWrites}. */
  public Mono<Void> dropDatabase(String dbName) {
    Objects.requireNonNull(dbName, "dbName");
    return call(MilvusServiceGrpc.getDropDatabaseMethod(),
        DropDatabaseRequest.newBuilder().setDbName(dbName).build(), Function.identity(), false).then();
  }

  /**
   * Runs any unary gRPC method over this alias as a cold {@link Mono}, on the same path as the
   * methods above: the alias's channel (lazy connect, headers such as {@code dbname} and
   * authorization, call limits), this stub's deadline for each attempt, cancellation that cancels
   * the RPC, and the alias's retry policy. Retries follow {@link MilvusRpcs}: a MilvusService read
   * is retried on {@code UNAVAILABLE} and rate limiting; a write, and any method not in the table
   * (for example of a user's own service), only with {@code retryWrites}. Use
   * {@link #call(MethodDescriptor, Object, RpcKind)} to say otherwise.
   *
   * <p>A protobuf response that is a {@code milvus.proto.common.Status}, or has a {@code status}
   * field of that type, succeeds only when its {@code code} and {@code error_code} are both 0;
   * otherwise the Mono fails with a {@link MilvusConnectionException} of kind
   * {@link FailureKind#SERVER_STATUS} (or {@link FailureKind#DATABASE_NOT_FOUND}) carrying the
   * Milvus code ({@link MilvusConnectionException#serverCode()}) and reason, naming the alias and,
   * when the request has a {@code collection_name}, the collection. gRPC failures are classified
   * as for the other methods. Only unary methods: a streaming descriptor is rejected with
   * {@link IllegalArgumentException} (the MilvusService streams CreateReplicateStream and
   * DumpMessages are not supported). The response arrives on the channel's callback executor.
   */
  public <Q, R> Mono<R> call(MethodDescriptor<Q, R> method, Q request) {
    Objects.requireNonNull(method, "method");
    return call(method, request, MilvusRpcs.kindOf(method.getFullMethodName()).orElse(RpcKind.WRITE));
  }

  /** As {@link #call(MethodDescriptor, Object)}, retried as {@code kind} says. */
  public <Q, R> Mono<R> call(MethodDescriptor<Q, R> method, Q request, RpcKind kind) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(kind, "kind");
    if (method.getType() != MethodDescriptor.MethodType.UNARY) {
      throw new IllegalArgumentException(method.getFullMethodName() + " is " + method.getType() + ", not unary");
    }
    String collection = ResponseStatus.collectionName(request);
    Mono<R> call = call(method, request, ResponseStatus::of, kind == RpcKind.READ);
    return collection == null ? call : call.onErrorMap(MilvusConnectionException.class, e ->
        new MilvusConnectionException(e.kind(), e.alias(), e.address(), "collection '" + collection + "': " + e.detail(),
            e.grpcStatus(), e.serverCode(), e.getCause() != null ? e.getCause() : e));
  }

  private <Q, R> Mono<R> read(MethodDescriptor<Q, R> method, Q request, Function<R, Status> status) {
    return call(method, request, status, true);
  }

  private <Q, R> Mono<R> call(MethodDescriptor<Q, R> method, Q request, Function<R, Status> statusOf, boolean idempotent) {
    return Mono.defer(() -> {
      AliasEntry entry = registry.entry(alias);
      RetryPolicy policy = entry.config.retryPolicy();
      Mono<R> attempt = Mono.defer(entry::channelAtSubscription).flatMap(channel ->
          UnaryCalls.call(channel, method, request, callOptions())
              .handle((response, sink) -> {
                Status status = statusOf.apply(response);
                if (Failures.isSuccess(status)) {
                  sink.next(response);
                } else {
                  sink.error(new Failures.ServerStatusException(status));
                }
              }));
      Mono<R> call = attempt;
      if ((idempotent || policy.retryWrites()) && policy.maxRetries() > 0) {
        // an idempotent read under the alias's call_timeout (set per attempt, no deadline of the
        // caller's) also retries an attempt that timed out: a starting Milvus accepts calls and
        // answers them only once ready
        boolean attemptTimeouts = idempotent && deadline == null && entry.config.callTimeout() != null;
        java.util.function.Predicate<Throwable> retryable = attemptTimeouts
            ? Failures::isRetryableReadOrAttemptTimeout : Failures::isRetryableCallFailure;
        reactor.util.retry.Retry retry = attemptTimeouts ? entry.readRetry : entry.callRetry;
        // the retry operator is only assembled once a first attempt failed retryably, so a call
        // that succeeds pays nothing for it; the failure seen is replayed as the loop's first error
        call = attempt.onErrorResume(retryable, first -> replayingFirst(first, attempt).retryWhen(retry));
      }
      return call.onErrorMap(e -> !(e instanceof MilvusConnectionException),
          e -> Failures.classify(e, alias, entry.info.address(), false));
    });
  }

  /** Fails with {@code first} on the first subscription, then subscribes to {@code attempt}. */
  private static <R> Mono<R> replayingFirst(Throwable first, Mono<R> attempt) {
    java.util.concurrent.atomic.AtomicBoolean replayed = new java.util.concurrent.atomic.AtomicBoolean();
    return Mono.defer(() -> replayed.compareAndSet(false, true) ? Mono.error(first) : attempt);
  }


  private CallOptions callOptions() {
    return deadline == null ? CallOptions.DEFAULT
        : CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }
}
