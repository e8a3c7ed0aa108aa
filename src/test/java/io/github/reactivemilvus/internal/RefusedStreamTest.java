package io.github.reactivemilvus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.proto.CreateDatabaseRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The registry's channels leave retries to the alias's retry policy: grpc-java's own retry layer is
 * off, so a stream the server refuses (HTTP/2 {@code REFUSED_STREAM}) is not sent again behind the
 * caller's back. A raw HTTP/2 server that refuses every stream tells the two apart: grpc-java as
 * shipped sends such a call twice.
 */
class RefusedStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final AtomicInteger streams = new AtomicInteger();
  private MultiThreadIoEventLoopGroup serverLoop;
  private Channel server;
  private EventLoops loops;

  @BeforeEach
  void startRefusingServer() throws InterruptedException {
    serverLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server = new ServerBootstrap().group(serverLoop).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new SimpleChannelInboundHandler<Http2StreamFrame>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
                if (frame instanceof Http2HeadersFrame headers) {
                  streams.incrementAndGet();
                  ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(headers.stream()));
                }
              }
            });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    loops = EventLoops.create(1);
  }

  @AfterEach
  void stop() {
    server.close().syncUninterruptibly();
    serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    loops.close().block(WAIT);
  }

  private int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Test
  void aRefusedWriteIsSentOnceAndFailsUnavailable() throws InterruptedException {
    ManagedChannel channel = new ChannelFactory(loops, null, "test")
        .build(ConnectionConfig.builder().host("127.0.0.1").port(port()).build());
    try {
      assertThat(refusedCreateDatabase(channel)).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(streams.get()).isEqualTo(1);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void grpcJavaAsShippedSendsTheRefusedWriteAgain() throws InterruptedException {
    // the control: the same server makes grpc-java's transparent retry visible
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port()).usePlaintext().directExecutor().build();
    try {
      assertThat(refusedCreateDatabase(channel)).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(streams.get()).isEqualTo(2);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static Status.Code refusedCreateDatabase(ManagedChannel channel) {
    Status.Code[] code = new Status.Code[1];
    StepVerifier.create(UnaryCalls.call(channel, MilvusServiceGrpc.getCreateDatabaseMethod(),
            CreateDatabaseRequest.newBuilder().setDbName("books").build(), CallOptions.DEFAULT))
        .expectErrorSatisfies(e -> code[0] = Status.fromThrowable(e).getCode())
        .verify(WAIT);
    return code[0];
  }
}
