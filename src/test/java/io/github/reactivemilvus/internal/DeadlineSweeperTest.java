package io.github.reactivemilvus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.internal.CallFakes.FakeChannel;
import io.github.reactivemilvus.internal.CallFakes.RecordingListener;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The default deadline swept on a virtual clock over an {@link AliasChannel} of fake calls: a call is
 * expired no earlier than its deadline and within two periods after it, whether it is waiting for a
 * permit or running; the periodic task runs only while a channel is registered.
 */
class DeadlineSweeperTest {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  private final DeadlineSweeper sweeper = new DeadlineSweeper(clock);
  private final FakeChannel fakes = new FakeChannel();
  private AliasChannel alias;

  @AfterEach
  void shutDown() {
    if (alias != null) {
      alias.shutdownNow();
    }
    clock.dispose();
  }

  private AliasChannel alias(int maxInFlight) {
    ConnectionConfig config = ConnectionConfig.builder().uri("http://127.0.0.1:19530").callTimeout(CALL_TIMEOUT)
        .maxConcurrentCalls(maxInFlight).maxPendingCalls(10).build();
    ChannelGroup group = new ChannelGroup(SharedChannels.Key.of(config), new ManagedChannel[] {new FakeManagedChannel(fakes)});
    alias = new AliasChannel("a", config, group, sweeper, Duration.ofSeconds(1), clock, g -> Mono.empty(), () -> { });
    return alias;
  }

  private static RecordingListener start(ClientCall<String, String> call) {
    RecordingListener listener = new RecordingListener();
    call.start(listener, new Metadata());
    call.request(2);
    call.sendMessage("x");
    call.halfClose();
    return listener;
  }

  @Test
  void aRunningCallIsExpiredNoEarlierThanItsDeadlineAndWithinTwoPeriodsAfter() {
    AliasChannel channel = alias(4);
    RecordingListener listener = start(channel.newCall(CallFakes.METHOD, CallOptions.DEFAULT));
    assertThat(fakes.call(0).options.getDeadline()).as("swept, not a per-call deadline").isNull();

    clock.advanceTimeBy(CALL_TIMEOUT.minusMillis(1));
    assertThat(listener.closes).isEmpty();
    clock.advanceTimeBy(DeadlineSweeper.PERIOD.multipliedBy(2).plusMillis(1));
    Status status = listener.onlyClose();
    assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(status.getCause()).as("typed, not told by its words").isInstanceOf(LocalCauses.DefaultDeadline.class);
    assertThat(fakes.call(0).cancelled).isTrue();
    assertThat(channel.callsInFlight()).isZero();
    assertThat(channel.openCalls()).isZero();
  }

  @Test
  void aCallWaitingForAPermitIsExpiredByTheSweepAndNeverStarts() {
    AliasChannel channel = alias(1);
    start(channel.newCall(CallFakes.METHOD, CallOptions.DEFAULT));
    clock.advanceTimeBy(Duration.ofSeconds(1));
    RecordingListener waiting = start(channel.newCall(CallFakes.METHOD, CallOptions.DEFAULT));
    fakes.call(0).close(Status.OK);
    // the close handed the permit over on the (virtual) scheduler: the waiting call started
    assertThat(fakes.calls).hasSize(2);
    fakes.call(1).close(Status.OK);

    RecordingListener third = start(channel.newCall(CallFakes.METHOD, CallOptions.DEFAULT));
    RecordingListener fourth = start(channel.newCall(CallFakes.METHOD, CallOptions.DEFAULT));
    assertThat(channel.callsPending()).isEqualTo(1);
    clock.advanceTimeBy(CALL_TIMEOUT.plus(DeadlineSweeper.PERIOD.multipliedBy(2)));
    assertThat(third.onlyClose().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(fourth.onlyClose().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(waiting.onlyClose().isOk()).isTrue();
    assertThat(fakes.calls).as("the expired waiter never started").hasSize(3);
    assertThat(channel.callsInFlight()).isZero();
    assertThat(channel.callsPending()).isZero();
  }

  @Test
  void aCallWithItsOwnDeadlineIsLeftToGrpcJava() {
    AliasChannel channel = alias(4);
    RecordingListener listener = start(channel.newCall(CallFakes.METHOD,
        CallOptions.DEFAULT.withDeadlineAfter(1, TimeUnit.HOURS)));
    clock.advanceTimeBy(CALL_TIMEOUT.multipliedBy(10));
    assertThat(listener.closes).isEmpty();
    assertThat(fakes.call(0).options.getDeadline()).isNotNull();
  }

  @Test
  void thePeriodicTaskRunsOnlyWhileAChannelIsRegistered() {
    assertThat(sweeper.now()).isZero();
    AliasChannel channel = alias(4);
    clock.advanceTimeBy(DeadlineSweeper.PERIOD.multipliedBy(3));
    assertThat(sweeper.now()).isEqualTo(3);
    channel.shutdownNow();
    clock.advanceTimeBy(DeadlineSweeper.PERIOD.multipliedBy(3));
    assertThat(sweeper.now()).isEqualTo(3);
  }

  @Test
  void aDeadlineIsSweptFromOneSecondAndTicksCoverTheWholeTimeout() {
    assertThat(DeadlineSweeper.sweeps(Duration.ofMillis(999))).isFalse();
    assertThat(DeadlineSweeper.sweeps(Duration.ofSeconds(1))).isTrue();
    assertThat(DeadlineSweeper.sweeps(null)).isFalse();
    assertThat(DeadlineSweeper.ticksFor(Duration.ofSeconds(1))).isEqualTo(11);
    assertThat(DeadlineSweeper.ticksFor(Duration.ofMillis(1_050))).isEqualTo(12);
  }

  /** A managed channel whose calls are {@link CallFakes.FakeCall}s. */
  static final class FakeManagedChannel extends ManagedChannel {
    private final FakeChannel calls;
    private boolean shutdown;

    FakeManagedChannel(FakeChannel calls) {
      this.calls = calls;
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      return calls.newCall(method, options);
    }

    @Override
    public String authority() {
      return "fake";
    }

    @Override
    public ManagedChannel shutdown() {
      shutdown = true;
      return this;
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public ManagedChannel shutdownNow() {
      return shutdown();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }

    @Override
    public ConnectivityState getState(boolean requestConnection) {
      return ConnectivityState.READY;
    }
  }
}
