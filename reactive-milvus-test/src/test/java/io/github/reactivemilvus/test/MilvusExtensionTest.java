package io.github.reactivemilvus.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.test.server.MilvusLite;
import io.github.reactivemilvus.test.server.MilvusServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** What {@link MilvusTest} injects, against the JVM's shared Milvus Lite 3.2.2. */
@MilvusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MilvusExtensionTest {
  private static String firstPrefix;

  @Test
  @Order(1)
  void injectsTheServerItsUriTheRegistryAndTheClientOfTheDefaultAlias(MilvusServer server, MilvusLite lite, @MilvusUri String uri,
      ReactiveConnections registry, MilvusClient client) {
    assertThat(server).isSameAs(lite);
    assertThat(uri).isEqualTo(lite.uri()).startsWith("http://127.0.0.1:");
    assertThat(registry.getConnectionAddr(ReactiveConnections.DEFAULT_ALIAS))
        .hasValueSatisfying(i -> assertThat(i.port()).isEqualTo(lite.port()));
    assertThat(client.alias()).isEqualTo(ReactiveConnections.DEFAULT_ALIAS);
    StepVerifier.create(registry.stub("default").getVersion()).expectNext("milvus_lite-3.2.2").verifyComplete();
  }

  @Test
  @Order(2)
  void eachTestGetsItsOwnCollectionPrefixAndItsCollectionsAreDroppedAfterIt(MilvusClient client, MilvusNames names) {
    firstPrefix = names.prefix();
    assertThat(names.prefix()).matches("t[a-z0-9]+_eachtestgetsitsowncollectionpref_").hasSizeLessThan(50);
    assertThat(names.database()).isEqualTo("default");
    String books = names.collection("books");
    StepVerifier.create(client.createCollection(books, 4, "COSINE")
            .thenMany(client.insert(books, Flux.just(Map.of("id", 1L, "vector", List.of(1f, 0f, 0f, 0f)))))
            .then(client.listCollections()))
        .assertNext(collections -> assertThat(collections).contains(books))
        .verifyComplete();
  }

  @Test
  @Order(3)
  void theCollectionsOfAnEarlierTestAreGone(MilvusClient client, MilvusNames names) {
    assertThat(names.prefix()).isNotEqualTo(firstPrefix);
    assertThat(client.listCollections().block(Duration.ofSeconds(30))).noneMatch(c -> c.startsWith(firstPrefix));
  }
}
