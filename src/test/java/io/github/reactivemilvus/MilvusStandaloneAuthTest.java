package io.github.reactivemilvus;

import io.github.reactivemilvus.config.AuthMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.testing.MilvusStandaloneExtension;
import io.github.reactivemilvus.testing.MilvusStandaloneServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * SPEC §5 against the real Milvus 2.3.5 standalone server with authorization on (root / Milvus).
 * The SPEC names 2.3.9; the package index here serves 2.3.5 as the newest {@code milvus} wheel.
 */
@ExtendWith(MilvusStandaloneExtension.class)
class MilvusStandaloneAuthTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String EXPECTED_VERSION = "v2.3.5-lite";

  private ReactiveConnections registry;
  private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
  private Disposable eventSubscription;

  @BeforeEach
  void setUp() {
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    eventSubscription = registry.events().subscribe(events::add);
  }

  @AfterEach
  void tearDown() {
    eventSubscription.dispose();
    registry.close();
  }

  private void add(String alias, MilvusStandaloneServer milvus, Object... keyValues) {
    Map<String, Object> config = new HashMap<>();
    config.put("uri", milvus.uri());
    config.put("timeout", 60);
    for (int i = 0; i < keyValues.length; i += 2) {
      config.put((String) keyValues[i], keyValues[i + 1]);
    }
    registry.addConnection(alias, config).block(WAIT);
  }

  private MilvusConnectionException connectFails(String alias) {
    MilvusConnectionException[] failure = new MilvusConnectionException[1];
    StepVerifier.create(registry.channel(alias))
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(MilvusConnectionException.class);
          failure[0] = (MilvusConnectionException) e;
          assertThat(failure[0].alias()).isEqualTo(alias);
        })
        .verify(WAIT);
    return failure[0];
  }

  private List<ConnectionEvent> eventsOf(String alias, ConnectionEvent.Type type) {
    return events.stream().filter(e -> e.alias().equals(alias) && e.type() == type).toList();
  }

  @Test
  void userAndPasswordConnectAndGetVersionAnswersTheServerVersion(MilvusStandaloneServer milvus) {
    add("root", milvus, "user", milvus.user(), "password", milvus.password());
    StepVerifier.create(registry.stub("root").getVersion()).expectNext(EXPECTED_VERSION).verifyComplete();
    assertThat(registry.hasConnection("root")).isTrue();
  }

  @Test
  void aUserColonPasswordTokenConnectsAndGetVersionAnswersTheServerVersion(MilvusStandaloneServer milvus) {
    add("token", milvus, "token", milvus.user() + ":" + milvus.password());
    StepVerifier.create(registry.stub("token").getVersion()).expectNext(EXPECTED_VERSION).verifyComplete();
    assertThat(registry.getConnectionAddr("token").orElseThrow().auth()).isEqualTo(AuthMode.TOKEN);
  }

  @Test
  void aWrongPasswordFailsAsAuthenticationAfterExactlyOneConnectAttempt(MilvusStandaloneServer milvus) {
    add("wrong", milvus, "user", milvus.user(), "password", "not-the-password");
    MilvusConnectionException e = connectFails("wrong");
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.AUTHENTICATION);
    assertThat(e.getMessage()).contains("authentication failed", "'wrong'", milvus.host() + ":" + milvus.port())
        .doesNotContain("not-the-password");
    assertThat(e.grpcStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
    // events reach subscribers on the registry's scheduler, shortly after the failure
    await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf("wrong", ConnectionEvent.Type.FAILED)).hasSize(1));
    assertThat(eventsOf("wrong", ConnectionEvent.Type.CONNECTING)).hasSize(1);
    assertThat(eventsOf("wrong", ConnectionEvent.Type.RETRYING)).isEmpty();
  }

  @Test
  void noCredentialsFailAsAuthentication(MilvusStandaloneServer milvus) {
    add("anonymous", milvus);
    MilvusConnectionException e = connectFails("anonymous");
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.AUTHENTICATION);
    assertThat(e.getMessage()).contains("missing authorization");
    assertThat(eventsOf("anonymous", ConnectionEvent.Type.RETRYING)).isEmpty();
  }

  @Test
  void aDatabaseThatDoesNotExistFailsAtConnectAsDatabaseNotFound(MilvusStandaloneServer milvus) {
    add("nodb", milvus, "user", milvus.user(), "password", milvus.password(), "db_name", "no_such_database");
    MilvusConnectionException e = connectFails("nodb");
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.DATABASE_NOT_FOUND);
    assertThat(e.serverCode()).isEqualTo(800);
    assertThat(e.getMessage()).contains("database not found", "no_such_database", "'nodb'");
    assertThat(eventsOf("nodb", ConnectionEvent.Type.RETRYING)).isEmpty();
    assertThat(registry.hasConnection("nodb")).isFalse();
  }

  @Test
  void anExistingDatabaseConnectsAndItsCallsWork(MilvusStandaloneServer milvus) {
    String db = "db_" + Long.toHexString(System.nanoTime());
    add("root", milvus, "user", milvus.user(), "password", milvus.password());
    registry.stub("root").createDatabase(db).block(WAIT);
    try {
      add("in-db", milvus, "user", milvus.user(), "password", milvus.password(), "db_name", db);
      StepVerifier.create(registry.stub("in-db").showCollections()).expectNext(List.of()).verifyComplete();
      assertThat(registry.hasConnection("in-db")).isTrue();
    } finally {
      registry.stub("root").dropDatabase(db).block(WAIT);
    }
  }
}
