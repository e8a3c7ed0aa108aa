package io.github.reactivemilvus.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Narrow BlockHound allowances for one-time JDK initialisation that happens to run first on a
 * Netty event loop thread during tests. Registered via
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}; loaded when
 * blockhound-junit-platform installs BlockHound.
 */
public final class TestBlockHoundIntegration implements BlockHoundIntegration {

  @Override
  public void applyTo(BlockHound.Builder builder) {
    // The first socket created in the JVM initialises java.net.SocketImpl, whose static
    // initialiser loads sun.net.NetProperties, reading <java.home>/conf/net.properties once.
    // Netty creates server sockets on its event loop, so this one-time file read lands there.
    builder.allowBlockingCallsInside("java.net.SocketImpl", "usePlainSocketImpl");
    // The JDK's SSLEngineImpl guards its state with a ReentrantLock that a delegated TLS task may hold
    // for a moment; Netty's own BlockHound integration allows wrap and unwrap for that reason but not
    // closeOutbound/closeInbound, which SslHandler calls on the event loop when a handshake fails or a
    // channel closes. A lock held for a few instructions by another thread is not blocking I/O.
    builder.allowBlockingCallsInside("sun.security.ssl.SSLEngineImpl", "closeOutbound");
    builder.allowBlockingCallsInside("sun.security.ssl.SSLEngineImpl", "closeInbound");
  }
}
