package io.github.reactivemilvus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.internal.CallFakes.FakeChannel;
import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Every ordering of a unary call's response, close, demand and cancellation, over a fake call closed by hand. */
class UnaryCallsTest {
  private final FakeChannel channel = new FakeChannel();
  private final List<Throwable> dropped = new ArrayList<>();

  @BeforeEach
  void recordDroppedErrors() {
    Hooks.onErrorDropped(dropped::add);
  }

  @AfterEach
  void resetHooks() {
    Hooks.resetOnErrorDropped();
  }

  private Mono<String> call() {
    return UnaryCalls.call(channel, CallFakes.METHOD, "x", CallOptions.DEFAULT);
  }

  @Test
  void nothingIsSentBeforeSubscriptionAndEachSubscriptionMakesOneCall() {
    Mono<String> mono = call();
    assertThat(channel.calls).isEmpty();
    mono.subscribe();
    mono.subscribe();
    assertThat(channel.calls).hasSize(2);
    assertThat(channel.call(0).ops).containsExactly("start", "request 2", "send x", "halfClose");
  }

  @Test
  void aResponseThatClosesBeforeDemandIsEmittedWhenRequested() {
    StepVerifier.create(call(), 0)
        .then(() -> {
          channel.call(0).respond("y");
          channel.call(0).close(Status.OK);
        })
        .expectNoEvent(java.time.Duration.ZERO)
        .thenRequest(1)
        .expectNext("y")
        .verifyComplete();
  }

  @Test
  void demandBeforeTheResponseEmitsItOnClose() {
    StepVerifier.create(call())
        .then(() -> channel.call(0).respond("y"))
        .then(() -> channel.call(0).close(Status.OK))
        .expectNext("y")
        .verifyComplete();
  }

  @Test
  void aSecondResponseIsNotTheAnswer() {
    StepVerifier.create(call())
        .then(() -> {
          channel.call(0).respond("first");
          channel.call(0).respond("second");
          channel.call(0).close(Status.OK);
        })
        .expectNext("first")
        .verifyComplete();
  }

  @Test
  void anOkCloseWithoutAResponseFailsAsInternal() {
    StepVerifier.create(call())
        .then(() -> channel.call(0).close(Status.OK))
        .expectErrorSatisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INTERNAL))
        .verify();
  }

  @Test
  void aCallThatClosesSynchronouslyInsideStartFailsTheMonoWithItsStatus() {
    channel.onStart = fake -> fake.close(Status.UNAVAILABLE.withDescription("dead transport"));
    StepVerifier.create(call())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(StatusRuntimeException.class);
          assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        })
        .verify();
    assertThat(dropped).isEmpty();
  }

  @Test
  void cancelBeforeTheCallIsMadeMakesNoCall() {
    call().subscribe(new BaseSubscriber<>() {
      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        cancel();
      }
    });
    assertThat(channel.calls).isEmpty();
  }

  @Test
  void cancelWhileTheCallStartsCancelsItAndReportsNothing() {
    AtomicReference<BaseSubscriber<String>> subscriber = new AtomicReference<>();
    List<String> signals = new ArrayList<>();
    channel.onStart = fake -> subscriber.get().cancel();
    BaseSubscriber<String> s = new BaseSubscriber<>() {
      @Override
      protected void hookOnNext(String value) {
        signals.add("next " + value);
      }

      @Override
      protected void hookOnError(Throwable throwable) {
        signals.add("error " + throwable);
      }
    };
    subscriber.set(s);
    call().subscribe(s);

    assertThat(channel.call(0).cancelled).isTrue();
    assertThat(signals).isEmpty();
    assertThat(dropped).as("the refused sendMessage after the cancel is not an error").isEmpty();
  }

  @Test
  void cancelAfterTheResponseArrivedButBeforeDemandEmitsNothingAndCancelsTheCall() {
    List<String> signals = new ArrayList<>();
    BaseSubscriber<String> s = new BaseSubscriber<>() {
      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        // no demand
      }

      @Override
      protected void hookOnNext(String value) {
        signals.add(value);
      }
    };
    call().subscribe(s);
    channel.call(0).respond("y");
    s.cancel();
    channel.call(0).close(Status.OK);

    assertThat(channel.call(0).cancelled).isTrue();
    assertThat(signals).isEmpty();
  }

  @Test
  void aLinkageErrorFromNewCallIsSignalledNotThrown() {
    io.grpc.Channel broken = new io.grpc.Channel() {
      @Override
      public String authority() {
        return "broken";
      }

      @Override
      public <Q, R> io.grpc.ClientCall<Q, R> newCall(io.grpc.MethodDescriptor<Q, R> method, CallOptions options) {
        throw new NoClassDefFoundError("com/example/Missing");
      }
    };
    StepVerifier.create(UnaryCalls.call(broken, CallFakes.METHOD, "x", CallOptions.DEFAULT))
        .expectError(NoClassDefFoundError.class)
        .verify();
  }

  @Test
  void aFailureIsHandedOverToTheFallbackWithTheDownstreamsDemand() {
    List<String> received = new ArrayList<>();
    StepVerifier.create(Mono.<String>from(actual -> UnaryCalls.start(channel, CallFakes.METHOD, "x", CallOptions.DEFAULT,
            r -> r, e -> {
              received.add(Status.fromThrowable(e).getCode().name());
              return Mono.just("fallback");
            }, reactor.core.publisher.Operators.toCoreSubscriber(actual))), 0)
        .then(() -> channel.call(0).close(Status.UNAVAILABLE))
        .thenRequest(1)
        .expectNext("fallback")
        .verifyComplete();
    assertThat(received).containsExactly("UNAVAILABLE");
  }

  @Test
  void aFailingResponseMappingFailsTheCallWhenItCloses() {
    IllegalArgumentException bad = new IllegalArgumentException("bad response");
    StepVerifier.create(UnaryCalls.call(channel, CallFakes.METHOD, "x", CallOptions.DEFAULT, r -> {
      throw bad;
    }))
        .then(() -> {
          channel.call(0).respond("y");
          channel.call(0).close(Status.OK);
        })
        .expectErrorMatches(e -> e == bad)
        .verify();
  }
}
