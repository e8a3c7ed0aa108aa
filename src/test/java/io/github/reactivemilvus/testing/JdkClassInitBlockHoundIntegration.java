package io.github.reactivemilvus.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Allows the JDK's one-time class initialisers that read a file the first time a socket is made
 * (net.properties). They run once per JVM, whichever thread gets there first; everything else
 * blocking on a non-blocking thread still fails the build.
 */
public final class JdkClassInitBlockHoundIntegration implements BlockHoundIntegration {
  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.allowBlockingCallsInside("sun.net.NetProperties", "<clinit>");
    builder.allowBlockingCallsInside("sun.net.NetProperties", "loadDefaultProperties");
  }
}
