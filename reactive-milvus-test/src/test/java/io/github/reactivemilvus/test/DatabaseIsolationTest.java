package io.github.reactivemilvus.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.test.server.MilvusServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** {@link MilvusTest.Isolation#DATABASE} on a server of this class alone ({@link MilvusTest.Scope#CLASS}). */
@MilvusTest(scope = MilvusTest.Scope.CLASS, isolation = MilvusTest.Isolation.DATABASE)
class DatabaseIsolationTest {

  @Test
  void theInjectedRegistryIsBoundToADatabaseOfTheClassOnAServerOfItsOwn(MilvusServer server, MilvusNames names,
      ReactiveConnections registry, MilvusClient client) {
    assertThat(names.database()).startsWith("t").endsWith("db");
    assertThat(registry.getConnectionAddr("default")).hasValueSatisfying(i -> assertThat(i.dbName()).isEqualTo(names.database()));
    String books = names.collection("books");
    StepVerifier.create(client.createCollection(books, 4, "L2").then(client.listCollections()))
        .assertNext(c -> assertThat(c).containsExactly(books))
        .verifyComplete();
    try (ReactiveConnections other = MilvusExtension.newRegistry(server, null)) {
      assertThat(MilvusClient.of(other, "default").listCollections().block(Duration.ofSeconds(30))).doesNotContain(books);
      assertThat(MilvusClient.of(other, "default").listDatabases().block(Duration.ofSeconds(30))).contains(names.database());
    }
  }
}
