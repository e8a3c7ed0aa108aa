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
  }
}
