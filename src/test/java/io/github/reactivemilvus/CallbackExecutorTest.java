package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.reactivemilvus.internal.EventLoops;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.testing.FaultServer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Where call results arrive: on the event loop by default, on the user's executor when one is set. */
class CallbackExecutorTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private FaultServer server;
  private ExecutorService executor;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "user-callbacks"));
  }

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
    server.close();
  }

  private static String threadOfResult(ReactiveConnections registry) {
    return registry.stub("a").getVersion().map(v -> Thread.currentThread().getName()).block(WAIT);
  }

  @Test
  void byDefaultResultsArriveOnTheRegistrysEventLoop() {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
      assertThat(threadOfResult(registry)).startsWith(EventLoops.THREAD_PREFIX + "-loop");
    }
  }

  /**
   * Every listener callback of every call (headers, message, close, ready) and every signal a stub
   * emits runs inside a task of the user's executor, none on an event loop or anywhere else: N calls
   * made concurrently give exactly N of each kind, all seen inside a task.
   */
  @Test
  void everyCallbackOfEveryCallRunsInATaskOfTheCallbackExecutor() throws Exception {
    int calls = 20;
    ThreadLocal<Boolean> inTask = ThreadLocal.withInitial(() -> false);
    AtomicInteger tasks = new AtomicInteger();
    Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
    List<String> elsewhere = new CopyOnWriteArrayList<>();
    Consumer<String> seen = kind -> {
      if (inTask.get() && Thread.currentThread().getName().equals("user-callbacks")) {
        inside.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
      } else {
        elsewhere.add(kind + " on " + Thread.currentThread().getName());
      }
    };
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of())
        .callbackExecutor(task -> {
          tasks.incrementAndGet();
          executor.execute(() -> {
            inTask.set(true);
            try {
              task.run();
            } finally {
              inTask.set(false);
            }
          });
        }).build()) {
      registry.addConnection("a", Map.of("uri", server.uri())).block(WAIT);
      ManagedChannel channel = registry.channel("a").block(WAIT);
      int tasksBefore = tasks.get();

      // grpc-java's own listener callbacks, on calls made through the registry's channel
      MilvusServiceGrpc.MilvusServiceFutureStub futures =
          MilvusServiceGrpc.newFutureStub(ClientInterceptors.intercept(channel, new ListenerSpy(seen)));
      List<ListenableFuture<GetVersionResponse>> pending = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        pending.add(futures.getVersion(GetVersionRequest.getDefaultInstance()));
      }
      for (ListenableFuture<GetVersionResponse> f : pending) {
        assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).getVersion()).isEqualTo(FaultServer.VERSION);
      }
      // the library's stubs: what they emit arrives from those callbacks
      Flux.range(0, calls)
          .flatMap(i -> registry.stub("a").getVersion()
              .doOnNext(v -> seen.accept("stub-next"))
              .doOnSuccess(v -> seen.accept("stub-success")))
          .then().block(WAIT);

      assertThat(elsewhere).as("callbacks outside the callback executor").isEmpty();
      assertThat(inside.get("headers")).hasValue(calls);
      assertThat(inside.get("message")).hasValue(calls);
      assertThat(inside.get("close")).hasValue(calls);
      assertThat(inside.get("stub-next")).hasValue(calls);
      assertThat(inside.get("stub-success")).hasValue(calls);
      assertThat(tasks.get() - tasksBefore).as("tasks handed to the executor").isPositive();
    }
  }

  /** Reports each callback of a call's listener. */
  private record ListenerSpy(Consumer<String> seen) implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onHeaders(Metadata h) {
              seen.accept("headers");
              super.onHeaders(h);
            }

            @Override
            public void onMessage(R message) {
              seen.accept("message");
              super.onMessage(message);
            }

            @Override
            public void onClose(io.grpc.Status status, Metadata trailers) {
              seen.accept("close");
              super.onClose(status, trailers);
            }

            @Override
            public void onReady() {
              seen.accept("ready");
              super.onReady();
            }
          }, headers);
        }
      };
    }
  }
}
