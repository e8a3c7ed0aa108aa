package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.spring.example.WebfluxSearchApplication;
import io.github.reactivemilvus.test.server.FreePorts;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The example application, started cold in its own JVM with BlockHound installed, serving real
 * HTTP on a random port against a real Milvus Lite ({@code default}); the health test adds an
 * alias on a closed port ({@code offline}).
 */
@ExtendWith(MilvusLiteUri.class)
@SpringBootTest(classes = WebfluxSearchApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.endpoints.web.exposure.include=health,metrics",
        "management.endpoint.health.show-details=always", "milvus.health.timeout=2s"})
class ExampleApplicationTest {
  private static final int REQUESTS = 500;
  private static final int CONCURRENCY = 64;
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
  private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

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
    assertThat(bodies).hasSize(REQUESTS).containsOnly(MilvusLiteUri.EXPECTED_VERSION);
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
    assertThat(meters.find("milvus.connections.channels").gauge()).isNotNull();
    // the configured default replaced the built-in one: its gauges follow the new alias
    assertThat(meters.find("milvus.connections.calls.inflight").tag("alias", "default").gauge()).isNotNull();
    assertThat(meters.find("milvus.connections.connect").tag("alias", "default").tag("outcome", "success").timer())
        .isNotNull();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("milvus-conn-loop"));
  }

  private WebTestClient client() {
    return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
  }

  @Test
  @SuppressWarnings("unchecked")
  void milvusHealthIsUpWithTheServersVersionAddressStateAndLatency() {
    Map<String, Object> body = client().get().uri("/actuator/health/milvus").exchange()
        .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
    assertThat(body).containsEntry("status", "UP");
    Map<String, Object> alias = (Map<String, Object>) ((Map<String, Object>) body.get("components")).get("default");
    assertThat(alias).containsEntry("status", "UP");
    Map<String, Object> details = (Map<String, Object>) alias.get("details");
    assertThat(details).containsEntry("version", MilvusLiteUri.EXPECTED_VERSION)
        .containsEntry("address", MilvusLiteUri.server().target())
        .containsEntry("state", "connected")
        .containsKey("latency-ms")
        .doesNotContainKeys("kind", "message");
    client().get().uri("/actuator/health/milvus/default").exchange().expectStatus().isOk()
        .expectBody(JSON).value(one -> assertThat(one).containsEntry("status", "UP"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void anAliasOnAClosedPortIsDownAsUnreachableWithinTheHealthTimeoutAndTheWholeIsDown() {
    // added at run time: the health contributor follows the registry's aliases
    registry.addConnection("offline", Map.of("uri", "http://127.0.0.1:" + FreePorts.closedPort(),
        "user", "root", "password", "offline-secret-pw")).block(Duration.ofSeconds(10));
    try {
      assertOfflineIsDown();
    } finally {
      registry.removeConnection("offline").block(Duration.ofSeconds(10));
    }
  }

  @SuppressWarnings("unchecked")
  private void assertOfflineIsDown() {
    long start = System.nanoTime();
    String raw = client().get().uri("/actuator/health/milvus").exchange()
        .expectStatus().isEqualTo(503).expectBody(String.class).returnResult().getResponseBody();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Map<String, Object> body = client().get().uri("/actuator/health/milvus").exchange()
        .expectStatus().isEqualTo(503).expectBody(JSON).returnResult().getResponseBody();

    assertThat(body).containsEntry("status", "DOWN");
    Map<String, Object> components = (Map<String, Object>) body.get("components");
    assertThat(((Map<String, Object>) components.get("default"))).containsEntry("status", "UP");
    Map<String, Object> offline = (Map<String, Object>) components.get("offline");
    assertThat(offline).containsEntry("status", "DOWN");
    Map<String, Object> details = (Map<String, Object>) offline.get("details");
    assertThat(details).containsEntry("kind", "UNREACHABLE").containsKeys("address", "state");
    assertThat((String) details.get("message")).startsWith("no answer within milvus.health.timeout (2000 ms); last attempt: ");
    // both aliases checked concurrently, the offline one cut at the health timeout
    assertThat(took).isLessThan(HEALTH_TIMEOUT.plusSeconds(2));
    assertThat(raw).doesNotContain("offline-secret-pw");
    client().get().uri("/actuator/health/milvus/offline").exchange().expectStatus().isEqualTo(503);
  }
}
