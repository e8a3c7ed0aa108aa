package io.github.reactivemilvus.internal;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.TlsMode;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NegotiationType;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Builds one physical grpc-java channel for a config, on the registry's event loops. May read
 * certificate files: call it off non-blocking threads.
 */
@Internal
public final class ChannelFactory {
  private final EventLoops loops;
  private final @Nullable Executor callbackExecutor;
  private final String userAgent;
  /** Builds every channel instead of Netty when set: tests run the registry over grpc-java's in-process transport. */
  private final @Nullable Function<ConnectionConfig, ManagedChannel> transport;
  /** The user's last word on every Netty channel builder, after the library's settings; null: none. */
  private final @Nullable Consumer<NettyChannelBuilder> customizer;

  /**
   * @param callbackExecutor where call callbacks run; null runs them directly on the event loop
   *     (grpc-java's {@code directExecutor()}, which grpc-java recognizes and serves without a
   *     serializing queue per call)
   */
  public ChannelFactory(EventLoops loops, @Nullable Executor callbackExecutor, String userAgent) {
    this(loops, callbackExecutor, userAgent, null);
  }

  /**
   * As {@link #ChannelFactory(EventLoops, Executor, String)}, with every channel built by {@code transport}
   * when it is not null (for tests: an in-process channel); null builds Netty channels.
   */
  public ChannelFactory(EventLoops loops, @Nullable Executor callbackExecutor, String userAgent,
      @Nullable Function<ConnectionConfig, ManagedChannel> transport) {
    this(loops, callbackExecutor, userAgent, transport, null);
  }

  /**
   * As {@link #ChannelFactory(EventLoops, Executor, String, Function)}, with {@code customizer}, when not
   * null, applied to every Netty channel builder after the library's settings and before the channel is
   * built (it runs on the thread that builds the channel, an event loop for a plaintext connect).
   */
  public ChannelFactory(EventLoops loops, @Nullable Executor callbackExecutor, String userAgent,
      @Nullable Function<ConnectionConfig, ManagedChannel> transport, @Nullable Consumer<NettyChannelBuilder> customizer) {
    this.customizer = customizer;
    this.loops = loops;
    this.callbackExecutor = callbackExecutor;
    this.userAgent = userAgent;
    this.transport = transport;
  }

  /**
   * Builds one idle channel for {@code c} (it connects when first used). With TLS it reads the PEM files or
   * the JVM's trust store, so call it where blocking is allowed. Throws {@link TransportException} when the
   * TLS material is unusable or Unix sockets are not available.
   */
  public ManagedChannel build(ConnectionConfig c) {
    return build(c, c.secure() ? sslContext(c) : null);
  }

  /**
   * {@code count} idle channels for {@code c}, as {@link #build(ConnectionConfig)} makes them, sharing one TLS
   * context (the PEM files are read once); none is left open when one cannot be built.
   */
  public ManagedChannel[] build(ConnectionConfig c, int count) {
    @Nullable SslContext ssl = c.secure() ? sslContext(c) : null;
    ManagedChannel[] channels = new ManagedChannel[count];
    try {
      for (int i = 0; i < count; i++) {
        channels[i] = build(c, ssl);
      }
    } catch (RuntimeException | Error e) {
      shutdownNow(channels);
      throw e;
    }
    return channels;
  }

  /** Shuts down every channel of {@code channels} that is there (null entries are skipped). */
  static void shutdownNow(ManagedChannel[] channels) {
    for (ManagedChannel channel : channels) {
      if (channel != null) {
        channel.shutdownNow();
      }
    }
  }

