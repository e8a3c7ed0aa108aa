package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.ConnectionStatus;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.ReactiveConnections;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ties the registry to the application context. Stops late: after the web server has drained
 * and stopped ({@code WebServerGracefulShutdownLifecycle} and the server's own lifecycle have
 * higher phases) and before Spring's {@code ReactorResourceFactory} (phase 0) disposes the event
 * loops the registry may share. Stopping closes the registry gracefully without blocking: new
 * calls are refused, calls in flight get {@code milvus.registry.grace-period}, then every channel,
 * loop and thread the registry created is released; Spring waits for that within
 * {@code spring.lifecycle.timeout-per-shutdown-phase}. On start, with
 * {@code milvus.registry.connect-on-startup=true}, every alias connects (concurrently, each within
 * its connect {@code timeout}) and the startup fails naming every alias that did not.
 */
final class ReactiveConnectionsLifecycle implements SmartLifecycle, DisposableBean {
  /** Below the web server's phases ({@code DEFAULT_PHASE - 2048} and {@code - 1024}), above 0. */
  static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final ReactiveConnections registry;
  private final boolean connectOnStartup;
  private volatile boolean running;

  ReactiveConnectionsLifecycle(ReactiveConnections registry, boolean connectOnStartup) {
    this.registry = registry;
    this.connectOnStartup = connectOnStartup;
  }

  @Override
  public void start() {
    if (connectOnStartup) {
      connectAll();
    }
    running = true;
  }

  private void connectAll() {
    List<String> failures = Flux.fromIterable(registry.listConnections())
        .map(ConnectionStatus::alias)
        .flatMap(alias -> registry.connect(alias).then(Mono.<String>empty())
            .onErrorResume(e -> Mono.just(e instanceof MilvusConnectionException ? e.getMessage()
                : "'" + alias + "': " + e.getClass().getName())))
        .collectList()
        .block();
    if (failures != null && !failures.isEmpty()) {
      throw new IllegalStateException("milvus.registry.connect-on-startup: " + failures.size()
          + (failures.size() == 1 ? " alias" : " aliases") + " failed to connect: " + String.join("; ", failures));
    }
  }

  @Override
  public void stop(Runnable callback) {
    running = false;
    registry.closeGracefully().subscribe(null, e -> callback.run(), callback);
  }

  @Override
  public void stop() {
    running = false;
    registry.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** Also when the context fails before it started, so that nothing the registry built survives. */
  @Override
  public void destroy() {
    registry.close();
  }
}
