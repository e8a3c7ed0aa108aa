package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.ServerHealth;
import io.github.reactivemilvus.spring.example.WebfluxSearchApplication;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.github.reactivemilvus.testing.LeakCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the application: the web server drains first, then the registry lets calls in flight
 * finish for {@code milvus.registry.grace-period}, cancels the rest, and leaves no thread behind.
 * The server delays and holds calls on purpose (fault injection). Each test's first Milvus call
 * comes from a request handler, as in a service that just started.
 */
class GracefulShutdownTest {
  private static final Duration GRACE = Duration.ofSeconds(2);
  private FaultServer server;
  private LeakCheck before;

  @BeforeEach
  void startServer() {
    before = LeakCheck.snapshot();
    server = FaultServer.start();
  }

  @AfterEach
  void stopServer() {
    server.releaseAll();
    server.close();
  }

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(WebfluxSearchApplication.class).properties(
        "server.port=0", "server.address=127.0.0.1",
        "milvus.connections.default.uri=" + server.uri(),
        "milvus.connections.default.retry-max-retries=0",
        "milvus.registry.grace-period=" + GRACE.toMillis() + "ms",
        "spring.lifecycle.timeout-per-shutdown-phase=20s").run();
  }

  @Test
  void callsInFlightFinishWithinTheGracePeriodTheRestIsCancelledAndNoLibraryThreadIsLeft() throws Exception {
    ConfigurableApplicationContext context = start();
    int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    ReactiveConnections registry = context.getBean(ReactiveConnections.class);
    HttpClient http = HttpClient.newHttpClient();
    URI version = URI.create("http://127.0.0.1:" + port + "/version");
    firstCallOverHttp(http, version);
    server.delay(Method.GET_VERSION, Duration.ofMillis(800));
    server.hang(Method.CHECK_HEALTH);

    CompletableFuture<HttpResponse<String>> httpCall = http.sendAsync(HttpRequest.newBuilder(version).build(),
        HttpResponse.BodyHandlers.ofString());
    CompletableFuture<String> shortCall = registry.stub("default").getVersion().toFuture();
    CompletableFuture<ServerHealth> hungCall = registry.stub("default").checkHealth().toFuture();
    awaitInFlight(Method.GET_VERSION, 3);  // the first call, the HTTP one and the direct one
    awaitInFlight(Method.CHECK_HEALTH, 1);

    long start = System.nanoTime();
    context.close();
    Duration closing = Duration.ofNanos(System.nanoTime() - start);

    assertThat(httpCall.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(httpCall.get().body()).isEqualTo(FaultServer.VERSION);
    assertThat(shortCall.get(5, TimeUnit.SECONDS)).isEqualTo(FaultServer.VERSION);
    assertThat(hungCall).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
        .isInstanceOf(ExecutionException.class).havingCause()
        .isInstanceOfSatisfying(MilvusConnectionException.class,
            m -> assertThat(m.grpcStatus().getCode()).isEqualTo(io.grpc.Status.Code.CANCELLED));
    assertThat(server.cancellations(Method.CHECK_HEALTH)).isEqualTo(1);
    // the grace period ran out for the hung call; closing took it, and not much more
    assertThat(closing).isGreaterThanOrEqualTo(GRACE).isLessThan(GRACE.plusSeconds(5));
    assertThat(registry.listConnections()).isEmpty();
    server.releaseAll();
    server.close();
    before.assertNoNewThreads(Duration.ofSeconds(10), LeakCheck.DEFAULT_PREFIXES);
  }

  @Test
  void withoutCallsInFlightTheRegistryClosesWithoutWaitingForTheGracePeriod() throws Exception {
    ConfigurableApplicationContext context = start();
    ReactiveConnections registry = context.getBean(ReactiveConnections.class);
    firstCallOverHttp(HttpClient.newHttpClient(),
        URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/version"));
    AtomicLong closedAt = new AtomicLong();
    // the event stream completes when the registry has closed
    CompletableFuture<Void> registryClosed = registry.events().then()
        .doOnTerminate(() -> closedAt.set(System.nanoTime())).toFuture();
    long start = System.nanoTime();
    context.close();
    registryClosed.join();
    assertThat(Duration.ofNanos(closedAt.get() - start)).isLessThan(GRACE);
  }

  /**
   * The application's first Milvus call, made by a request handler, so that the first channel of
   * the JVM is built on an event loop, with grpc-java's registries not loaded yet.
   */
  private static void firstCallOverHttp(HttpClient http, URI version) throws Exception {
    assertThat(http.send(HttpRequest.newBuilder(version).build(), HttpResponse.BodyHandlers.ofString()).body())
        .isEqualTo(FaultServer.VERSION);
  }

  private void awaitInFlight(Method method, int calls) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.calls(method) + server.hanging(method) < calls && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
