package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.ConnectionStatus;
import io.github.reactivemilvus.FailureKind;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.proto.CheckHealthResponse;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * Health of one alias: connects it if needed, reads {@code GetVersion}, then times a
 * {@code CheckHealth} call. The whole check is bounded by {@code milvus.health.timeout}; running
 * out of it is reported as {@link FailureKind#UNREACHABLE} (no answer within the timeout) and
 * cancels the check. Details: {@code address}, {@code state}, {@code version},
 * {@code latency-ms} (the CheckHealth round trip), and when down {@code kind} and
 * {@code message} (never a secret). Never blocks.
 */
final class AliasHealthIndicator implements ReactiveHealthIndicator {
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
      MilvusStub stub = registry.stub(alias).withDeadline(timeout);
      return stub.getVersion().flatMap(version -> {
        long start = System.nanoTime();
        return stub.checkHealth().map(r -> healthy(r, version, (System.nanoTime() - start) / 1_000_000));
      });
    })
        .timeout(timeout)
        .onErrorResume(this::down);
  }

  private Health healthy(CheckHealthResponse response, String version, long latencyMillis) {
    Health.Builder b = response.getIsHealthy() ? Health.up() : Health.down()
        .withDetail("kind", FailureKind.SERVER_STATUS.name())
        .withDetail("message", "the server reports itself unhealthy")
        .withDetail("reasons", response.getReasonsList());
    return withConnection(b).withDetail("version", version).withDetail("latency-ms", latencyMillis).build();
  }

  private Mono<Health> down(Throwable e) {
    Health.Builder b = Health.down();
    if (e instanceof TimeoutException) {
      b.withDetail("kind", FailureKind.UNREACHABLE.name())
          .withDetail("message", "no answer within milvus.health.timeout (" + timeout.toMillis() + " ms)");
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
