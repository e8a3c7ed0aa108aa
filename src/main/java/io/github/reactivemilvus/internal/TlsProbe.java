package io.github.reactivemilvus.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * Tells whether a TCP endpoint speaks TLS. A plaintext HTTP/2 client connecting to a TLS server
 * sees only a closed or reset connection (the server drops what is not a TLS record without an
 * answer), which is indistinguishable from a server or proxy that closes connections for other
 * reasons. This probe sends a TLS ClientHello on a separate connection and reports whether the
 * first bytes back are a TLS record (handshake {@code 0x16} or alert {@code 0x15}, version major
 * {@code 0x03}). The handshake is never completed and no certificate is ever trusted.
 *
 * <p>The ClientHello is made and the host resolved on the bounded-elastic scheduler; the
 * connection runs on the registry's event loops. Any failure (refused, closed, timeout) means "no".
 */
@Internal
public final class TlsProbe {
  private static final int TLS_ALERT = 0x15;
  private static final int TLS_HANDSHAKE = 0x16;
  private static final int TLS_MAJOR_VERSION = 0x03;
  private static volatile @Nullable SSLContext context;

  private TlsProbe() {}

  /**
   * Emits whether {@code host:port} answers a ClientHello with a TLS record, on subscription. {@code limit}
   * bounds the TCP connect and, separately, the wait for the first bytes; reaching it emits false, never an
   * error. Cancelling closes the probe connection.
   */
  public static Mono<Boolean> speaksTls(EventLoops loops, String host, int port, Duration limit) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit.toMillis()));
    return Mono.fromCallable(() -> new Target(new InetSocketAddress(host, port), clientHello(host, port)))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(target -> Mono.<Boolean>create(sink -> {
          Sniffer sniffer = new Sniffer(sink, target.hello, millis);
          ChannelFuture connect = new Bootstrap()
              .group(loops.group)
              .channel(loops.socketChannelType)
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis)
              .handler(sniffer)
              .connect(target.address);
          connect.addListener(f -> {
            if (!f.isSuccess()) {
              sink.success(false);
            }
          });
          sink.onDispose(() -> connect.channel().close());
        }))
        .onErrorReturn(false);
  }

  private record Target(InetSocketAddress address, byte[] hello) {}

  private static byte[] clientHello(String host, int port) throws Exception {
    SSLEngine engine = sslContext().createSSLEngine(host, port);
    engine.setUseClientMode(true);
    engine.beginHandshake();
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
    if (result.bytesProduced() == 0) {
      throw new IllegalStateException("no ClientHello produced");
    }
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    engine.closeOutbound();
    return bytes;
  }

  private static SSLContext sslContext() throws Exception {
    SSLContext c = context;
    if (c == null) {
      c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {new TrustNothing()}, null);
      context = c;
    }
    return c;
  }

  /** The probe never finishes a handshake; should it ever be asked, it trusts nothing. */
  private static final class TrustNothing implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("TLS probe trusts no certificate");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("TLS probe trusts no certificate");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** Writes the ClientHello, then judges the first two bytes of the answer. Event loop only. */
  private static final class Sniffer extends ChannelInboundHandlerAdapter {
    private final MonoSink<Boolean> sink;
    private final byte[] hello;
    private final int millis;
    private final byte[] head = new byte[2];
    private int received;
    private boolean done;
    private io.netty.util.concurrent.@Nullable Future<?> timer;

    Sniffer(MonoSink<Boolean> sink, byte[] hello, int millis) {
      this.sink = sink;
      this.hello = hello;
      this.millis = millis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      timer = ctx.executor().schedule(() -> finish(ctx, false), millis, TimeUnit.MILLISECONDS);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(hello));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (!done && msg instanceof ByteBuf in) {
          while (received < head.length && in.isReadable()) {
            head[received++] = in.readByte();
          }
          if (received == head.length) {
            int type = head[0] & 0xff;
            finish(ctx, (type == TLS_HANDSHAKE || type == TLS_ALERT) && (head[1] & 0xff) == TLS_MAJOR_VERSION);
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      finish(ctx, false);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      finish(ctx, false);
    }

    private void finish(ChannelHandlerContext ctx, boolean tls) {
      if (done) {
        return;
      }
      done = true;
      if (timer != null) {
        timer.cancel(false);
      }
      sink.success(tls);
      ctx.close();
    }
  }
}
