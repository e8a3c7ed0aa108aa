package io.github.reactivemilvus.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.proto.CreateCollectionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ShowCollectionsRequest;
import io.github.reactivemilvus.proto.ShowCollectionsResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The scripted Milvus, driven through the library's client and StepVerifier. */
class ScriptedMilvusTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private ScriptedMilvus milvus;
  private ReactiveConnections registry;
  private VirtualTimeScheduler time;

  @BeforeEach
  void start() {
    milvus = ScriptedMilvus.start();
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (time != null) {
      time.dispose();
    }
    milvus.close();
  }

  private MilvusClient client(Map<String, Object> extra, VirtualTimeScheduler clock) {
    ReactiveConnections.Builder builder = ReactiveConnections.builder().environment(Map.of());
    if (clock != null) {
      builder.scheduler(clock);
    }
    registry = builder.build();
    Map<String, Object> config = new java.util.HashMap<>(extra);
    config.put("uri", milvus.uri());
    registry.addConnection("default", config).block(WAIT);
    // the handshake's calls (Connect; ShowCollections for a database other than default) are not the test's
    registry.connect("default").block(WAIT);
    milvus.reset();
    return MilvusClient.of(registry, "default");
  }

  @Test
  void queuedResponsesAnswerInOrderAndTheRequestsAreReadBackWithTheirHeaders() {
    MilvusClient client = client(Map.of("db_name", "shop", "token", "root:Milvus"), null);
    milvus.enqueue(MilvusServiceGrpc.getShowCollectionsMethod(),
        ShowCollectionsResponse.newBuilder().addCollectionNames("books").addCollectionNames("films").build());

    StepVerifier.create(client.listCollections()).expectNext(List.of("books", "films")).verifyComplete();
    // queue empty: the built-in success
    StepVerifier.create(client.listCollections()).expectNext(List.of()).verifyComplete();

    RecordedRequest first = milvus.takeRequest(MilvusServiceGrpc.getShowCollectionsMethod());
    assertThat(first.request(ShowCollectionsRequest.class)).isNotNull();
    assertThat(first.header("dbname")).isEqualTo("shop");
    assertThat(first.header("authorization")).isNotBlank();
    assertThat(milvus.requestCount(MilvusServiceGrpc.getShowCollectionsMethod())).isEqualTo(2);
  }

  @Test
  void aMilvusErrorStatusFailsTheCallWithTheMilvusCodeAndReason() {
    MilvusClient client = client(Map.of(), null);
    milvus.enqueue(MilvusServiceGrpc.getCreateCollectionMethod(), MilvusAnswer.milvusError(1100, "invalid parameter: dim"));

    StepVerifier.create(client.createCollection("books", 4, "COSINE"))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(MilvusConnectionException.class)
            .hasMessageContaining("invalid parameter: dim"))
        .verify(WAIT);
    assertThat(milvus.takeRequest(MilvusServiceGrpc.getCreateCollectionMethod()).request(CreateCollectionRequest.class)
        .getCollectionName()).isEqualTo("books");
  }

  @Test
  void retriesOnUnavailableWaitTheBackoffOnTheRegistrysVirtualClock() {
    time = VirtualTimeScheduler.create();
    MilvusClient client = client(Map.of("retry_initial_backoff", 5, "retry_max_backoff", 5), time);
    milvus.enqueue(MilvusServiceGrpc.getShowCollectionsMethod(), MilvusAnswer.grpcError(Status.UNAVAILABLE));
    milvus.enqueue(MilvusServiceGrpc.getShowCollectionsMethod(), MilvusAnswer.grpcError(Status.UNAVAILABLE));
    milvus.enqueue(MilvusServiceGrpc.getShowCollectionsMethod(),
        ShowCollectionsResponse.newBuilder().addCollectionNames("books").build());

    long start = System.nanoTime();
    StepVerifier.create(client.listCollections())
        // each retry waits its backoff on the registry's virtual clock: moved on until the next attempt arrives
        .then(() -> milvus.awaitRequests(MilvusServiceGrpc.getShowCollectionsMethod(), 3, WAIT,
            () -> time.advanceTimeBy(Duration.ofSeconds(1))))
        .expectNext(List.of("books"))
        .verifyComplete();
    assertThat(milvus.requestCount(MilvusServiceGrpc.getShowCollectionsMethod())).isEqualTo(3);
    // two 5 s backoffs, waited on the virtual clock
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aDelayedAnswerRunsInRealTimeAndAHangEndsWithTheCallersTimeout() {
    MilvusClient client = client(Map.of(), null);
    milvus.enqueue(MilvusServiceGrpc.getShowCollectionsMethod(),
        MilvusAnswer.reply(ShowCollectionsResponse.newBuilder().addCollectionNames("late").build()).delay(Duration.ofMillis(300)));
    long start = System.nanoTime();
    StepVerifier.create(client.listCollections()).expectNext(List.of("late")).verifyComplete();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

    milvus.enqueue(MilvusServiceGrpc.getHasCollectionMethod(), MilvusAnswer.hang());
    StepVerifier.create(client.hasCollection("books").timeout(Duration.ofMillis(500)))
        .expectError(java.util.concurrent.TimeoutException.class)
        .verify(WAIT);
  }
}
