package io.github.reactivemilvus.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Holder of one server shared by all test classes of a test run: stored in the root
 * {@link ExtensionContext} store, closed by JUnit when the whole run ends. A start failure is
 * remembered, so every later test fails fast with the same reason instead of retrying.
 *
 * <p>Implements both {@code CloseableResource} and {@code AutoCloseable} so every JUnit 5 version
 * closes it; closing is idempotent.
 *
 * <p>Thread-safe: the root store computes the holder once; {@link #get()} is synchronized.
 */
final class SharedServer<T extends AutoCloseable> implements ExtensionContext.Store.CloseableResource, AutoCloseable {

  private final Supplier<T> starter;
  private T server;
  private RuntimeException failure;

  private SharedServer(Supplier<T> starter) {
    this.starter = starter;
  }

  @SuppressWarnings("unchecked")
  static <T extends AutoCloseable> T get(ExtensionContext context, Class<T> type, Supplier<T> starter) {
    ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedServer.class));
    SharedServer<T> holder = (SharedServer<T>) store.getOrComputeIfAbsent(type, k -> new SharedServer<>(starter));
    return holder.get();
  }

  synchronized T get() {
    if (server != null) {
      return server;
    }
    if (failure != null) {
      throw new IllegalStateException("shared test server failed to start earlier: " + failure.getMessage(), failure);
    }
    try {
      server = starter.get();
      return server;
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public synchronized void close() throws Exception {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
