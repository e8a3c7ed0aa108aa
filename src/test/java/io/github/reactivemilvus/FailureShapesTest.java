package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.internal.ChannelFactory;
import io.github.reactivemilvus.internal.EventLoops;
import io.github.reactivemilvus.internal.UnaryCalls;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.testing.HttpPortServer;
import io.github.reactivemilvus.testing.TestCertificates;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import io.github.reactivemilvus.testing.FaultServer.Method;
import reactor.test.StepVerifier;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failures grpc-java and Netty report for real network faults, made by real channels (built as
 * the registry builds them) against real servers, and how each is classified: by exception type and
 * status code, whatever the words (a DNS failure is UNREACHABLE whatever the host name). Each row
 * states the kind, whether a read is retried, whether a connect retries it, and whether a plaintext
 * connect probes the port for TLS before deciding.
 */
class FailureShapesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static EventLoops loops;
  private static MultiThreadIoEventLoopGroup serverLoop;
  private static TestCertificates certs;
  private static FaultServer tls;
  private static FaultServer plainServer;
  private static FaultServer mutual;
  private static HttpPortServer http;

  @BeforeAll
  static void start() {
    loops = EventLoops.create(1);
    serverLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    certs = TestCertificates.get();
    tls = FaultServer.builder().tls(certs).start();
    plainServer = FaultServer.start();
    mutual = FaultServer.builder().tls(certs).clientCa(certs.caCert()).start();
    http = HttpPortServer.start();
  }

  @AfterAll
  static void stop() {
    tls.close();
    plainServer.close();
    mutual.close();
    http.close();
    loops.close().block(WAIT);
    serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One real failure and what it must be classified as. */
  record Shape(String name, Supplier<Throwable> failure, FailureKind kind, boolean readRetried, boolean connectRetried,
      Boolean tlsProbe) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Shape> shapes() {
    return List.of(
        new Shape("DNS failure", () -> fail(host("no-such-host.invalid")), FailureKind.UNREACHABLE, true, true, false),
        new Shape("DNS failure of a name with ssl in it", () -> fail(host("no-such-ssl-host.invalid")),
            FailureKind.UNREACHABLE, true, true, false),
        new Shape("DNS failure of a name with tls in it", () -> fail(host("tls.no-such-host.invalid")),
            FailureKind.UNREACHABLE, true, true, false),
        new Shape("connection refused", () -> fail(plain(FreePorts.closedPort())), FailureKind.UNREACHABLE, true, true, false),
        new Shape("TLS, root that did not sign the server certificate", () -> fail(ConnectionConfig.builder()
            .uri("https://localhost:" + tls.port()).serverPemPath(certs.wrongCaCert()).build()), FailureKind.TLS, false, false, false),
        new Shape("TLS, no client certificate for a mutual-TLS server", () -> fail(ConnectionConfig.builder()
            .uri("https://localhost:" + mutual.port()).serverPemPath(certs.caCert()).build()), FailureKind.TLS, false, false, false),
        new Shape("TLS handshake that times out (a server that accepts and says nothing)",
            () -> failOnTls(rawServer(ctx -> { })), FailureKind.UNREACHABLE, true, true, null),
        new Shape("TLS client to a plaintext server", () -> fail(ConnectionConfig.builder()
            .uri("https://localhost:" + plainServer.port()).serverPemPath(certs.caCert()).build()), FailureKind.TLS, false, false, false),
        // the kind is decided by the TLS probe during a connect (see TlsConnectTest); alone it is a closed connection
        new Shape("plaintext client to a TLS server", () -> fail(plain(tls.port())), FailureKind.UNREACHABLE, true, true, true),
        new Shape("HTTP/1 port", () -> fail(plain(http.port())), FailureKind.NOT_MILVUS, false, false, true),
        new Shape("GOAWAY NO_ERROR, then close", () -> failOn(h2Server(ctx -> goAway(ctx, Http2Error.NO_ERROR))),
            FailureKind.UNREACHABLE, true, true, true),
        new Shape("GOAWAY ENHANCE_YOUR_CALM too_many_pings, then close",
            () -> failOn(h2Server(ctx -> goAway(ctx, Http2Error.ENHANCE_YOUR_CALM))), FailureKind.RPC, false, false, false),
        new Shape("RST_STREAM REFUSED_STREAM", () -> failOn(h2Server(ctx -> reset(ctx, Http2Error.REFUSED_STREAM))),
            FailureKind.UNREACHABLE, true, true, true),
        new Shape("RST_STREAM INTERNAL_ERROR", () -> failOn(h2Server(ctx -> reset(ctx, Http2Error.INTERNAL_ERROR))),
            FailureKind.RPC, false, false, false),
        new Shape("RST_STREAM CANCEL", () -> failOn(h2Server(ctx -> reset(ctx, Http2Error.CANCEL))),
            FailureKind.RPC, false, false, false),
        new Shape("accepted, then closed", () -> failOn(rawServer(ChannelHandlerContext::close)),
            FailureKind.UNREACHABLE, true, true, true),
        // reset while the client still connects (ConnectException) or just after (a reset read): either is unreachable
        new Shape("accepted, then reset", () -> failOn(rawServer(ctx -> {
          ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
          ctx.close();
        })), FailureKind.UNREACHABLE, true, true, null),
        new Shape("reset after the client's first bytes", () -> failOn(resetOnRead()), FailureKind.UNREACHABLE, true, true, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shapes")
  void aNetworkFailureIsClassifiedByItsTypes(Shape shape) {
    Throwable failure = shape.failure().get();
    String shown = describe(failure);
    assertThat(Failures.classify(failure, "a", "somewhere:1", false).kind()).as(shown).isEqualTo(shape.kind());
    assertThat(Failures.isRetryableCallFailure(failure)).as(shown).isEqualTo(shape.readRetried());
    assertThat(Failures.isTransientConnectFailure(failure)).as(shown).isEqualTo(shape.connectRetried());
    if (shape.tlsProbe() != null) {
      assertThat(Failures.isClosedWithoutAnswer(failure)).as(shown).isEqualTo(shape.tlsProbe());
    }
  }

  @Test
  void theLibrarysOwnFailuresAreToldApartByTheirCauses() {
    try (FaultServer server = FaultServer.start();
         ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("one", ConnectionConfig.builder().uri(server.uri()).maxConcurrentCalls(1).maxPendingCalls(0)
          .retryPolicy(io.github.reactivemilvus.config.RetryPolicy.none()).build()).block(WAIT);
      registry.channel("one").block(WAIT);
      io.github.reactivemilvus.internal.AliasChannel channel = registry.entry("one").current();
      server.hang(Method.GET_VERSION);
      var holder = getVersion(channel).toFuture();
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
      Throwable refused = getVersion(channel).then(reactor.core.publisher.Mono.<Throwable>empty())
          .onErrorResume(reactor.core.publisher.Mono::just).block(WAIT);
      assertThat(Failures.classify(refused, "one", "x", false).kind()).isEqualTo(FailureKind.CALL_LIMIT_EXCEEDED);
      assertThat(Failures.isRetryableCallFailure(refused)).isFalse();

      registry.disconnect("one").subscribe();
      Throwable afterDisconnect = getVersion(channel).then(reactor.core.publisher.Mono.<Throwable>empty())
          .onErrorResume(reactor.core.publisher.Mono::just).block(WAIT);
      assertThat(io.grpc.Status.fromThrowable(afterDisconnect).getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
      assertThat(Failures.classify(afterDisconnect, "one", "x", false).kind()).isEqualTo(FailureKind.CLOSED);
      assertThat(Failures.isRetryableCallFailure(afterDisconnect)).isFalse();
      assertThat(Failures.isTransientConnectFailure(afterDisconnect)).isFalse();
      server.release(Method.GET_VERSION);
      holder.join();
    }
  }

  @Test
  void aDnsFailureOfAHostNamedLikeTlsIsUnreachableAndRetriedByTheConnect() {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      List<ConnectionEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      reactor.core.Disposable subscription = registry.events().subscribe(events::add);
      registry.addConnection("ssl", Map.of("address", "no-such-ssl-host.invalid:19530", "timeout", 1)).block(WAIT);
      StepVerifier.create(registry.channel("ssl"))
          .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).kind()).as(e.getMessage())
              .isEqualTo(FailureKind.UNREACHABLE))
          .verify(WAIT);
      assertThat(events).anyMatch(e -> e.type() == ConnectionEvent.Type.RETRYING);
      subscription.dispose();
    }
  }

  private static reactor.core.publisher.Mono<?> getVersion(io.grpc.Channel channel) {
    return UnaryCalls.call(channel, MilvusServiceGrpc.getGetVersionMethod(), GetVersionRequest.getDefaultInstance(),
        // longer than Netty's 10 s TLS handshake timeout
        CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
  }

  private static Throwable fail(ConnectionConfig c) {
    ManagedChannel ch = new ChannelFactory(loops, null, "test").build(c);
    try {
      return getVersion(ch).map(v -> (Throwable) new AssertionError("the call succeeded"))
          .onErrorResume(reactor.core.publisher.Mono::just).block(WAIT);
    } finally {
      ch.shutdownNow();
    }
  }

  private static Throwable failOnTls(Channel server) {
    try {
      return fail(ConnectionConfig.builder().uri("https://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort())
          .serverPemPath(certs.caCert()).build());
    } finally {
      server.close().syncUninterruptibly();
    }
  }

  private static Throwable failOn(Channel server) {
    try {
      return fail(plain(((InetSocketAddress) server.localAddress()).getPort()));
    } finally {
      server.close().syncUninterruptibly();
    }
  }

  private static String describe(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" <- ");
    }
    return b.toString();
  }

  private static ConnectionConfig host(String name) {
    return ConnectionConfig.builder().host(name).port(19530).build();
  }

  private static ConnectionConfig plain(int port) {
    return ConnectionConfig.builder().host("127.0.0.1").port(port).build();
  }

  private static void goAway(ChannelHandlerContext ctx, Http2Error error) {
    ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(error,
        Unpooled.copiedBuffer("too_many_pings", java.nio.charset.StandardCharsets.US_ASCII))).addListener(f -> ctx.close());
  }

  private static void reset(ChannelHandlerContext ctx, Http2Error error) {
    ctx.writeAndFlush(new DefaultHttp2ResetFrame(error).stream(ctx.channel().attr(STREAM).get()));
  }

  private static final io.netty.util.AttributeKey<io.netty.handler.codec.http2.Http2FrameStream> STREAM =
      io.netty.util.AttributeKey.valueOf("failure-shapes-stream");

  /** A raw HTTP/2 server (no gRPC) that runs {@code onHeaders} for the first HEADERS frame of each stream. */
  private static Channel h2Server(Consumer<ChannelHandlerContext> onHeaders) {
    return bind(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new SimpleChannelInboundHandler<Http2StreamFrame>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
            if (frame instanceof Http2HeadersFrame headers) {
              ctx.channel().attr(STREAM).set(headers.stream());
              onHeaders.accept(ctx);
            }
          }
        });
      }
    });
  }

  /** Accepts a TCP connection and runs {@code onActive} at once. */
  private static Channel rawServer(Consumer<ChannelHandlerContext> onActive) {
    return bind(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        onActive.accept(ctx);
      }
    });
  }

  /** Accepts a TCP connection and resets it when the client's first bytes arrive. */
  private static Channel resetOnRead() {
    return bind(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        io.netty.util.ReferenceCountUtil.release(msg);
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        ctx.close();
      }
    });
  }

  private static Channel bind(io.netty.channel.ChannelHandler child) {
    try {
      return new ServerBootstrap().group(serverLoop).channel(NioServerSocketChannel.class).childHandler(child)
          .bind("127.0.0.1", 0).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
