package io.github.reactivemilvus.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Hand-made gRPC fakes for forcing orderings: a channel whose calls record what was done to them
 * and close only when told (or synchronously inside {@code start}), an executor whose tasks run
 * when the test says so, a listener that records how it was closed.
 */
final class CallFakes {
  static final Context.Key<String> CALLER = Context.key("caller");

  private CallFakes() {}

  static final MethodDescriptor.Marshaller<String> STRINGS = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final MethodDescriptor<String, String> METHOD = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("test.Service/Echo")
      .setRequestMarshaller(STRINGS).setResponseMarshaller(STRINGS).build();

  /** Tasks run only by {@link #runAll()}; {@link #shutdown()} makes it refuse, as a stopped executor does. */
  static final class ManualExecutor implements Executor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    boolean refusing;

    @Override
    public void execute(Runnable task) {
      if (refusing) {
        throw new RejectedExecutionException("shut down");
      }
      tasks.add(task);
    }

    void shutdown() {
      refusing = true;
    }

    int queued() {
      return tasks.size();
    }

    /** Runs one task; false when none was queued. */
    boolean runOne() {
      Runnable task = tasks.poll();
      if (task == null) {
        return false;
      }
      task.run();
      return true;
    }

    /** Runs tasks, including those they queue, until none is left; how many ran. */
    int runAll() {
      int n = 0;
      while (runOne()) {
        n++;
      }
      return n;
    }
  }

  /** A channel of {@link FakeCall}s; {@link #onStart} runs inside each call's start. */
  static final class FakeChannel extends Channel {
    final List<FakeCall> calls = new ArrayList<>();
    Consumer<FakeCall> onStart = call -> { };
    /** Runs inside each call's sendMessage, before the message is recorded (it may throw). */
    Consumer<FakeCall> onSend = call -> { };
    RuntimeException newCallFails;

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      if (newCallFails != null) {
        throw newCallFails;
      }
      FakeCall call = new FakeCall(this, options);
      calls.add(call);
      @SuppressWarnings("unchecked")
      ClientCall<Q, R> typed = (ClientCall<Q, R>) call;
      return typed;
    }

    @Override
    public String authority() {
      return "fake";
    }

    FakeCall call(int i) {
      return calls.get(i);
    }
  }

  /** Records what happens to it; closes only through {@link #close}, or when cancelled (as grpc-java does). */
  static final class FakeCall extends ClientCall<String, String> {
    final FakeChannel channel;
    final CallOptions options;
    final List<String> ops = new ArrayList<>();
    Listener<String> listener;
    String startedIn;
    int stackDepthAtStart;
    Thread startThread;
    boolean cancelled;
    boolean closed;

    FakeCall(FakeChannel channel, CallOptions options) {
      this.channel = channel;
      this.options = options;
    }

    @Override
    public void start(Listener<String> responseListener, Metadata headers) {
      listener = responseListener;
      startedIn = CALLER.get();
      startThread = Thread.currentThread();
      stackDepthAtStart = startThread.getStackTrace().length;
      ops.add("start");
      channel.onStart.accept(this);
    }

    @Override
    public void request(int numMessages) {
      ops.add("request " + numMessages);
    }

    @Override
    public void cancel(String message, Throwable cause) {
      ops.add("cancel");
      cancelled = true;
      close(Status.CANCELLED.withDescription(message).withCause(cause));
    }

    @Override
    public void halfClose() {
      if (cancelled) {
        throw new IllegalStateException("call was cancelled");
      }
      ops.add("halfClose");
    }

    @Override
    public void sendMessage(String message) {
      if (cancelled) {
        throw new IllegalStateException("call was cancelled");
      }
      channel.onSend.accept(this);
      ops.add("send " + message);
    }

    /** Delivers a message to the listener. */
    void respond(String message) {
      listener.onMessage(message);
    }

    /** Closes the call once, as grpc-java does (a second close is ignored). */
    void close(Status status) {
      if (closed || listener == null) {
        return;
      }
      closed = true;
      listener.onClose(status, new Metadata());
    }
  }

  /** Records every close it gets. */
  static final class RecordingListener extends ClientCall.Listener<String> {
    final List<Status> closes = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    Thread closeThread;

    @Override
    public void onMessage(String message) {
      messages.add(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      closes.add(status);
      closeThread = Thread.currentThread();
    }

    Status onlyClose() {
      if (closes.size() != 1) {
        throw new AssertionError("expected one close, got " + closes);
      }
      return closes.get(0);
    }
  }

  /** An owner that keeps its calls in a real {@link OpenCalls}; {@link #shutDown} makes it refuse new ones. */
  static final class FakeOwner implements CallOwner {
    final OpenCalls calls = new OpenCalls();
    int rejected;
    int closedCount;
    boolean shutDown;

    @Override
    public OpenCalls.Entry opened(LimitedCall<?, ?> call, boolean sweptDeadline) {
      return shutDown ? null : calls.add(call, sweptDeadline ? 0 : Long.MAX_VALUE);
    }

    @Override
    public void closed(OpenCalls.Entry entry) {
      closedCount++;
      calls.remove(entry);
    }

    @Override
    public void rejected() {
      rejected++;
    }

    @Override
    public Status shutdownStatus() {
      return Status.UNAVAILABLE.withDescription("alias 'a' was disconnected");
    }
  }
}
