package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.spring.problems.ProblemsApplication;
import io.github.reactivemilvus.test.server.FreePorts;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Milvus failures of a WebFlux service without handlers of its own, answered by the starter as
 * problem details once {@code milvus.web.problem-details.enabled=true}: real failures of a real
 * Milvus Lite and of an unreachable port.
 */
@ExtendWith(MilvusLiteUri.class)
@SpringBootTest(classes = ProblemsApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "milvus.web.problem-details.enabled=true")
class ProblemDetailsTest {

  @DynamicPropertySource
  static void milvus(DynamicPropertyRegistry registry) {
    registry.add("milvus.connections.default.uri", () -> MilvusLiteUri.server().uri());
  }

  @LocalServerPort
  int port;

  @Autowired
  ApplicationContext context;

  private WebTestClient client() {
    return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
  }

  @Test
  void milvusFailuresAnswerAsProblemDetailsWithTheirStatus() {
    WebTestClient web = client();
    String name = "pd_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    web.get().uri("/collections/{n}/rows?filter=id > 0", name + "x").exchange()
        .expectStatus().isNotFound()
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.milvusError").isEqualTo("COLLECTION_NOT_FOUND")
        .jsonPath("$.milvusCode").isEqualTo(100).jsonPath("$.title").isEqualTo("Collection not found");
    web.put().uri("/collections/{n}", name).exchange().expectStatus().isOk();
    try {
      web.put().uri("/collections/{n}", name).exchange()
          .expectStatus().isEqualTo(409)
          .expectBody().jsonPath("$.milvusError").isEqualTo("ALREADY_EXISTS");
      web.get().uri("/collections/{n}/rows?filter=id >>> 0", name).exchange()
          .expectStatus().isBadRequest()
          .expectBody().jsonPath("$.milvusError").isEqualTo("INVALID_EXPRESSION");
    } finally {
      context.getBean(io.github.reactivemilvus.client.MilvusClient.class).dropCollection(name).block(Duration.ofSeconds(30));
    }
  }

  @Test
  void anUnreachableServerIsA503WithoutAddressOrSecret() {
    int closed = FreePorts.freePort();
    byte[] body = client().get().uri("/offline?port={p}", closed).exchange()
        .expectStatus().isEqualTo(503)
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.milvusError").isEqualTo("UNAVAILABLE")
        .returnResult().getResponseBody();
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("127.0.0.1").doesNotContain(Integer.toString(closed)).doesNotContain("s3cret")
        .doesNotContain("offline-");
  }
}
