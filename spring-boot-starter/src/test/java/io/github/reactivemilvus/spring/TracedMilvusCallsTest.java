package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.testing.FaultServer;
import io.grpc.Metadata;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * With Micrometer Tracing's OpenTelemetry bridge (spans exported to memory), a WebFlux request's
 * span is the parent of one CLIENT span per Milvus call, each with the database conventions (a call
 * Milvus answers with a failure status carries its code and the span's error status); against Milvus
 * Lite, and the FaultServer as a second alias to see the {@code traceparent} it got. Spring Boot's own
 * auto-configuration makes the tracer (no tracing beans of the test's), and the observations are on
 * without any {@code milvus.observations} property.
 */
@ExtendWith(MilvusLiteUri.class)
@AutoConfigureTracing
@SpringBootTest(classes = TracedMilvusCallsTest.TracedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "management.tracing.sampling.probability=1.0")
class TracedMilvusCallsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final FaultServer FAULT_SERVER = FaultServer.start();

  static {
    // OpenTelemetry finds its context storage with a ServiceLoader (jar reads) on the first
    // Context.current(): done here once, on the test thread, not on the event loop of the first request
    Context.current();
  }

  @DynamicPropertySource
  static void milvus(DynamicPropertyRegistry registry) {
    registry.add("milvus.connections.default.uri", () -> MilvusLiteUri.server().uri());
    registry.add("milvus.connections.default.db-name", () -> "default");
    registry.add("milvus.connections.fault.uri", FAULT_SERVER::uri);
  }

  @AfterAll
  static void stopFaultServer() {
    FAULT_SERVER.close();
  }

  /** A WebFlux application whose endpoint makes Milvus calls. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class TracedApplication {
    @Bean
    InMemorySpanExporter spanExporter() {
      return InMemorySpanExporter.create();
    }

    @Bean
    RouterFunction<ServerResponse> routes(MilvusClient milvus, ReactiveConnections connections) {
      return RouterFunctions.route().GET("/collections/{name}", request -> {
        String name = request.pathVariable("name");
        return milvus.createCollection(name, 4, "L2")
            .thenMany(milvus.insert(name, Flux.range(0, 3).map(i -> Map.<String, Object>of("id", (long) i,
                "vector", new float[] {i, 1, 2, 3}))))
            .then(milvus.hasCollection(name))
            .flatMap(has -> connections.stub("fault").getVersion().thenReturn(has))
            // a call Milvus answers with a failure status (collection not found, code 100)
            .flatMap(has -> milvus.describeCollection(name + "_missing")
                .onErrorResume(MilvusConnectionException.class, e -> Mono.empty()).thenReturn(has))
            .flatMap(has -> milvus.dropCollection(name).thenReturn(has))
            .flatMap(has -> ServerResponse.ok().bodyValue(Map.of("exists", has)));
      }).build();
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  InMemorySpanExporter spans;

  @Autowired
  SdkTracerProvider tracerProvider;

  private static String attribute(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  @Test
  void aWebFluxRequestSpanIsTheParentOfOneClientSpanPerMilvusCall() {
    String name = "traced_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(WAIT).build()
        .get().uri("/collections/" + name).exchange()
        .expectStatus().isOk()
        .expectBody().jsonPath("$.exists").isEqualTo(true);
    assertThat(tracerProvider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData server = all.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    List<SpanData> milvus = all.stream().filter(s -> "milvus".equals(attribute(s, "db.system.name"))
        && s.getTraceId().equals(server.getTraceId())).toList();
    assertThat(milvus).isNotEmpty().allSatisfy(span -> {
      assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(span.getParentSpanId()).isEqualTo(server.getSpanId());
      assertThat(attribute(span, "server.address")).isEqualTo("127.0.0.1");
      assertThat(attribute(span, "milvus.attempt")).isEqualTo("1");
    });
    Map<String, SpanData> byName = milvus.stream().collect(Collectors.toMap(SpanData::getName, s -> s, (a, b) -> a));
    assertThat(byName).containsKeys("CreateCollection " + name, "Insert " + name, "HasCollection " + name, "GetVersion",
        "DescribeCollection " + name + "_missing", "DropCollection " + name);
    assertThat(milvus).filteredOn(span -> !span.getName().equals("DescribeCollection " + name + "_missing")).allSatisfy(span -> {
      assertThat(attribute(span, "error.type")).isEqualTo("none");
      assertThat(attribute(span, "db.response.status_code")).isEqualTo("none");
      assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    });
    assertThat(milvus).filteredOn(span -> "default".equals(attribute(span, "milvus.alias")))
        .allSatisfy(span -> assertThat(attribute(span, "db.namespace")).isEqualTo("default"));
    SpanData missing = byName.get("DescribeCollection " + name + "_missing");
    assertThat(attribute(missing, "db.collection.name")).isEqualTo(name + "_missing");
    assertThat(attribute(missing, "db.response.status_code")).isEqualTo("100");
    assertThat(attribute(missing, "error.type")).isEqualTo("100");
    assertThat(missing.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    SpanData insert = byName.get("Insert " + name);
    assertThat(attribute(insert, "db.operation.name")).isEqualTo("Insert");
    assertThat(attribute(insert, "db.collection.name")).isEqualTo(name);
    assertThat(attribute(insert, "db.operation.batch.size")).isEqualTo("3");
    assertThat(attribute(insert, "server.port")).isEqualTo(Integer.toString(MilvusLiteUri.server().port()));
    assertThat(attribute(insert, "milvus.alias")).isEqualTo("default");
    assertThat(attribute(byName.get("GetVersion"), "server.port")).isEqualTo(Integer.toString(FAULT_SERVER.port()));

    // the W3C trace context reached the server, with the request's trace id and the Milvus span's id
    String traceparent = FAULT_SERVER.lastHeaders(FaultServer.Method.GET_VERSION)
        .get(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER));
    assertThat(traceparent).isEqualTo("00-" + server.getTraceId() + "-" + byName.get("GetVersion").getSpanId() + "-01");
  }
}
