package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.test.StepVerifier;

/** The registry and stubs against a real Milvus Lite server over a real socket. */
@ExtendWith(MilvusLiteExtension.class)
class RegistryAgainstMilvusLiteTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private ReactiveConnections registry;

  @BeforeEach
  void setUp(MilvusLiteServer server) {
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("lite", Map.of("uri", server.uri())).block(WAIT);
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void getVersionReturnsTheMilvusLiteVersionString() {
    StepVerifier.create(registry.stub("lite").getVersion())
        .expectNext(MilvusLiteServer.EXPECTED_VERSION)
        .verifyComplete();
  }

  @Test
  void checkHealthReportsHealthy() {
    StepVerifier.create(registry.stub("lite").checkHealth())
        .assertNext(health -> assertThat(health.healthy()).isTrue())
        .verifyComplete();
  }

  @Test
  void listDatabasesContainsDefault() {
    StepVerifier.create(registry.stub("lite").listDatabases())
        .assertNext(names -> assertThat(names).contains("default"))
        .verifyComplete();
  }

  @Test
  void aCreatedDatabaseIsListedUntilDropped() {
    String db = "db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    MilvusStub stub = registry.stub("lite");
    stub.createDatabase(db).block(WAIT);
    assertThat(stub.listDatabases().block(WAIT)).contains(db);
    stub.dropDatabase(db).block(WAIT);
    assertThat(stub.listDatabases().block(WAIT)).doesNotContain(db);
  }

  @Test
  void aFreshDatabaseHasNoCollections(MilvusLiteServer server) {
    String db = "db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    registry.stub("lite").createDatabase(db).block(WAIT);
    registry.addConnection("in-db", Map.of("uri", server.uri(), "db_name", db)).block(WAIT);
    StepVerifier.create(registry.stub("in-db").showCollections()).expectNext(java.util.List.of()).verifyComplete();
    StepVerifier.create(registry.stub("in-db").hasCollection("nothing_here")).expectNext(false).verifyComplete();
  }

  @Test
  void hasConnectionTurnsTrueOnlyOnceTheHandshakeCompleted() {
    assertThat(registry.hasConnection("lite")).isFalse();
    registry.channel("lite").block(WAIT);
    assertThat(registry.hasConnection("lite")).isTrue();
    assertThat(registry.listConnections()).anySatisfy(s -> {
      assertThat(s.alias()).isEqualTo("lite");
      assertThat(s.state()).isEqualTo(ConnectionState.CONNECTED);
    });
  }

  @Test
  void connectDisconnectConnectWorks_pymilvusFailedHere() {
    registry.channel("lite").block(WAIT);
    registry.disconnect("lite").block(WAIT);
    assertThat(registry.hasConnection("lite")).isFalse();
    assertThat(registry.getConnectionAddr("lite")).isPresent();
    StepVerifier.create(registry.stub("lite").getVersion())
        .expectNext(MilvusLiteServer.EXPECTED_VERSION)
        .verifyComplete();
    assertThat(registry.hasConnection("lite")).isTrue();
  }

  @Test
  void aliasesDifferingOnlyInDatabaseShareOnePhysicalChannel(MilvusLiteServer server) {
    registry.addConnection("other-db", Map.of("uri", server.uri(), "db_name", "default")).block(WAIT);
    registry.channel("lite").block(WAIT);
    registry.channel("other-db").block(WAIT);
    assertThat(registry.openChannels()).isEqualTo(1);
    registry.disconnect("lite").block(WAIT);
    // the other alias keeps its reference and still works
    StepVerifier.create(registry.stub("other-db").getVersion())
        .expectNext(MilvusLiteServer.EXPECTED_VERSION).verifyComplete();
    assertThat(registry.openChannels()).isEqualTo(1);
  }
}
