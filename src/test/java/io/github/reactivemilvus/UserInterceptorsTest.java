package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user's interceptors (per registry, per alias) and channel customizer: the order they run in
 * relative to the alias's headers, and that they are on every channel of a pool. The FaultServer
 * records each call's headers.
 */
class UserInterceptorsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Metadata.Key<String> ORDER = Metadata.Key.of("x-order", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> CHANNEL = Metadata.Key.of("x-channel", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> DBNAME = Metadata.Key.of("dbname", Metadata.ASCII_STRING_MARSHALLER);
  private static FaultServer server;
  /** What each interceptor saw of the alias's dbname header when it ran, by interceptor name. */
  private final Map<String, Set<String>> sawDbname = new ConcurrentHashMap<>();
  private final AtomicInteger built = new AtomicInteger();
  private ReactiveConnections registry;

  @BeforeAll
  static void startServer() {
    server = FaultServer.builder().databases("default", "shop", "mine").start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** Appends its name to x-order and notes whether dbname was there already. */
  private ClientInterceptor named(String name) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<Q, R>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            sawDbname.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(String.valueOf(headers.get(DBNAME)));
            headers.put(ORDER, name);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  @BeforeEach
  void setUp() {
    server.reset();
    registry = ReactiveConnections.builder().environment(Map.of())
        .interceptors(List.of(named("registry-1"), named("registry-2")))
        .aliasInterceptors(alias -> alias.equals("a") ? List.of(named("alias-a")) : null)
        .channelCustomizer(builder -> {
          String index = Integer.toString(built.getAndIncrement());
          builder.intercept(named("channel"), new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
              return new ForwardingClientCall.SimpleForwardingClientCall<Q, R>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                  headers.put(CHANNEL, index);
                  super.start(listener, headers);
                }
              };
            }
          });
        })
        .build();
  }

  @AfterEach
  void tearDown() {
    server.releaseAll();
    registry.close();
  }

  @Test
  void registryThenAliasInterceptorsRunBeforeTheAliasHeadersAndChannelInterceptorsAfter() {
    registry.addConnection("a", ConnectionConfig.builder().uri(server.uri()).dbName("shop").timeout(WAIT).build()).block(WAIT);
    registry.stub("a").getVersion().block(WAIT);

    Metadata headers = server.lastHeaders(Method.GET_VERSION);
    List<String> order = new ArrayList<>();
    headers.getAll(ORDER).forEach(order::add);
    assertThat(order).containsExactly("registry-1", "registry-2", "alias-a", "channel");
    assertThat(headers.get(DBNAME)).isEqualTo("shop");
    // the user's interceptors run before the alias's headers are added; the channel's after
    assertThat(sawDbname.get("registry-1")).containsOnly("null");
    assertThat(sawDbname.get("alias-a")).containsOnly("null");
    assertThat(sawDbname.get("channel")).containsOnly("shop");
  }

  @Test
  void aHeaderSetByAUserInterceptorIsSentAsSet() {
    try (ReactiveConnections own = ReactiveConnections.builder().environment(Map.of())
        .interceptors(List.of(new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<Q, R>(next.newCall(method, options)) {
              @Override
              public void start(Listener<R> listener, Metadata headers) {
                headers.put(DBNAME, "mine");
                super.start(listener, headers);
              }
            };
          }
        })).build()) {
      own.addConnection("x", ConnectionConfig.builder().uri(server.uri()).dbName("shop").timeout(WAIT).build()).block(WAIT);
      own.stub("x").getVersion().block(WAIT);
      assertThat(server.lastHeaders(Method.GET_VERSION).getAll(DBNAME)).containsExactly("mine");
    }
  }

  @Test
  void anAliasWithoutInterceptorsOfItsOwnGetsTheRegistrysOnly() {
    registry.addConnection("b", ConnectionConfig.builder().uri(server.uri()).timeout(WAIT).build()).block(WAIT);
    registry.stub("b").getVersion().block(WAIT);
    List<String> order = new ArrayList<>();
    server.lastHeaders(Method.GET_VERSION).getAll(ORDER).forEach(order::add);
    assertThat(order).containsExactly("registry-1", "registry-2", "channel");
  }

  @Test
  void theCustomizerIsAppliedToEveryChannelOfThePoolAndEveryCallCarriesTheInterceptors() {
    registry.addConnection("p", ConnectionConfig.builder().uri(server.uri()).poolSize(3).timeout(WAIT).build()).block(WAIT);
    registry.channel("p").block(WAIT);
    assertThat(built.get()).isEqualTo(3);
    server.hang(Method.GET_VERSION);
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      calls.add(registry.stub("p").getVersion().toFuture());
    }
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 9);
    server.release(Method.GET_VERSION);
    calls.forEach(CompletableFuture::join);

    List<Metadata> seen = server.headers(Method.GET_VERSION);
    assertThat(seen).hasSize(9);
    // least-outstanding spreading put three calls on each channel: each carried its channel's stamp
    assertThat(seen.stream().map(h -> h.get(CHANNEL)).collect(Collectors.groupingBy(c -> c, Collectors.counting())))
        .containsOnly(Map.entry("0", 3L), Map.entry("1", 3L), Map.entry("2", 3L));
    assertThat(seen).allSatisfy(h -> {
      List<String> order = new ArrayList<>();
      h.getAll(ORDER).forEach(order::add);
      assertThat(order).containsExactly("registry-1", "registry-2", "channel");
    });
  }

  @Test
  void anInterceptorsFunctionThatFailsFailsTheConnectAsAClientError() {
    try (ReactiveConnections failing = ReactiveConnections.builder().environment(Map.of())
        .aliasInterceptors(alias -> {
          throw new IllegalStateException("no interceptors today");
        }).build()) {
      failing.addConnection("f", ConnectionConfig.builder().uri(server.uri()).timeout(WAIT).build()).block(WAIT);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.channel("f").block(WAIT))
          .isInstanceOfSatisfying(MilvusConnectionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CLIENT));
      assertThat(failing.openChannels()).isZero();
    }
  }
}
