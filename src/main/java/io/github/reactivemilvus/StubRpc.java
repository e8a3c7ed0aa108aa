package io.github.reactivemilvus;

import io.github.reactivemilvus.proto.Status;
import io.grpc.MethodDescriptor;
import java.util.function.Function;

/**
 * One RPC as {@link MilvusStub} makes it: the method, how to find the Milvus status in its
 * response (a response whose status is not a success fails the call), and whether it may be
 * retried like a read. Made once per RPC, shared by every call.
 */
record StubRpc<Q, R>(MethodDescriptor<Q, R> method, Function<R, RuntimeException> failureOf, boolean idempotent) {

  static <Q, R> StubRpc<Q, R> read(MethodDescriptor<Q, R> method, Function<R, Status> statusOf) {
    return new StubRpc<>(method, check(statusOf), true);
  }

  static <Q, R> StubRpc<Q, R> write(MethodDescriptor<Q, R> method, Function<R, Status> statusOf) {
    return new StubRpc<>(method, check(statusOf), false);
  }

  /** An RPC whose response may carry no status at all ({@code statusOf} answers null): then it succeeds. */
  static <Q, R> StubRpc<Q, R> of(MethodDescriptor<Q, R> method, Function<R, Status> statusOf, boolean idempotent) {
    return new StubRpc<>(method, check(statusOf), idempotent);
  }

  private static <R> Function<R, RuntimeException> check(Function<R, Status> statusOf) {
    return response -> {
      Status status = statusOf.apply(response);
      return status == null || Failures.isSuccess(status) ? null : new Failures.ServerStatusException(status);
    };
  }
}
