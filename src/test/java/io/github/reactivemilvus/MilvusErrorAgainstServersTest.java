package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.Query;
import io.github.reactivemilvus.client.Search;
import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import io.github.reactivemilvus.testing.MilvusStandaloneExtension;
import io.github.reactivemilvus.testing.MilvusStandaloneServer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

/**
 * The cases a service branches on, produced by real servers: Milvus Lite 3.2.2 (generic codes 1
 * and 6, words decide) and Milvus 2.3.5 (codes 100, 101, 1100, 1602 and 65535 with words).
 */
@ExtendWith({MilvusLiteExtension.class, MilvusStandaloneExtension.class})
class MilvusErrorAgainstServersTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void milvusLiteFailuresAreClassified(MilvusLiteServer lite) {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("lite", Map.of("uri", lite.uri())).block(WAIT);
      MilvusClient client = MilvusClient.of(registry, "lite");
      String name = name();
      try {
        client.createCollection(name, 4, "L2").block(WAIT);
        assertCase(client.describeCollection(name()), MilvusError.COLLECTION_NOT_FOUND, 100);
        assertCase(client.query(Query.builder(name()).filter("id > 0").build()), MilvusError.COLLECTION_NOT_FOUND, 100);
        // Milvus Lite: code 1 "collection 'x' already exists"
        assertCase(client.createCollection(name, 4, "L2"), MilvusError.ALREADY_EXISTS, 1);
        client.createAlias(name, name + "_a").block(WAIT);
        assertCase(client.createAlias(name, name + "_a"), MilvusError.ALREADY_EXISTS, 1);
        // Milvus Lite: code 6 "unexpected token '>' at column 5"
        assertCase(client.query(Query.builder(name).filter("id >>> 0").build()), MilvusError.INVALID_EXPRESSION, 6);
        assertCase(client.query(Query.builder(name).filter("id in [1, ").build()), MilvusError.INVALID_EXPRESSION, 6);
        // Milvus Lite: code 6 for a database created twice, words decide
        client.createDatabase(name).block(WAIT);
        try {
          assertCase(client.createDatabase(name), MilvusError.ALREADY_EXISTS, 6);
        } finally {
          client.dropDatabase(name).block(WAIT);
        }
        assertCase(client.dropDatabase(name), MilvusError.NOT_FOUND, 6);
      } finally {
        client.dropAlias(name + "_a").onErrorComplete().block(WAIT);
        client.dropCollection(name).onErrorComplete().block(WAIT);
      }
    }
  }

  @Test
  void milvusStandaloneFailuresAreClassified(MilvusStandaloneServer milvus) {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      registry.addConnection("go", Map.of("uri", milvus.uri(), "user", milvus.user(), "password", milvus.password(),
          "timeout", 60)).block(WAIT);
      MilvusClient client = MilvusClient.of(registry, "go");
      String name = name();
      String other = name();
      try {
        client.createCollection(name, 4, "L2").block(WAIT);
        client.createCollection(other, 4, "L2").block(WAIT);
        assertCase(client.describeCollection(name()), MilvusError.COLLECTION_NOT_FOUND, 100);
        // 65535 "create duplicate collection with different parameters"
        assertCase(client.createCollection(name, 8, "L2"), MilvusError.ALREADY_EXISTS, 65_535);
        client.createAlias(name, name + "_a").block(WAIT);
        assertCase(client.createAlias(other, name + "_a"), MilvusError.ALREADY_EXISTS, 1602);
        // 65535 "cannot parse expression: id >>> 0, ..."
        assertCase(client.query(Query.builder(name).filter("id >>> 0").build()), MilvusError.INVALID_EXPRESSION, 65_535);
        assertCase(client.createCollection("1 bad name", 4, "L2"), MilvusError.INVALID_REQUEST, 1100);
        client.releaseCollection(name).block(WAIT);
        assertCase(client.search(Search.builder(name).vector(new float[] {0.1f, 0.2f, 0.3f, 0.4f}).limit(1).build()),
            MilvusError.COLLECTION_NOT_LOADED, 101);
      } finally {
        client.dropAlias(name + "_a").onErrorComplete().block(WAIT);
        client.dropCollection(name).onErrorComplete().block(WAIT);
        client.dropCollection(other).onErrorComplete().block(WAIT);
      }
    }
  }

  @Test
  void anUnreachableServerIsUnavailable() {
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
      MilvusConnectionException e = catchThrowableOfType(MilvusConnectionException.class,
          () -> registry.addConnection("gone", Map.of("uri", "http://127.0.0.1:" + FreePorts.freePort(), "timeout", 1))
              .then(registry.stub("gone").getVersion()).block(WAIT));
      assertThat(e.kind()).isEqualTo(FailureKind.UNREACHABLE);
      assertThat(e.error()).isEqualTo(MilvusError.UNAVAILABLE);
      assertThat(MilvusError.UNAVAILABLE.is(new RuntimeException("wrapped", e))).isTrue();
    }
  }

  private static void assertCase(Mono<?> call, MilvusError expected, int code) {
    MilvusConnectionException e = catchThrowableOfType(MilvusConnectionException.class, () -> call.block(WAIT));
    assertThat(e).as("a failure (expected %s)", expected).isNotNull();
    assertThat(e.serverCode()).as(e.getMessage()).isEqualTo(code);
    assertThat(e.error()).as(e.getMessage()).isEqualTo(expected);
    assertThat(expected.is(e)).isTrue();
  }

  private static String name() {
    return "err_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }
}
