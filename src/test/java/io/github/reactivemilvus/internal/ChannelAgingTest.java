package io.github.reactivemilvus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.Status;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@code max_connection_age} on virtual time, over grpc-java's in-process transport: when each pool
 * channel is replaced (its own age, drawn within the jitter), that the successor is READY before it
 * takes over, that the old channel is shut down gracefully and finishes its calls, and that a group
 * shut down stops the aging and leaves no channel open.
 */
class ChannelAgingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final String name = "aging-" + System.nanoTime();
  private final String late = name + "-late";
  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private final List<ManagedChannel> built = new CopyOnWriteArrayList<>();
  private final Queue<StreamObserver<GetVersionResponse>> held = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean hold = new AtomicBoolean();
  private final AtomicInteger lateCalls = new AtomicInteger();
  private volatile String target = name;
  private Server server;
  private Server lateServer;
  private SharedChannels shared;

  private void start(DoubleSupplier random) throws IOException {
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new Versions(null)).build().start();
    ChannelFactory factory = new ChannelFactory(null, null, "test", c -> {
      ManagedChannel ch = InProcessChannelBuilder.forName(target).directExecutor().build();
      built.add(ch);
      return ch;
    });
    shared = new SharedChannels(factory, clock, random);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (shared != null) {
      shared.closeAll().block(WAIT);
    }
    for (ManagedChannel ch : built) {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
    }
    if (lateServer != null) {
      lateServer.shutdownNow();
    }
    clock.dispose();
  }

  private static ConnectionConfig config(int pool, Duration age, double jitter) {
    return ConnectionConfig.builder().host("localhost").port(19530).poolSize(pool)
        .maxConnectionAge(age).maxConnectionAgeJitter(jitter).build();
  }

  private static DoubleSupplier draws(double... values) {
    Deque<Double> left = new ArrayDeque<>();
    for (double v : values) {
      left.add(v);
    }
    return () -> left.isEmpty() ? 0.5 : left.poll();
  }

  private ListenableFuture<GetVersionResponse> call(io.grpc.Channel channelOrGroup) {
    return ClientCalls.futureUnaryCall(channelOrGroup.newCall(MilvusServiceGrpc.getGetVersionMethod(), CallOptions.DEFAULT),
        GetVersionRequest.getDefaultInstance());
  }

  @Test
  void eachChannelIsReplacedAtItsOwnAgeDrawnWithinTheJitter() throws IOException {
    start(draws(0.0, 1.0)); // 10 s +- 50 %: the first channel ages in 5 s, the second in 15 s
    ChannelGroup group = shared.acquire(config(2, Duration.ofSeconds(10), 0.5)).block(WAIT);
    ManagedChannel first = group.channel(0);
    ManagedChannel second = group.channel(1);

    clock.advanceTimeBy(Duration.ofMillis(4_999));
    assertThat(built).hasSize(2);
    assertThat(group.channel(0)).isSameAs(first);

    clock.advanceTimeBy(Duration.ofMillis(2));
    await().atMost(WAIT).until(() -> group.channel(0) != first);
    assertThat(first.isShutdown()).isTrue();
    assertThat(group.channel(1)).isSameAs(second);
    assertThat(second.isShutdown()).isFalse();

    clock.advanceTimeBy(Duration.ofMillis(9_998)); // 14.999 s
    assertThat(group.channel(1)).isSameAs(second);
    clock.advanceTimeBy(Duration.ofMillis(2));
    await().atMost(WAIT).until(() -> group.channel(1) != second);
    assertThat(second.isShutdown()).isTrue();
  }

  @Test
  void withoutJitterEveryAgeIsTheConfiguredOne() throws IOException {
    start(draws(0.0, 1.0, 0.3));
    ChannelAging aging = new ChannelAging(new ChannelGroup(SharedChannels.Key.of(config(1, Duration.ofSeconds(10), 0)),
        new ManagedChannel[] {InProcessChannelBuilder.forName(name).build()}), config(1, Duration.ofSeconds(10), 0),
        new ChannelFactory(null, null, "test", c -> InProcessChannelBuilder.forName(name).build()), clock, draws(0.0, 1.0, 0.3),
        Duration.ofSeconds(1));
    assertThat(aging.drawAgeNanos()).isEqualTo(Duration.ofSeconds(10).toNanos());
    assertThat(aging.drawAgeNanos()).isEqualTo(Duration.ofSeconds(10).toNanos());
    aging.stop();
  }

  @Test
  void theSuccessorTakesOverOnlyOnceReadyAndTheOldChannelFinishesItsCallsAfterAGracefulShutdown() throws Exception {
    start(draws());
    ChannelGroup group = shared.acquire(config(1, Duration.ofSeconds(2), 0)).block(WAIT);
    ManagedChannel old = group.channel(0);
    hold.set(true);
    ListenableFuture<GetVersionResponse> inFlight = call(group);
    await().atMost(WAIT).until(() -> held.size() == 1);
    hold.set(false);

    target = late; // the successor goes to a server that is not there yet: it cannot become READY
    clock.advanceTimeBy(Duration.ofSeconds(2));
    await().atMost(WAIT).until(() -> built.size() == 2);
    ManagedChannel successor = built.get(1);
    await().atMost(WAIT).until(() -> successor.getState(false) == ConnectivityState.TRANSIENT_FAILURE);
    assertThat(group.channel(0)).as("not READY: the old channel stays").isSameAs(old);
    assertThat(old.isShutdown()).isFalse();

    lateServer = InProcessServerBuilder.forName(late).directExecutor().addService(new Versions(lateCalls)).build().start();
    successor.resetConnectBackoff();
    await().atMost(WAIT).until(() -> group.channel(0) == successor);
    assertThat(successor.getState(false)).isEqualTo(ConnectivityState.READY);
    assertThat(old.isShutdown()).as("shut down once replaced").isTrue();
    assertThat(old.isTerminated()).as("graceful: its call is still running").isFalse();
    assertThat(group.draining()).isEqualTo(1);

    assertThat(call(group).get(10, TimeUnit.SECONDS).getVersion()).isEqualTo("in-process");
    assertThat(lateCalls.get()).as("new calls go to the successor").isEqualTo(1);

    StreamObserver<GetVersionResponse> response = held.poll();
    response.onNext(GetVersionResponse.newBuilder().setStatus(Status.newBuilder().setCode(0)).setVersion("held").build());
    response.onCompleted();
    assertThat(inFlight.get(10, TimeUnit.SECONDS).getVersion()).as("the old channel's call finished").isEqualTo("held");
    await().atMost(WAIT).until(old::isTerminated);
    assertThat(group.draining()).isZero();
  }

  @Test
  void aSuccessorNotReadyInTimeIsDroppedAndTheOldChannelStays() throws IOException {
    start(draws());
    ChannelGroup group = shared.acquire(config(1, Duration.ofSeconds(2), 0)).block(WAIT);
    ManagedChannel old = group.channel(0);
    target = late;
    clock.advanceTimeBy(Duration.ofSeconds(2));
    await().atMost(WAIT).until(() -> built.size() == 2);
    ManagedChannel successor = built.get(1);
    clock.advanceTimeBy(Duration.ofSeconds(2)); // the time allowed to get ready: the age, here
    await().atMost(WAIT).until(successor::isShutdown);
    assertThat(group.channel(0)).isSameAs(old);
    assertThat(old.isShutdown()).isFalse();
  }

  @Test
  void aGroupShutDownStopsTheAgingAndLeavesNoChannelOpen() throws IOException {
    start(draws());
    ChannelGroup group = shared.acquire(config(2, Duration.ofSeconds(2), 0)).block(WAIT);
    clock.advanceTimeBy(Duration.ofSeconds(2));
    await().atMost(WAIT).until(() -> built.size() == 4 && group.draining() == 0);
    shared.release(group).block(WAIT);
    clock.advanceTimeBy(Duration.ofSeconds(10));
    assertThat(built).as("nothing built after the shutdown").hasSize(4);
    await().atMost(WAIT).until(() -> built.stream().allMatch(ManagedChannel::isTerminated));
    assertThat(shared.unreleased()).isEmpty();
  }

  /** GetVersion, answered at once, or held while {@link #hold} is set; counts its calls. */
  private final class Versions extends MilvusServiceGrpc.MilvusServiceImplBase {
    private final AtomicInteger calls;

    Versions(AtomicInteger calls) {
      this.calls = calls;
    }

    @Override
    public void getVersion(GetVersionRequest request, StreamObserver<GetVersionResponse> response) {
      if (calls != null) {
        calls.incrementAndGet();
      }
      if (hold.get()) {
        held.add(response);
        return;
      }
      response.onNext(GetVersionResponse.newBuilder().setStatus(Status.newBuilder().setCode(0)).setVersion("in-process").build());
      response.onCompleted();
    }
  }
}
