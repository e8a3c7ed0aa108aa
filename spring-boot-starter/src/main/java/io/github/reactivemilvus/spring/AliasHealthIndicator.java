package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.ConnectionEvent;
import io.github.reactivemilvus.ConnectionStatus;
import io.github.reactivemilvus.FailureKind;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.ServerHealth;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Health of one alias: connects it if needed, reads {@code GetVersion}, then times a
 * {@code CheckHealth} call. The whole check is bounded by {@code milvus.health.timeout}; running
 * out of it is reported as {@link FailureKind#UNREACHABLE} (no answer within the timeout) and
 * cancels the check. Details: {@code address}, {@code state}, {@code version},
 * {@code latency-ms} (the CheckHealth round trip), and when down {@code kind} and
 * {@code message} (never a secret). A server that answers GetVersion or CheckHealth with
 * UNIMPLEMENTED (Milvus Lite 2.5) is up: it answered; the version shows as {@code unknown} and
 * {@code health-check} says {@code unsupported by the server}. Never blocks.
 */
final class AliasHealthIndicator implements ReactiveHealthIndicator {
  /** The version shown for a server that does not implement GetVersion. */
  static final String UNKNOWN_VERSION = "unknown";

  private final ReactiveConnections registry;
  private final String alias;
  private final Duration timeout;

  AliasHealthIndicator(ReactiveConnections registry, String alias, Duration timeout) {
    this.registry = registry;
    this.alias = alias;
    this.timeout = timeout;
  }

  @Override
  public Mono<Health> health() {
    return Mono.defer(() -> {
      // the last retried failure of this check, to say why it ran out of time
      AtomicReference<String> lastFailure = new AtomicReference<>();
      Disposable failures = registry.events()
          .filter(e -> e.alias().equals(alias) && !e.message().isEmpty()
              && (e.type() == ConnectionEvent.Type.RETRYING || e.type() == ConnectionEvent.Type.FAILED))
          .subscribe(e -> lastFailure.set(e.message()));
      MilvusStub stub = registry.stub(alias).withDeadline(timeout);
      return stub.getVersion()
          .onErrorResume(AliasHealthIndicator::isUnimplemented, e -> Mono.just(UNKNOWN_VERSION))
          .flatMap(version -> {
            long start = System.nanoTime();
            return stub.checkHealth().map(r -> healthy(r, version, (System.nanoTime() - start) / 1_000_000))
                .onErrorResume(AliasHealthIndicator::isUnimplemented,
                    e -> Mono.just(withConnection(Health.up()).withDetail("version", version)
                        .withDetail("health-check", "unsupported by the server")
                        .withDetail("latency-ms", (System.nanoTime() - start) / 1_000_000).build()));
          })
          .timeout(timeout)
          .onErrorResume(e -> down(e, lastFailure.get()))
          .doFinally(s -> failures.dispose());
    });
  }

  /**
   * UNIMPLEMENTED for a call after a successful Connect: the server answered, it lacks the method
   * (an UNIMPLEMENTED Connect fails as NOT_MILVUS instead).
   */
  private static boolean isUnimplemented(Throwable e) {
    return e instanceof MilvusConnectionException m && m.kind() == FailureKind.RPC && m.grpcStatus() != null
        && m.grpcStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED;
  }

  private Health healthy(ServerHealth response, String version, long latencyMillis) {
    Health.Builder b = response.healthy() ? Health.up() : Health.down()
        .withDetail("kind", FailureKind.SERVER_STATUS.name())
        .withDetail("message", "the server reports itself unhealthy")
        .withDetail("reasons", response.reasons());
    return withConnection(b).withDetail("version", version).withDetail("latency-ms", latencyMillis).build();
  }

  private Mono<Health> down(Throwable e, String lastFailure) {
    Health.Builder b = Health.down();
    if (e instanceof TimeoutException) {
      b.withDetail("kind", FailureKind.UNREACHABLE.name())
          .withDetail("message", "no answer within milvus.health.timeout (" + timeout.toMillis() + " ms)"
              + (lastFailure != null ? "; last attempt: " + lastFailure : ""));
    } else if (e instanceof MilvusConnectionException m) {
      b.withDetail("kind", m.kind().name()).withDetail("message", m.detail().isEmpty() ? m.kind().description() : m.detail());
    } else {
      // not a library failure: its message is not known to be free of secrets
      b.withDetail("kind", FailureKind.RPC.name()).withDetail("message", e.getClass().getName());
    }
    return Mono.just(withConnection(b).build());
  }

  private Health.Builder withConnection(Health.Builder b) {
    for (ConnectionStatus s : registry.listConnections()) {
      if (s.alias().equals(alias)) {
        b.withDetail("address", s.info().address()).withDetail("state", s.state().wireName());
      }
    }
    return b;
  }
}