  private ManagedChannel build(ConnectionConfig c, @Nullable SslContext ssl) {
    if (transport != null) {
      return transport.apply(c);
    }
    NettyChannelBuilder builder;
    if (c.unixSocketPath() != null) {
      if (loops.domainSocketChannelType == null) {
        throw new TransportException(TransportException.Reason.UNREACHABLE, c.address(),
            "Unix domain sockets need Netty's native epoll transport, which is not available here", null);
      }
      builder = NettyChannelBuilder.forAddress(new DomainSocketAddress(c.unixSocketPath()))
          .channelType(loops.domainSocketChannelType);
    } else if (c.endpoints().size() > 1) {
      // several proxies: one address group each, calls spread round-robin over the ready ones
      builder = NettyChannelBuilder.forTarget(EndpointListResolver.SCHEME + ":///" + c.host() + ":" + c.port())
          .nameResolverFactory(EndpointListResolver.factory(c.endpoints(), c.serverName()))
          .defaultLoadBalancingPolicy("round_robin")
          .channelType(loops.socketChannelType);
    } else {
      builder = NettyChannelBuilder.forAddress(c.host(), c.port()).channelType(loops.socketChannelType);
    }
    builder.eventLoopGroup(loops.group)
        .offloadExecutor(loops.offload)
        .userAgent(userAgent)
        .maxInboundMessageSize(c.maxInboundMessageSize())
        // retries are the alias's retry policy, one layer only; grpc-java's own retry machinery
        // (RetriableStream on every call, for transparent retries) costs about a tenth of the
        // throughput with many calls in flight
        .disableRetry();
    if (callbackExecutor == null) {
      builder.directExecutor();
    } else {
      builder.executor(callbackExecutor);
    }
    if (c.idleTimeout() != null) {
      builder.idleTimeout(c.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
    if (c.keepAlive()) {
      // Pings only while calls are open. gRPC's C-core servers (grpcio: Milvus Lite) allow one ping
      // per 2 h on a connection without calls and answer more with GOAWAY too_many_pings; with calls
      // open they strike a ping that comes less than 5 min after the last one with nothing sent in
      // between, and go away at the third strike. A keepalive ping comes after keepAliveTime without
      // reads, so it never follows server data: a call that hears nothing for 3 to 4 intervals is
      // sent away (a minute or more at the default 20 s, twice the default call_timeout). A dead
      // connection is still found: a call that starts after the transport was quiet longer than
      // keepAliveTime pings at once (grpc-java's KeepAliveManager keeps its clock across idle), one
      // in flight pings after keepAliveTime without reads; either way no ack within keepAliveTimeout
      // closes the transport.
      builder.keepAliveTime(c.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
          .keepAliveTimeout(c.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .keepAliveWithoutCalls(false);
    }
    if (c.serverName() != null) {
      builder.overrideAuthority(c.serverName());
    }
    if (c.secure()) {
      builder.negotiationType(NegotiationType.TLS).sslContext(ssl);
    } else {
      builder.usePlaintext();
    }
    if (customizer != null) {
      customizer.accept(builder);
    }
    return builder.build();
  }

  /**
   * Whether the config's TCP endpoint answers a TLS ClientHello with a TLS record (see
   * {@link TlsProbe}); false for Unix sockets.
   */
  public Mono<Boolean> speaksTls(ConnectionConfig c, Duration limit) {
    if (c.unixSocketPath() != null) {
      return Mono.just(false);
    }
    return TlsProbe.speaksTls(loops, Objects.requireNonNull(c.host(), "host"), c.port(), limit);
  }

  /**
   * Reads the certificate files (blocking file I/O: callers run on a blocking-capable scheduler).
   * A file whose content cannot be used fails as {@link TransportException.Reason#TLS} naming the config key and
   * the file, never as a raw exception.
   */
  private static SslContext sslContext(ConnectionConfig c) {
    SslContextBuilder ssl = GrpcSslContexts.forClient();
    switch (c.tls()) {
      // the config's TLS rules made sure the mode's files are set
      case CUSTOM_ROOT -> trust(ssl, c, "server_pem_path", Objects.requireNonNull(c.serverPemPath(), "server_pem_path"));
      case MUTUAL -> {
        trust(ssl, c, "ca_pem_path", Objects.requireNonNull(c.caPemPath(), "ca_pem_path"));
        Path pem = Objects.requireNonNull(c.clientPemPath(), "client_pem_path");
        Path privateKey = Objects.requireNonNull(c.clientKeyPath(), "client_key_path");
        try {
          ssl.keyManager(pem.toFile(), privateKey.toFile());
        } catch (RuntimeException e) {
          boolean key = String.valueOf(e.getMessage()).contains("private key");
          throw unusable(c, key ? "client_key_path" : "client_pem_path",
              key ? privateKey : pem, key ? "no usable PKCS#8 PEM private key" : "no usable PEM certificate", e);
        }
      }
      default -> { }
    }
    try {
      return ssl.build();
    } catch (SSLException | RuntimeException e) {
      String keys = c.tls() == TlsMode.MUTUAL ? "client_pem_path / client_key_path / ca_pem_path"
          : c.tls() == TlsMode.CUSTOM_ROOT ? "server_pem_path" : "system trust roots";
      throw new TransportException(TransportException.Reason.TLS, c.address(), "cannot set up TLS from " + keys + ": " + rootMessage(e), e);
    }
  }

  private static void trust(SslContextBuilder ssl, ConnectionConfig c, String key, Path file) {
    try {
      ssl.trustManager(file.toFile());
    } catch (RuntimeException e) {
      throw unusable(c, key, file, "no usable PEM certificate", e);
    }
  }

  private static TransportException unusable(ConnectionConfig c, String key, Path file, String what, Throwable e) {
    return new TransportException(TransportException.Reason.TLS, c.address(),
        "cannot use " + key + " (" + file + "): " + what + " (" + rootMessage(e) + ")", e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && !(t instanceof IOException)) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
  }
}
