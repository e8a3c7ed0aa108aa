package io.github.reactivemilvus.testing;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Scripted answers for {@link FaultServer} methods it does not implement itself (install with
 * {@link FaultServer.Builder#interceptor}): a unary method answers what its function makes of the request;
 * a streaming method hands its {@link ServerCall} to a script that sends what it likes. Every request message
 * and the headers of every scripted call are recorded. For request/response mapping tests only. Thread-safe.
 */
public final class ScriptedRpcs implements ServerInterceptor {
  private final Map<String, Function<Object, Object>> unary = new ConcurrentHashMap<>();
  private final Map<String, BiConsumer<ServerCall<Object, Object>, Object>> streaming = new ConcurrentHashMap<>();
  private final Set<String> closingOnHalfClose = ConcurrentHashMap.newKeySet();
  private final List<Object> requests = new CopyOnWriteArrayList<>();
  private final List<Metadata> headers = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch cancelled = new CountDownLatch(1);

  /** Answers every call of {@code method} with {@code answer} applied to its request. */
  @SuppressWarnings("unchecked")
  public <Q, R> ScriptedRpcs answer(MethodDescriptor<Q, R> method, Function<Q, R> answer) {
    unary.put(method.getFullMethodName(), (Function<Object, Object>) (Function<?, ?>) answer);
    return this;
  }

  /**
   * Runs {@code script} with the call and each request message of {@code method} (a streaming method: the
   * server call asks for request messages one at a time; the script sends, and closes when it likes).
   */
  @SuppressWarnings("unchecked")
  public <Q, R> ScriptedRpcs stream(MethodDescriptor<Q, R> method, BiConsumer<ServerCall<Q, R>, Q> script) {
    streaming.put(method.getFullMethodName(), (BiConsumer<ServerCall<Object, Object>, Object>) (BiConsumer<?, ?>) script);
    return this;
  }

  /** As {@link #stream}, and the server closes the call (OK) once the client half-closed it. */
  public <Q, R> ScriptedRpcs streamClosingOnHalfClose(MethodDescriptor<Q, R> method, BiConsumer<ServerCall<Q, R>, Q> script) {
    closingOnHalfClose.add(method.getFullMethodName());
    return stream(method, script);
  }

  /** Request messages received by scripted methods, in arrival order. */
  public List<Object> requests() {
    return List.copyOf(requests);
  }

  /** The last request message received, cast to {@code type}. */
  public <T> T lastRequest(Class<T> type) {
    return type.cast(requests.get(requests.size() - 1));
  }

  /** Headers of the scripted calls, in arrival order. */
  public List<Metadata> headers() {
    return List.copyOf(headers);
  }

  /** Counts down when a scripted call is cancelled by its client. */
  public CountDownLatch cancellation() {
    return cancelled;
  }

  /** Forgets recorded requests and headers and arms a new cancellation latch. */
  public void reset() {
    requests.clear();
    headers.clear();
    cancelled = new CountDownLatch(1);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata requestHeaders, ServerCallHandler<Q, R> next) {
    String name = call.getMethodDescriptor().getFullMethodName();
    Function<Object, Object> answer = unary.get(name);
    BiConsumer<ServerCall<Object, Object>, Object> script = streaming.get(name);
    if (answer == null && script == null) {
      return next.startCall(call, requestHeaders);
    }
    headers.add(requestHeaders);
    ServerCall<Object, Object> raw = (ServerCall<Object, Object>) (ServerCall<?, ?>) call;
    call.request(1);
    return new ServerCall.Listener<Q>() {
      private boolean headersSent;

      @Override
      public void onMessage(Q message) {
        requests.add(message);
        if (answer != null) {
          Object response;
          try {
            response = answer.apply(message);
          } catch (RuntimeException e) {
            call.close(Status.fromThrowable(e), new Metadata());
            return;
          }
          call.sendHeaders(new Metadata());
          raw.sendMessage(response);
          call.close(Status.OK, new Metadata());
          return;
        }
        if (!headersSent) {
          headersSent = true;
          call.sendHeaders(new Metadata());
        }
        script.accept(raw, message);
        call.request(1);
      }

      @Override
      public void onHalfClose() {
        if (script != null && closingOnHalfClose.contains(name)) {
          call.close(Status.OK, new Metadata());
        }
      }

      @Override
      public void onCancel() {
        cancelled.countDown();
      }
    };
  }
}
