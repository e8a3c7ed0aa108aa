package io.github.reactivemilvus.test;

import com.google.protobuf.Message;
import io.github.reactivemilvus.proto.CheckHealthResponse;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ServerInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted Milvus for unit tests of a service's error handling, in the spirit of OkHttp's MockWebServer: a
 * loopback gRPC server speaking Milvus's protocol (every unary RPC of {@code MilvusService}) where a test
 * enqueues, per RPC, the answers to give (responses, Milvus error statuses, gRPC errors, delays, hangs) and
 * reads back the requests it received, with their headers.
 *
 * <pre>{@code
 * try (ScriptedMilvus milvus = ScriptedMilvus.start()) {
 *   milvus.enqueue(MilvusServiceGrpc.getShowCollectionsMethod(), MilvusAnswer.grpcError(Status.UNAVAILABLE));
 *   milvus.enqueue(MilvusServiceGrpc.getShowCollectionsMethod(),
 *       ShowCollectionsResponse.newBuilder().addCollectionNames("books").build());
 *   ... a registry with alias "default" -> milvus.uri() ...
 *   StepVerifier.create(client.listCollections()).expectNext(List.of("books")).verifyComplete();
 *   assertThat(milvus.requestCount(MilvusServiceGrpc.getShowCollectionsMethod())).isEqualTo(2);
 *   RecordedRequest first = milvus.takeRequest(MilvusServiceGrpc.getShowCollectionsMethod());
 *   assertThat(first.header("dbname")).isEqualTo("default");
 * }
 * }</pre>
 *
 * <p>An RPC whose queue is empty gets its default answer ({@link #setDefault}): a success (the response with
 * an OK status and nothing else) for every RPC, except Connect (an identifier and server info), GetVersion
 * ({@value #VERSION}) and CheckHealth (healthy), which a client's handshake needs. The two streaming RPCs answer
 * UNIMPLEMENTED.
 *
 * <p>Time: delays run in real time on the server's own scheduler; the client's clocks (a registry's retry
 * backoff, connect timeout and default deadline run on the registry's scheduler, a {@code VirtualTimeScheduler}
 * in a test) are the client's. Use {@link #awaitRequests} (real time) to know a call arrived before advancing
 * virtual time, or {@link #awaitRequests(MethodDescriptor, int, Duration, Runnable)} to advance it until the
 * client's next attempt arrives.
 *
 * <p>Thread-safe. Binds 127.0.0.1 on a free port; {@link #close()} stops it and waits for it.
 */
public final class ScriptedMilvus implements AutoCloseable {

  /** What GetVersion answers by default. */
  public static final String VERSION = "scripted-milvus";
  private static final Context.Key<Metadata> HEADERS = Context.key("scripted-milvus-headers");

  private final Server server;
  private final ScheduledExecutorService timer;
  private final Map<String, Deque<MilvusAnswer>> queues = new HashMap<>();
  private final Map<String, MilvusAnswer> defaults = new HashMap<>();
  private final List<RecordedRequest> received = new ArrayList<>();
  private final Map<String, Integer> taken = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  private ScriptedMilvus(int port) {
    AtomicInteger threads = new AtomicInteger();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scripted-milvus-timer-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ServiceDescriptor descriptor = MilvusServiceGrpc.getServiceDescriptor();
    ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(descriptor);
    for (MethodDescriptor<?, ?> method : descriptor.getMethods()) {
      addMethod(service, method);
    }
    ServerInterceptor recorder = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Metadata copy = new Metadata();
        copy.merge(headers);
        return Contexts.interceptCall(Context.current().withValue(HEADERS, copy), call, headers, next);
      }
    };
    try {
      this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
          .addService(ServerInterceptors.intercept(service.build(), recorder))
          .build().start();
    } catch (IOException e) {
      timer.shutdownNow();
      throw new UncheckedIOException("cannot start the scripted Milvus", e);
    }
  }

  /** Starts a server on a free 127.0.0.1 port. */
  public static ScriptedMilvus start() {
    return new ScriptedMilvus(0);
  }

  /** Starts a server on {@code port} of 127.0.0.1 (to restart one on the same address). */
  public static ScriptedMilvus start(int port) {
    return new ScriptedMilvus(port);
  }

  /** The port. */
  public int port() {
    return server.getPort();
  }

  /** {@code http://127.0.0.1:<port>}, the URI to configure a registry's alias with. */
  public String uri() {
    return "http://127.0.0.1:" + port();
  }

  /** Queues {@code response} as the next answer to {@code method}. */
  public <R extends Message> ScriptedMilvus enqueue(MethodDescriptor<?, R> method, R response) {
    return enqueue(method, MilvusAnswer.reply(response));
  }

  /** Queues {@code answer} as the next answer to {@code method}. */
  public ScriptedMilvus enqueue(MethodDescriptor<?, ?> method, MilvusAnswer answer) {
    Objects.requireNonNull(answer, "answer");
    synchronized (this) {
      queues.computeIfAbsent(method.getFullMethodName(), k -> new ArrayDeque<>()).add(answer);
    }
    return this;
  }

  /** What {@code method} answers once its queue is empty (instead of the built-in success). */
  public synchronized ScriptedMilvus setDefault(MethodDescriptor<?, ?> method, MilvusAnswer answer) {
    defaults.put(method.getFullMethodName(), Objects.requireNonNull(answer, "answer"));
    return this;
  }

  /** How many answers are still queued for {@code method}. */
  public synchronized int queued(MethodDescriptor<?, ?> method) {
    Deque<MilvusAnswer> q = queues.get(method.getFullMethodName());
    return q == null ? 0 : q.size();
  }

  /** How many calls of {@code method} arrived. */
  public synchronized int requestCount(MethodDescriptor<?, ?> method) {
    return (int) received.stream().filter(r -> r.method().equals(method.getFullMethodName())).count();
  }

  /** How many calls arrived, of any method. */
  public synchronized int requestCount() {
    return received.size();
  }

  /** Every call received so far, in arrival order. */
  public synchronized List<RecordedRequest> requests() {
    return List.copyOf(received);
  }

  /** The calls of {@code method} received so far, in arrival order. */
  public synchronized List<RecordedRequest> requests(MethodDescriptor<?, ?> method) {
    return received.stream().filter(r -> r.method().equals(method.getFullMethodName())).toList();
  }

  /**
   * The next call of {@code method} not taken yet, waiting up to 10 s for it to arrive.
   *
   * @throws AssertionError when none arrives in time
   */
  public RecordedRequest takeRequest(MethodDescriptor<?, ?> method) {
    return takeRequest(method, Duration.ofSeconds(10));
  }

  /** The next call of {@code method} not taken yet, waiting up to {@code timeout}. */
  public synchronized RecordedRequest takeRequest(MethodDescriptor<?, ?> method, Duration timeout) {
    String name = method.getFullMethodName();
    int index = taken.getOrDefault(name, 0);
    awaitLocked(name, index + 1, timeout);
    taken.put(name, index + 1);
    return requests(method).get(index);
  }

  /**
   * Waits (real time) until {@code count} calls of {@code method} arrived in total.
   *
   * @throws AssertionError when they do not arrive within {@code timeout}
   */
  public synchronized void awaitRequests(MethodDescriptor<?, ?> method, int count, Duration timeout) {
    awaitLocked(method.getFullMethodName(), count, timeout);
  }

  /**
   * Waits (real time) until {@code count} calls of {@code method} arrived in total, running {@code step} about
   * every 20 ms meanwhile: with {@code () -> time.advanceTimeBy(Duration.ofSeconds(1))} it moves a client's virtual
   * clock on until the client's next attempt (after its backoff) reaches the server, however long the client took
   * to see the previous answer.
   *
   * @throws AssertionError when they do not arrive within {@code timeout}
   */
  public void awaitRequests(MethodDescriptor<?, ?> method, int count, Duration timeout, Runnable step) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (requestCount(method) < count) {
      if (System.nanoTime() > deadline) {
        awaitRequests(method, count, Duration.ZERO);
      }
      step.run();
      synchronized (this) {
        if (requestCount(method) < count) {
          try {
            wait(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + method.getFullMethodName(), e);
          }
        }
      }
    }
  }

  private void awaitLocked(String name, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.stream().filter(r -> r.method().equals(name)).count() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("expected " + count + " call(s) of " + name + " within " + timeout + ", received: "
            + received.stream().map(RecordedRequest::methodName).toList());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + name, e);
      }
    }
  }

  /** Forgets the received calls and the queued answers (the defaults stay). */
  public synchronized void reset() {
    queues.clear();
    received.clear();
    taken.clear();
  }

  /** Stops the server (calls in flight are cancelled) and waits for it. */
  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      timer.shutdownNow();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void addMethod(ServerServiceDefinition.Builder service, MethodDescriptor<?, ?> method) {
    MethodDescriptor raw = method;
    if (method.getType() != MethodDescriptor.MethodType.UNARY) {
      service.addMethod(raw, (ServerCallHandler) (call, headers) -> {
        ((ServerCall) call).close(io.grpc.Status.UNIMPLEMENTED.withDescription("the scripted Milvus answers unary RPCs only"),
            new Metadata());
        return new ServerCall.Listener<>() { };
      });
      return;
    }
    Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getResponseMarshaller()).getMessagePrototype();
    service.addMethod(raw, ServerCalls.asyncUnaryCall((request, observer) ->
        answer(method.getFullMethodName(), prototype, (Message) request, (StreamObserver) observer)));
  }

  private void answer(String name, Message prototype, Message request, StreamObserver<Message> observer) {
    Metadata headers = HEADERS.get();
    MilvusAnswer answer;
    synchronized (this) {
      received.add(new RecordedRequest(name, request, headers == null ? new Metadata() : headers, sequence.incrementAndGet()));
      Deque<MilvusAnswer> q = queues.get(name);
      answer = q != null && !q.isEmpty() ? q.poll() : defaults.getOrDefault(name, builtInDefault(name));
      notifyAll();
    }
    if (answer.hangs()) {
      return; // grpc-java cancels the call when the client gives up
    }
    Runnable send = () -> {
      ServerCallStreamObserver<Message> call = (ServerCallStreamObserver<Message>) observer;
      if (call.isCancelled()) {
        return;
      }
      try {
        if (answer.grpcStatus() != null) {
          observer.onError(answer.grpcStatus().asRuntimeException());
        } else {
          observer.onNext(answer.response(prototype));
          observer.onCompleted();
        }
      } catch (IllegalStateException e) {
        observer.onError(io.grpc.Status.INTERNAL.withDescription("scripted answer: " + e.getMessage()).asRuntimeException());
      }
    };
    if (answer.delay().isZero()) {
      send.run();
    } else {
      timer.schedule(send, answer.delay().toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private static MilvusAnswer builtInDefault(String name) {
    if (name.equals(MilvusServiceGrpc.getConnectMethod().getFullMethodName())) {
      return MilvusAnswer.reply(ConnectResponse.newBuilder().setIdentifier(1)
          .setServerInfo(ServerInfo.newBuilder().setBuildTags(VERSION).setDeployMode("STANDALONE")).build());
    }
    if (name.equals(MilvusServiceGrpc.getGetVersionMethod().getFullMethodName())) {
      return MilvusAnswer.reply(GetVersionResponse.newBuilder().setVersion(VERSION).build());
    }
    if (name.equals(MilvusServiceGrpc.getCheckHealthMethod().getFullMethodName())) {
      return MilvusAnswer.reply(CheckHealthResponse.newBuilder().setIsHealthy(true).build());
    }
    return MilvusAnswer.milvusStatus(io.github.reactivemilvus.proto.Status.getDefaultInstance());
  }

  @Override
  public String toString() {
    return "ScriptedMilvus[" + uri() + "]";
  }
}
