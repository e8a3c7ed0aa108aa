package io.github.reactivemilvus;

import io.github.reactivemilvus.proto.Status;
import io.grpc.MethodDescriptor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One RPC as {@link MilvusStub} makes it: the method, what a call emits for a response (a response
 * whose Milvus status is not a success fails the call instead), and whether it may be retried like
 * a read. Made once per RPC, shared by every call.
 */
record StubRpc<Q, R, T>(MethodDescriptor<Q, R> method, Function<R, T> onResponse, boolean idempotent) {

  static <Q, R, T> StubRpc<Q, R, T> read(MethodDescriptor<Q, R> method, Function<R, Status> statusOf, Function<R, T> value) {
    return new StubRpc<>(method, checked(statusOf, value), true);
  }

  static <Q, R> StubRpc<Q, R, R> write(MethodDescriptor<Q, R> method, Function<R, Status> statusOf) {
    return new StubRpc<>(method, checked(statusOf, Function.identity()), false);
  }

  /** An RPC whose response may carry no status at all ({@code statusOf} answers null): then it succeeds. */
  static <Q, R> StubRpc<Q, R, R> of(MethodDescriptor<Q, R> method, Function<R, @Nullable Status> statusOf, boolean idempotent) {
    return new StubRpc<>(method, checked(statusOf, Function.identity()), idempotent);
  }

  private static <R, T> Function<R, T> checked(Function<R, @Nullable Status> statusOf, Function<R, T> value) {
    return response -> {
      Status status = statusOf.apply(response);
      if (status != null && !Failures.isSuccess(status)) {
        throw new Failures.ServerStatusException(status);
      }
      return value.apply(response);
    };
  }
}
