package io.github.reactivemilvus.test;

import io.github.reactivemilvus.test.server.LiteVersion;
import io.github.reactivemilvus.test.server.MilvusLite;
import io.github.reactivemilvus.test.server.MilvusServer;
import io.github.reactivemilvus.test.server.MilvusServers;
import java.util.EnumMap;
import java.util.Map;

/**
 * The servers shared by a whole JVM, one per Milvus Lite release (or the one external server), started on first
 * use and stopped when the JVM exits. The JUnit extension's {@link MilvusTest.Scope#JVM} and the Spring Boot
 * service connection share them. A start failure is remembered: later tests fail at once with the same reason.
 */
public final class SharedMilvus {
  private static final Map<LiteVersion, MilvusServer> SERVERS = new EnumMap<>(LiteVersion.class);
  private static final Map<LiteVersion, RuntimeException> FAILURES = new EnumMap<>(LiteVersion.class);

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(SharedMilvus::closeAll, "milvus-test-shared-servers"));
  }

  private SharedMilvus() {
  }

  /** The JVM's server for {@code version}, started (blocking) when this is the first use. */
  public static synchronized MilvusServer get(LiteVersion version) {
    MilvusServer server = SERVERS.get(version);
    if (server != null) {
      return server;
    }
    RuntimeException failure = FAILURES.get(version);
    if (failure != null) {
      throw new IllegalStateException("the shared Milvus failed to start earlier: " + failure.getMessage(), failure);
    }
    try {
      server = MilvusServers.start(MilvusLite.options().version(version));
    } catch (RuntimeException e) {
      FAILURES.put(version, e);
      throw e;
    }
    SERVERS.put(version, server);
    return server;
  }

  private static synchronized void closeAll() {
    SERVERS.values().forEach(MilvusServer::close);
    SERVERS.clear();
  }
}
