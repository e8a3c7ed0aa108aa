package io.github.reactivemilvus;

import io.github.reactivemilvus.internal.UnaryCalls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * disconnect(alias): calls in flight get the grace period, new calls on the disconnected channel
 * are refused at once, and what still hangs when the grace period ends is cancelled. The grace
 * period runs on the registry's scheduler, here a virtual clock.
 */
class GracefulDisconnectTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration GRACE = Duration.ofSeconds(5);
  private FaultServer server;
  private VirtualTimeScheduler time;
  private ReactiveConnections registry;
  private ManagedChannel channel;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
    time = VirtualTimeScheduler.create();
    registry = ReactiveConnections.builder().environment(Map.of())
        .scheduler(time).shutdownGracePeriod(GRACE).build();
    registry.addConnection("a", Map.of("uri", server.uri(), "retry_max_retries", 0)).block(WAIT);
    channel = registry.channel("a").block(WAIT);
  }

  @AfterEach
  void tearDown() {
    server.releaseAll();
    time.advanceTimeBy(Duration.ofMinutes(1)); // let a pending grace period end so close() does not wait
    registry.close();
    time.dispose();
    server.close();
  }

  private CompletableFuture<String> versionOn(ManagedChannel ch) {
    return UnaryCalls.call(ch, MilvusServiceGrpc.getGetVersionMethod(), GetVersionRequest.getDefaultInstance(),
        CallOptions.DEFAULT).map(r -> r.getVersion()).toFuture();
  }

  @Test
  void aCallInFlightFinishesWithinTheGracePeriodAndDisconnectWaitsForIt() {
    server.hang(Method.GET_VERSION);
    CompletableFuture<String> inFlight = registry.stub("a").getVersion().toFuture();
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);

    CompletableFuture<Void> disconnected = registry.disconnect("a").toFuture();
    time.advanceTimeBy(GRACE.minusMillis(1));
    assertThat(disconnected).isNotDone();
    assertThat(registry.hasConnection("a")).isFalse();
    assertThat(registry.openChannels()).isEqualTo(1);

    server.release(Method.GET_VERSION);
    assertThat(inFlight.join()).isEqualTo(FaultServer.VERSION);
    disconnected.join();
    assertThat(registry.openChannels()).isZero();
    assertThat(server.cancellations(Method.GET_VERSION)).isZero();
  }

  @Test
  void aNewCallOnTheDisconnectedChannelIsRefusedAtOnceWithoutReachingTheServer() {
    server.hang(Method.GET_VERSION);
    CompletableFuture<String> inFlight = versionOn(channel);
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
    registry.disconnect("a").subscribe();

    // still within the grace period: the old call runs on, a new one is refused
    StepVerifier.create(UnaryCalls.call(channel, MilvusServiceGrpc.getGetVersionMethod(),
            GetVersionRequest.getDefaultInstance(), CallOptions.DEFAULT))
        .expectErrorSatisfies(e -> {
          assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getMessage()).contains("alias 'a'", server.target(), "was disconnected");
        })
        .verify(WAIT);
    // a raw grpc-java stub on the handed-out channel gets the same answer
    StepVerifier.create(reactor.core.publisher.Mono.fromCallable(() -> MilvusServiceGrpc.newBlockingStub(channel)
            .getVersion(GetVersionRequest.getDefaultInstance())))
        .expectErrorSatisfies(e -> assertThat(e.getMessage()).contains("was disconnected"))
        .verify(WAIT);
    assertThat(server.calls(Method.GET_VERSION)).isEqualTo(1);
    assertThat(inFlight).isNotDone();
    server.release(Method.GET_VERSION);
    assertThat(inFlight.join()).isEqualTo(FaultServer.VERSION);
  }

  @Test
  void aCallStillHangingWhenTheGracePeriodEndsIsCancelledWithAClearError() {
    server.hang(Method.GET_VERSION);
    CompletableFuture<String> hanging = registry.stub("a").getVersion().toFuture();
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);

    CompletableFuture<Void> disconnected = registry.disconnect("a").toFuture();
    time.advanceTimeBy(GRACE.minusMillis(1));
    assertThat(hanging).isNotDone();
    assertThat(server.cancellations(Method.GET_VERSION)).isZero();

    time.advanceTimeBy(Duration.ofMillis(1));
    await().atMost(WAIT).until(hanging::isDone);
    assertThat(hanging).failsWithin(Duration.ZERO).withThrowableThat()
        .havingCause()
        .isInstanceOfSatisfying(MilvusConnectionException.class, m -> {
          assertThat(m.alias()).isEqualTo("a");
          assertThat(m.getMessage()).contains("was disconnected");
          assertThat(m.grpcStatus().getCode()).isEqualTo(Status.Code.CANCELLED);
        });
    disconnected.join();
    await().atMost(WAIT).until(() -> server.cancellations(Method.GET_VERSION) == 1);
    assertThat(registry.openChannels()).isZero();
    // the config stays: the alias connects again on demand
    server.release(Method.GET_VERSION);
    assertThat(registry.stub("a").getVersion().block(WAIT)).isEqualTo(FaultServer.VERSION);
  }

  @Test
  void aDisconnectWithNothingInFlightReleasesTheChannelWithoutWaitingForTheGracePeriod() {
    registry.disconnect("a").block(WAIT);
    assertThat(channel.isShutdown()).isTrue();
    assertThat(channel.isTerminated()).isTrue();
    assertThat(registry.openChannels()).isZero();
  }
}
