package io.github.reactivemilvus.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import reactor.core.publisher.Mono;

/**
 * A unary call as a cold {@link Mono}: nothing is sent before subscription, cancellation cancels
 * the gRPC call, and signals arrive on the channel's callback executor. Bridged directly over
 * {@link ClientCall} (one allocation per call, no intermediate observers) to keep the overhead
 * next to raw grpc-java.
 */
public final class UnaryCalls {
  private UnaryCalls() {}

  public static <Q, R> Mono<R> call(Channel channel, MethodDescriptor<Q, R> method, Q request, CallOptions options) {
    return Mono.create(sink -> {
      ClientCall<Q, R> call;
      try {
        call = channel.newCall(method, options);
      } catch (RuntimeException | Error e) {
        // signalled, not thrown: Reactor rethrows a thrown LinkageError, which would lose the call
        sink.error(e);
        return;
      }
      // after a cancel the call still closes (CANCELLED); that close is not an error to report
      java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
      sink.onCancel(() -> {
        cancelled.set(true);
        call.cancel("cancelled by subscriber", null);
      });
      try {
        call.start(new ClientCall.Listener<R>() {
          private R value;

          @Override
          public void onMessage(R message) {
            value = message;
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            if (cancelled.get()) {
              return;
            }
            if (!status.isOk()) {
              sink.error(status.asRuntimeException(trailers));
            } else if (value == null) {
              sink.error(Status.INTERNAL.withDescription("no response message for " + method.getFullMethodName()).asRuntimeException());
            } else {
              sink.success(value);
            }
          }
        }, new Metadata());
        call.request(2);
        call.sendMessage(request);
        call.halfClose();
      } catch (RuntimeException | Error e) {
        call.cancel(null, e);
        sink.error(e);
      }
    });
  }
}
