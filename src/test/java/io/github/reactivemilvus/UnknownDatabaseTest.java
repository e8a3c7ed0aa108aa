package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * An alias whose {@code db_name} names no database fails at connect as
 * {@link FailureKind#DATABASE_NOT_FOUND}, not at its first call as a server error. Milvus Lite
 * accepts the Connect of any database and answers the first database-scoped call with code 1
 * ("database 'x' does not exist"); Milvus 2.3.5 refuses the Connect with code 800 (see
 * {@link MilvusStandaloneAuthTest}).
 */
@ExtendWith(MilvusLiteExtension.class)
class UnknownDatabaseTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private ReactiveConnections registry;
  private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
  private Disposable subscription;

  @BeforeEach
  void setUp() {
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    subscription = registry.events().subscribe(events::add);
  }

  @AfterEach
  void tearDown() {
    subscription.dispose();
    registry.close();
  }

  @Test
  void anUnknownDatabaseOnMilvusLiteFailsTheConnectAsDatabaseNotFound(MilvusLiteServer server) {
    registry.addConnection("nodb", Map.of("uri", server.uri(), "db_name", "no_such_database")).block(WAIT);

    StepVerifier.create(registry.channel("nodb"))
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(MilvusConnectionException.class);
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).as(m.getMessage()).isEqualTo(FailureKind.DATABASE_NOT_FOUND);
          assertThat(m.serverCode()).isEqualTo(1);
          assertThat(m.getMessage()).contains("database not found", "no_such_database", "'nodb'");
        })
        .verify(WAIT);
    assertThat(registry.hasConnection("nodb")).isFalse();
    assertThat(events).noneMatch(e -> e.alias().equals("nodb") && e.type() == ConnectionEvent.Type.RETRYING);
  }

  @Test
  void anExistingDatabaseStillConnectsAndItsCallsWork(MilvusLiteServer server) {
    String db = "db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    registry.addConnection("lite", Map.of("uri", server.uri())).block(WAIT);
    registry.stub("lite").createDatabase(db).block(WAIT);
    try {
      registry.addConnection("in-db", Map.of("uri", server.uri(), "db_name", db)).block(WAIT);
      StepVerifier.create(registry.stub("in-db").showCollections()).expectNext(List.of()).verifyComplete();
      assertThat(registry.hasConnection("in-db")).isTrue();
    } finally {
      registry.stub("lite").dropDatabase(db).block(WAIT);
    }
  }

  @Test
  void theDefaultDatabaseNamedExplicitlyConnects(MilvusLiteServer server) {
    registry.addConnection("default-db", Map.of("uri", server.uri(), "db_name", "default")).block(WAIT);
    StepVerifier.create(registry.stub("default-db").getVersion())
        .expectNext(MilvusLiteServer.EXPECTED_VERSION).verifyComplete();
  }
}
