package io.github.reactivemilvus;

import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.internal.StreamingCalls;
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
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

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
  private final @Nullable Duration deadline;

  MilvusStub(ReactiveConnections registry, String alias, @Nullable Duration deadline) {
    this.registry = registry;
    this.alias = alias;
    this.deadline = deadline;
  }

  /**
   * A stub whose calls get this deadline instead of the alias's call timeout: it starts when a call is
   * subscribed and covers the whole call, retries and backoff included.
   */
  public MilvusStub withDeadline(Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, was " + deadline);
    }
    return new MilvusStub(registry, alias, deadline);
  }

  /** The registry alias this stub calls through. */
  public String alias() {
    return alias;
  }

  /**
   * The registry's scheduler ({@link ReactiveConnections.Builder#scheduler}): where timers of work
   * built on this stub (backoff, polling) should run, so that tests can use virtual time.
   */
  public Scheduler scheduler() {
    return registry.scheduler();
  }

  private static final StubRpc<GetVersionRequest, GetVersionResponse, String> GET_VERSION =
      StubRpc.read(MilvusServiceGrpc.getGetVersionMethod(), GetVersionResponse::getStatus, GetVersionResponse::getVersion);
  private static final StubRpc<CheckHealthRequest, CheckHealthResponse, ServerHealth> CHECK_HEALTH =
      StubRpc.read(MilvusServiceGrpc.getCheckHealthMethod(), CheckHealthResponse::getStatus, ServerHealth::of);
  private static final StubRpc<ListDatabasesRequest, ListDatabasesResponse, List<String>> LIST_DATABASES =
      StubRpc.read(MilvusServiceGrpc.getListDatabasesMethod(), ListDatabasesResponse::getStatus,
          r -> List.copyOf(r.getDbNamesList()));
  private static final StubRpc<ShowCollectionsRequest, ShowCollectionsResponse, List<String>> SHOW_COLLECTIONS =
      StubRpc.read(MilvusServiceGrpc.getShowCollectionsMethod(), ShowCollectionsResponse::getStatus,
          r -> List.copyOf(r.getCollectionNamesList()));
  private static final StubRpc<HasCollectionRequest, BoolResponse, Boolean> HAS_COLLECTION =
      StubRpc.read(MilvusServiceGrpc.getHasCollectionMethod(), BoolResponse::getStatus, BoolResponse::getValue);
  private static final StubRpc<CreateDatabaseRequest, Status, Status> CREATE_DATABASE =
      StubRpc.write(MilvusServiceGrpc.getCreateDatabaseMethod(), Function.identity());
  private static final StubRpc<DropDatabaseRequest, Status, Status> DROP_DATABASE =
      StubRpc.write(MilvusServiceGrpc.getDropDatabaseMethod(), Function.identity());

  /** The server's version string, for example {@code v2.3.5} or {@code milvus_lite-3.2.2}. */
  public Mono<String> getVersion() {
    return call(GET_VERSION, GetVersionRequest.getDefaultInstance());
  }

  /**
   * The server's health report (CheckHealth); read {@link ServerHealth#healthy()}: a success status may
   * still say unhealthy. A read: retried on {@code UNAVAILABLE} and rate limiting. The generated response
   * is available through {@link #call(MethodDescriptor, Object)} with {@code MilvusServiceGrpc.getCheckHealthMethod()}.
   */
  public Mono<ServerHealth> checkHealth() {
    return call(CHECK_HEALTH, CheckHealthRequest.getDefaultInstance());
  }

  /** The server's database names, on subscription. A read: retried on {@code UNAVAILABLE} and rate limiting. */
  public Mono<List<String>> listDatabases() {
    return call(LIST_DATABASES, ListDatabasesRequest.getDefaultInstance());
  }

  /** Collections of the alias's database (the {@code dbname} header), or the server's default. */
  public Mono<List<String>> showCollections() {
    return call(SHOW_COLLECTIONS, ShowCollectionsRequest.getDefaultInstance());
  }

  /**
   * Whether the alias's database has collection {@code collectionName} (not null). A read: retried on
   * {@code UNAVAILABLE} and rate limiting.
   */
  public Mono<Boolean> hasCollection(String collectionName) {
    Objects.requireNonNull(collectionName, "collectionName");
    return call(HAS_COLLECTION, HasCollectionRequest.newBuilder().setCollectionName(collectionName).build());
  }

  /** A write: not retried unless the alias's retry policy has {@code retryWrites}. */
  public Mono<Void> createDatabase(String dbName) {
    Objects.requireNonNull(dbName, "dbName");
    return call(CREATE_DATABASE, CreateDatabaseRequest.newBuilder().setDbName(dbName).build()).then();
  }

  /** A write: not retried unless the alias's retry policy has {@code retryWrites}. */
  public Mono<Void> dropDatabase(String dbName) {
    Objects.requireNonNull(dbName, "dbName");
    return call(DROP_DATABASE, DropDatabaseRequest.newBuilder().setDbName(dbName).build()).then();
  }

  /**
   * Runs any unary gRPC method over this alias as a cold {@link Mono}, on the same path as the
   * methods above: the alias's channel (lazy connect, headers such as {@code dbname} and
   * authorization, call limits), this stub's deadline for the whole call, cancellation that cancels
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
   * {@link IllegalArgumentException} (streams go through {@link #serverStream} and
   * {@link #bidiStream}). The response arrives on the channel's callback executor.
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
    return new StubCall<>(registry, alias, deadline, StubRpc.of(method, ResponseStatus::of, kind == RpcKind.READ), request,
        true);
  }

  /**
   * Runs a server-streaming gRPC method (for example MilvusService's {@code DumpMessages}) over this alias
   * as a cold {@link Flux}, on the path of {@link #call}: the alias's channel (connecting first if needed),
   * its headers and call limits (a stream holds one call permit until it ends), and this stub's deadline or
   * else the alias's {@code call_timeout}, which bounds the whole stream: give a long stream a deadline of
   * its own with {@link #withDeadline}.
   *
   * <p>Demand reaches gRPC: a message is requested from the server's stream only when the subscriber asked
   * for one, so a slow subscriber applies backpressure through HTTP/2 flow control. Cancelling cancels the
   * stream. A message whose Milvus status is not a success ends the Flux with a
   * {@link MilvusConnectionException} of kind {@link FailureKind#SERVER_STATUS}; every failure is classified
   * as for {@link #call}. Streams are never retried: a failure after messages were delivered cannot be
   * repeated without repeating them. Messages arrive on the channel's callback executor.
   *
   * @throws IllegalArgumentException when {@code method} is not server-streaming
   */
  public <Q, R> Flux<R> serverStream(MethodDescriptor<Q, R> method, Q request) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(request, "request");
    if (method.getType() != MethodDescriptor.MethodType.SERVER_STREAMING) {
      throw new IllegalArgumentException(method.getFullMethodName() + " is " + method.getType() + ", not server-streaming");
    }
    return stream((channel, options) -> StreamingCalls.serverStreaming(channel, method, request, options));
  }

  /**
   * Runs a bidirectional-streaming gRPC method (for example MilvusService's {@code CreateReplicateStream})
   * as a cold {@link Flux}: {@code requests} is subscribed once the call started and its messages are sent
   * one at a time, each once the transport is ready for it; its completion half-closes the call, its failure
   * cancels the call and ends the Flux with that failure. Responses, demand, deadline, limits, cancellation
   * and failures are as for {@link #serverStream}.
   *
   * @throws IllegalArgumentException when {@code method} is not bidirectional-streaming
   */
  public <Q, R> Flux<R> bidiStream(MethodDescriptor<Q, R> method, Publisher<Q> requests) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(requests, "requests");
    if (method.getType() != MethodDescriptor.MethodType.BIDI_STREAMING) {
      throw new IllegalArgumentException(method.getFullMethodName() + " is " + method.getType() + ", not bidirectional");
    }
    return stream((channel, options) -> StreamingCalls.bidiStreaming(channel, method, requests, options));
  }

  private <R> Flux<R> stream(BiFunction<ManagedChannel, CallOptions, Flux<R>> call) {
    return Flux.defer(() -> {
      AliasEntry entry = registry.entry(alias);
      String address = entry.info().address();
      CallOptions options = deadline == null ? CallOptions.DEFAULT
          : CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
      return entry.channelAtSubscription().flatMapMany(channel -> call.apply(channel, options))
          .map(MilvusStub::checked)
          .onErrorMap(e -> Failures.classify(e, alias, address, false));
    });
  }

  private static <R> R checked(R response) {
    Status status = ResponseStatus.of(response);
    if (!Failures.isSuccess(status)) {
      throw new Failures.ServerStatusException(status);
    }
    return response;
  }

  /** Every call of this stub is one {@link StubCall}: the alias is looked up when it is subscribed. */
  private <Q, R, T> Mono<T> call(StubRpc<Q, R, T> rpc, Q request) {
    return new StubCall<>(registry, alias, deadline, rpc, request, false);
  }
}
