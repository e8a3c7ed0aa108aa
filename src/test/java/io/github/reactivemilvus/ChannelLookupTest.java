package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@code channel(alias)} looks the alias up when it is subscribed: a kept {@code Mono} follows the
 * alias's current registration, and a connected alias's channel is delivered only on demand.
 */
class ChannelLookupTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private FaultServer server;
  private ReactiveConnections registry;

  @BeforeEach
  void setUp() {
    server = FaultServer.builder().databases("one", "two").start();
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("a", Map.of("uri", server.uri(), "db_name", "one")).block(WAIT);
  }

  @AfterEach
  void tearDown() {
    registry.close();
    server.close();
  }

  @Test
  void aKeptMonoFollowsTheAliasWhenItIsRemovedAndAddedAgain() {
    Mono<ManagedChannel> kept = registry.channel("a");
    ManagedChannel first = kept.block(WAIT);
    assertThat(kept.block(WAIT)).isSameAs(first);

    registry.removeConnection("a").block(WAIT);
    StepVerifier.create(kept)
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).kind()).isEqualTo(FailureKind.UNKNOWN_ALIAS))
        .verify(WAIT);

    registry.addConnection("a", Map.of("uri", server.uri(), "db_name", "two")).block(WAIT);
    ManagedChannel second = kept.block(WAIT);
    assertThat(second).isNotSameAs(first);
    assertThat(first.isShutdown()).isTrue();
    registry.stub("a").getVersion().block(WAIT);
    assertThat(server.lastHeaders(Method.GET_VERSION).get(io.github.reactivemilvus.internal.AliasChannel.DBNAME))
        .isEqualTo("two");
  }

  @Test
  void aMonoMadeForAnUnknownAliasFindsItOnceItIsAdded() {
    Mono<ManagedChannel> early = registry.channel("later");
    StepVerifier.create(early)
        .expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).kind()).isEqualTo(FailureKind.UNKNOWN_ALIAS))
        .verify(WAIT);
    registry.addConnection("later", Map.of("uri", server.uri())).block(WAIT);
    assertThat(early.block(WAIT)).isNotNull();
  }

  @Test
  void aConnectedAliasDeliversItsChannelOnlyWhenRequested() {
    ManagedChannel channel = registry.channel("a").block(WAIT);
    StepVerifier.create(registry.channel("a"), 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(50))
        .thenRequest(1)
        .expectNext(channel)
        .verifyComplete();
  }
}
