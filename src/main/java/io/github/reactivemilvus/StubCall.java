package io.github.reactivemilvus;

import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.UnaryCalls;
import io.grpc.CallOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * One {@link MilvusStub} call as a cold {@code Mono}. Each subscription looks the alias up; on a
 * connected alias it starts the gRPC call at once, with no operator in between, and only a failed
 * first attempt assembles the retry and error mapping ({@link AliasEntry#afterFirstFailure}); before
 * the alias is connected it subscribes to the whole call ({@link AliasEntry#call}).
 */
final class StubCall<Q, R, T> extends Mono<T> {
  private final ReactiveConnections registry;
  private final String alias;
  private final @Nullable Duration deadline;
  private final StubRpc<Q, R, T> rpc;
  private final Q request;
  /** Whether a failure's message names the request's {@code collection_name}, if it has one. */
  private final boolean namesCollection;

  StubCall(ReactiveConnections registry, String alias, @Nullable Duration deadline, StubRpc<Q, R, T> rpc, Q request,
      boolean namesCollection) {
    this.registry = registry;
    this.alias = alias;
    this.deadline = deadline;
    this.rpc = rpc;
    this.request = request;
    this.namesCollection = namesCollection;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    AliasEntry entry;
    try {
      entry = registry.entry(alias);
    } catch (RuntimeException e) {
      Operators.error(actual, e);
      return;
    }
    // a user deadline is exact (grpc-java's timer) and starts now; without one the alias's call_timeout applies
    CallOptions timed = deadline == null ? CallOptions.DEFAULT
        : CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    CallObservations observations = registry.observations();
    // the parent of the call's observations is the subscriber's; its retries carry the same trace
    CallOptions options = observations == null ? timed : observations.withTrace(timed, actual.currentContext());
    // read before the channel: a disconnect after this point makes a retry fail CLOSED
    int generation = entry.generation();
    AliasChannel channel = entry.readyChannel();
    if (channel == null) {
      naming(entry.call(rpc, request, options)).subscribe(actual);
      return;
    }
    UnaryCalls.start(channel, rpc.method(), request, options, entry.callRetry().crediting(rpc.onResponse()),
        failure -> naming(entry.afterFirstFailure(rpc, request, options, failure, generation)), actual);
  }

  private Mono<T> naming(Mono<T> call) {
    // the name is looked up only for a failure: a success pays nothing for it
    return !namesCollection ? call : call.onErrorMap(MilvusConnectionException.class, e -> {
      String name = ResponseStatus.collectionName(request);
      return name == null ? e : new MilvusConnectionException(e.kind(), e.alias(), e.address(),
          "collection '" + name + "': " + e.detail(), e.grpcStatus(), e.serverCode(), e.error(), e.getCause() != null ? e.getCause() : e);
    });
  }
}
