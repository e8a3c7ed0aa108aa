package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.spring.example.WebfluxSearchApplication;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The example application, started cold in its own JVM with BlockHound installed, serving real
 * HTTP on a random port against a real Milvus Lite.
 */
@ExtendWith(MilvusLiteUri.class)
@SpringBootTest(classes = WebfluxSearchApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "management.endpoints.web.exposure.include=health,metrics")
class ExampleApplicationLoadTest {
  private static final int REQUESTS = 500;
  private static final int CONCURRENCY = 64;

  @DynamicPropertySource
  static void milvus(DynamicPropertyRegistry registry) {
    registry.add("milvus.connections.default.uri", () -> MilvusLiteUri.server().uri());
  }

  @LocalServerPort
  int port;

  @Autowired
  ReactiveConnections registry;

  @Autowired
  MeterRegistry meters;

  @Test
  void fiveHundredRequestsAtConcurrency64AllAnswerWithTheServersVersionWithoutBlocking() throws Exception {
    WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
        .responseTimeout(Duration.ofSeconds(30)).build();
    List<Callable<String>> requests = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(() -> client.get().uri("/version").exchange()
          .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }
    ExecutorService callers = Executors.newFixedThreadPool(CONCURRENCY);
    List<String> bodies = new ArrayList<>();
    try {
      for (Future<String> f : callers.invokeAll(requests, 2, TimeUnit.MINUTES)) {
        bodies.add(f.get());
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(bodies).hasSize(REQUESTS).containsOnly(MilvusLiteServer.EXPECTED_VERSION);
    // BlockingCallRecorder fails this test after it ran if anything blocked on a non-blocking thread
  }

  @Test
  void collectionsEndpointListsTheDefaultDatabasesCollections() {
    WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    client.get().uri("/collections").exchange().expectStatus().isOk()
        .expectBody(String.class).value(body -> assertThat(body).startsWith("[").endsWith("]"));
  }

  @Test
  void channelsRunOnWebFluxsEventLoopsAndMetersAreBound() {
    WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    client.get().uri("/version").exchange().expectStatus().isOk();
    assertThat(registry.hasConnection("default")).isTrue();
    assertThat(meters.getMeters()).anySatisfy(m -> assertThat(m.getId().getName()).startsWith("milvus.connections"));
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("milvus-conn-loop"));
  }
}
