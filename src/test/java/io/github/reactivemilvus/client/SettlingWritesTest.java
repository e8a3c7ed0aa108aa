package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Sent batches are never cancelled and never left unreported, whatever ends the stream. */
class SettlingWritesTest {
  private final Map<Integer, Sinks.One<String>> calls = new ConcurrentHashMap<>();
  private final List<Integer> cancelledCalls = new CopyOnWriteArrayList<>();
  private final List<String> afterCancel = new CopyOnWriteArrayList<>();

  private Mono<String> send(int batch) {
    Sinks.One<String> call = Sinks.one();
    calls.put(batch, call);
    return call.asMono().doOnCancel(() -> cancelledCalls.add(batch));
  }

  private void answer(int batch) {
    calls.get(batch).tryEmitValue("r" + batch);
  }

  @Test
  void resultsComeInBatchOrderWhateverOrderTheServerAnswersIn() {
    StepVerifier.create(SettlingWrites.send(Flux.range(1, 4), this::send, 2, afterCancel::add))
        .then(() -> answer(2)).then(() -> answer(1)).expectNext("r1", "r2")
        .then(() -> answer(4)).then(() -> answer(3)).expectNext("r3", "r4")
        .verifyComplete();
    assertThat(cancelledCalls).isEmpty();
  }

  @Test
  void aSourceFailureLetsTheSentBatchesFinishAndReportsThemBeforeTheError() {
    IllegalArgumentException badRow = new IllegalArgumentException("row 2400 does not fit");
    Flux<Integer> batches = Flux.concat(Flux.just(1, 2), Flux.error(badRow));
    StepVerifier.create(SettlingWrites.send(batches, this::send, 2, afterCancel::add))
        .then(() -> assertThat(calls).containsOnlyKeys(1, 2))
        .then(() -> answer(2)).expectNoEvent(java.time.Duration.ofMillis(20))
        .then(() -> answer(1))
        .expectNext("r1", "r2")
        .verifyErrorSatisfies(e -> assertThat(e).isSameAs(badRow));
    assertThat(cancelledCalls).isEmpty();
  }

  @Test
  void aFailedSendStopsNewBatchesAndTheOthersInFlightAreReportedBeforeTheFailure() {
    IllegalStateException rejected = new IllegalStateException("rejected");
    StepVerifier.create(SettlingWrites.send(Flux.range(1, 5), this::send, 2, afterCancel::add))
        .then(() -> calls.get(1).tryEmitError(rejected))
        .then(() -> answer(2))
        .expectNext("r2")
        .verifyErrorSatisfies(e -> assertThat(e).isSameAs(rejected));
    assertThat(calls).containsOnlyKeys(1, 2);
    assertThat(cancelledCalls).isEmpty();
  }

  @Test
  void aCancelledStreamLetsTheSentBatchesFinishAndHandsTheirResultsOver() {
    List<String> received = new CopyOnWriteArrayList<>();
    AtomicBoolean sourceCancelled = new AtomicBoolean();
    Disposable subscription = SettlingWrites.send(Flux.range(1, 5).doOnCancel(() -> sourceCancelled.set(true)),
        this::send, 2, afterCancel::add).subscribe(received::add);
    answer(1);
    assertThat(received).containsExactly("r1");
    assertThat(calls).containsOnlyKeys(1, 2, 3);
    answer(3);
    subscription.dispose();
    assertThat(sourceCancelled).isTrue();
    assertThat(afterCancel).containsExactly("r3");
    answer(2);
    assertThat(afterCancel).containsExactly("r3", "r2");
    assertThat(cancelledCalls).isEmpty();
    assertThat(calls).containsOnlyKeys(1, 2, 3);
    assertThat(received).containsExactly("r1");
  }

  @Test
  void eachSubscriptionStartsOver() {
    Flux<String> writes = SettlingWrites.send(Flux.range(1, 1), b -> Mono.just("r" + b), 1, afterCancel::add);
    StepVerifier.create(writes).expectNext("r1").verifyComplete();
    StepVerifier.create(writes).expectNext("r1").verifyComplete();
  }
}
