package io.github.reactivemilvus;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NegotiationType;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Builds one physical grpc-java channel for a config, on the registry's event loops. May read
 * certificate files: call it off non-blocking threads.
 */
final class ChannelFactory {
  private final EventLoops loops;
  private final Executor callbackExecutor;
  private final String userAgent;

  ChannelFactory(EventLoops loops, Executor callbackExecutor) {
    this.loops = loops;
    this.callbackExecutor = callbackExecutor;
    this.userAgent = "reactive-milvus-connections/" + ReactiveConnections.libraryVersion();
  }

  ManagedChannel build(ConnectionConfig c) {
    NettyChannelBuilder builder;
    if (c.unixSocketPath() != null) {
      if (loops.domainSocketChannelType == null) {
        throw new MilvusConnectionException(FailureKind.UNREACHABLE, null, c.address(),
            "Unix domain sockets need Netty's native epoll transport, which is not available here", null, 0, null);
      }
      builder = NettyChannelBuilder.forAddress(new DomainSocketAddress(c.unixSocketPath()))
          .channelType(loops.domainSocketChannelType);
    } else {
      builder = NettyChannelBuilder.forAddress(c.host(), c.port()).channelType(loops.socketChannelType);
    }
    builder.eventLoopGroup(loops.group)
        .offloadExecutor(loops.offload)
        .executor(callbackExecutor)
        .userAgent(userAgent)
        .maxInboundMessageSize(c.maxInboundMessageSize());
    if (c.idleTimeout() != null) {
      builder.idleTimeout(c.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    if (c.keepAlive()) {
      builder.keepAliveTime(c.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
          .keepAliveTimeout(c.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .keepAliveWithoutCalls(true);
    }
    if (c.serverName() != null) {
      builder.overrideAuthority(c.serverName());
    }
    if (c.secure()) {
      builder.negotiationType(NegotiationType.TLS).sslContext(sslContext(c));
    } else {
      builder.usePlaintext();
    }
    return builder.build();
  }

  private static SslContext sslContext(ConnectionConfig c) {
    String field = "server_pem_path";
    try {
      SslContextBuilder ssl = GrpcSslContexts.forClient();
      switch (c.tls()) {
        case CUSTOM_ROOT -> ssl.trustManager(c.serverPemPath().toFile());
        case MUTUAL -> {
          field = "ca_pem_path";
          ssl.trustManager(c.caPemPath().toFile());
          field = "client_pem_path";
          ssl.keyManager(c.clientPemPath().toFile(), c.clientKeyPath().toFile());
        }
        default -> { }
      }
      return ssl.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new MilvusConnectionException(FailureKind.TLS, null, c.address(),
          "cannot use the certificate files (" + field + " and related): " + rootMessage(e), null, 0, e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof IOException)) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
  }
}
