package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.spring.example.WebfluxSearchApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The example's insert and search endpoints over real HTTP (random port, BlockHound installed
 * before the application starts) against a real Milvus Lite, through the auto-configured
 * {@code MilvusClient} of the {@code default} alias.
 */
@ExtendWith(MilvusLiteUri.class)
@SpringBootTest(classes = WebfluxSearchApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleInsertAndSearchTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ParameterizedTypeReference<List<Map<String, Object>>> JSON_LIST = new ParameterizedTypeReference<>() { };
  private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

  @DynamicPropertySource
  static void milvus(DynamicPropertyRegistry registry) {
    registry.add("milvus.connections.default.uri", () -> MilvusLiteUri.server().uri());
  }

  @LocalServerPort
  int port;

  @Autowired
  MilvusClient milvus;

  private WebTestClient http() {
    return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(WAIT).build();
  }

  private static List<Double> vector(double... components) {
    List<Double> v = new ArrayList<>();
    for (double c : components) {
      v.add(c);
    }
    return v;
  }

  private static Map<String, Object> row(long id, String tag, List<Double> vector) {
    return Map.of("id", id, "tag", tag, "vector", vector);
  }

  @Test
  @SuppressWarnings("unchecked")
  void postedAndGeneratedRowsAreFoundByTheirNearestVectorFirstAndTheCollectionIsDroppedAfterwards() {
    String name = "example_" + UUID.randomUUID().toString().replace('-', '_');
    WebTestClient http = http();
    http.put().uri("/collections/{name}?dim=8&metric=L2", name).exchange().expectStatus().isCreated();
    try {
      http.put().uri("/collections/{name}?dim=8&metric=L2", name).exchange().expectStatus().isOk();

      List<Double> target = vector(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5);
      List<Map<String, Object>> rows = List.of(
          row(1, "one", vector(-0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5)),
          row(2, "two", target),
          row(3, "three", vector(0.9, -0.9, 0.9, -0.9, 0.9, -0.9, 0.9, -0.9)));
      List<Map<String, Object>> batches = http.post().uri("/collections/{name}/rows", name)
          .contentType(MediaType.APPLICATION_JSON).bodyValue(rows).exchange()
          .expectStatus().isOk().expectBody(JSON_LIST).returnResult().getResponseBody();
      assertThat(batches).singleElement().satisfies(batch -> {
        assertThat(batch).containsEntry("insertCount", 3).containsEntry("rows", 3);
        assertThat((List<Object>) batch.get("ids")).containsExactly(1, 2, 3);
      });

      Map<String, Object> generated = http.post()
          .uri("/collections/{name}/rows/generate?count=2500&first-id=1000&seed=7", name).exchange()
          .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
      assertThat(generated).containsEntry("collection", name).containsEntry("inserted", 2500)
          .containsEntry("batches", 3).containsEntry("firstId", 1000).containsEntry("lastId", 3499);

      // near row 2, not on it: the nearest vector comes first, the rest by growing L2 distance
      Map<String, Object> query = Map.of("vector", vector(0.51, 0.49, 0.5, 0.5, 0.52, 0.5, 0.48, 0.5),
          "limit", 5, "outputFields", List.of("tag"), "consistency", "STRONG");
      List<Map<String, Object>> hits = http.post().uri("/collections/{name}/search", name)
          .contentType(MediaType.APPLICATION_JSON).bodyValue(query).exchange()
          .expectStatus().isOk().expectBody(JSON_LIST).returnResult().getResponseBody();
      assertThat(hits).hasSize(5);
      assertThat(hits.get(0)).containsEntry("id", 2).containsEntry("fields", Map.of("tag", "two"));
      List<Double> scores = hits.stream().map(h -> ((Number) h.get("score")).doubleValue()).toList();
      assertThat(scores).isSorted();
      assertThat(scores.get(0)).isLessThan(0.01);

      // a generated row, read back through the client bean, is its own nearest neighbour (GET form)
      Map<String, Object> last = milvus.get(name, List.of(3499L), "vector").block(WAIT).get(0);
      String csv = IntStream.range(0, 8).mapToObj(i -> Float.toString(((float[]) last.get("vector"))[i]))
          .collect(Collectors.joining(","));
      http.get().uri("/collections/{name}/search?vector={v}&limit=3&consistency=STRONG", name, csv).exchange()
          .expectStatus().isOk().expectBody(JSON_LIST)
          .value(found -> assertThat(found).hasSize(3).first().satisfies(hit -> assertThat(hit).containsEntry("id", 3499)));

      http.delete().uri("/collections/{name}", name).exchange().expectStatus().isNoContent();
      assertThat(milvus.hasCollection(name).block(WAIT)).isFalse();
    } finally {
      milvus.dropCollection(name).onErrorComplete().block(WAIT);
    }
  }

  @Test
  void badInputAnswersAProblemWithoutTheServersAddress() {
    String name = "example_" + UUID.randomUUID().toString().replace('-', '_');
    WebTestClient http = http();
    http.put().uri("/collections/{name}?dim=4&metric=L2", name).exchange().expectStatus().isCreated();
    try {
      // a vector of the wrong dimension
      expectProblem(http.get().uri("/collections/{name}/search?vector=0.1,0.2", name), 400);
      // a row that does not fit the schema: nothing is written
      expectProblem(http.post().uri("/collections/{name}/rows", name).contentType(MediaType.APPLICATION_JSON)
          .bodyValue(List.of(Map.of("id", 1, "vector", List.of(1, 2, 3)))), 400);
      expectProblem(http.post().uri("/collections/{name}/rows/generate?count=0", name), 400);
      expectProblem(http.put().uri("/collections/{name}?dim=0", name + "_x"), 400);
      expectProblem(http.get().uri("/collections/{name}/search?vector=0.1,0.2,0.3,0.4", "no_such_" + name.substring(8)), 404);
    } finally {
      milvus.dropCollection(name).block(WAIT);
    }
  }

  private static void expectProblem(WebTestClient.RequestHeadersSpec<?> request, int status) {
    Map<String, Object> problem = request.exchange().expectStatus().isEqualTo(status)
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody(JSON).returnResult().getResponseBody();
    assertThat(problem).containsEntry("status", status).containsKey("detail");
    assertThat((String) problem.get("detail")).isNotBlank().doesNotContain(MilvusLiteUri.server().target());
  }
}
