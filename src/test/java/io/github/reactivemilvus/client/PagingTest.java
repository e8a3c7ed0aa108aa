package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;

/** {@link Paging}: fetches driven by demand, one at a time, cancelled with the flux; orderings forced by hand. */
class PagingTest {
  private final List<Integer> fetchedFrom = new ArrayList<>();
  private final List<TestPublisher<Paging.Page<Integer, String>>> fetches = new ArrayList<>();

  /** Each fetch is a publisher the test completes by hand. */
  private Mono<Paging.Page<Integer, String>> fetch(Integer cursor) {
    fetchedFrom.add(cursor);
    TestPublisher<Paging.Page<Integer, String>> p = TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);
    fetches.add(p);
    return p.mono();
  }

  @Test
  void aPageIsFetchedOnlyWhenDemandExceedsTheBufferAndOneAtATime() {
    StepVerifier.create(Paging.flux(0, this::fetch), 0)
        .then(() -> assertThat(fetchedFrom).isEmpty())
        .thenRequest(10)
        .then(() -> assertThat(fetchedFrom).containsExactly(0))
        .then(() -> fetches.get(0).emit(new Paging.Page<>(List.of("a", "b"), 1)))
        .expectNext("a", "b")
        .then(() -> assertThat(fetchedFrom).containsExactly(0, 1))
        .then(() -> fetches.get(1).emit(new Paging.Page<>(List.of("c"), null)))
        .expectNext("c")
        .verifyComplete();
  }

  @Test
  void bufferedItemsAreServedWithoutAFetch() {
    StepVerifier.create(Paging.flux(0, this::fetch), 1)
        .then(() -> fetches.get(0).emit(new Paging.Page<>(List.of("a", "b", "c"), 1)))
        .expectNext("a")
        .thenRequest(2)
        .expectNext("b", "c")
        .then(() -> assertThat(fetchedFrom).as("no fetch while the buffer served the demand").containsExactly(0))
        .thenRequest(1)
        .then(() -> assertThat(fetchedFrom).containsExactly(0, 1))
        .thenCancel()
        .verify();
  }

  @Test
  void cancelWhileFetchingCancelsTheFetchAndFetchesNoMore() {
    StepVerifier.create(Paging.flux(0, this::fetch))
        .then(() -> assertThat(fetches.get(0).wasSubscribed()).isTrue())
        .thenCancel()
        .verify();
    fetches.get(0).assertCancelled();
    assertThat(fetchedFrom).containsExactly(0);
  }

  @Test
  void aPageArrivingAfterTheCancelIsNotEmittedAndStartsNoFetch() {
    List<String> seen = new ArrayList<>();
    var disposable = Paging.flux(0, this::fetch).subscribe(seen::add);
    disposable.dispose();
    fetches.get(0).emit(new Paging.Page<>(List.of("late"), 1));
    assertThat(seen).isEmpty();
    assertThat(fetchedFrom).containsExactly(0);
  }

  @Test
  void aFetchThatThrowsFailsTheFlux() {
    IllegalStateException broken = new IllegalStateException("cannot build the request");
    StepVerifier.create(Paging.<Integer, String>flux(0, c -> {
      throw broken;
    }))
        .expectErrorMatches(e -> e == broken)
        .verify();
  }

  @Test
  void aFetchThatCompletesWithoutAPageFailsTheFlux() {
    StepVerifier.create(Paging.<Integer, String>flux(0, c -> Mono.empty()))
        .expectErrorMessage("a page fetch completed without a page")
        .verify();
  }

  @Test
  void aFailedFetchFailsTheFluxAfterTheItemsBefore() {
    StepVerifier.create(Paging.flux(0, this::fetch))
        .then(() -> fetches.get(0).emit(new Paging.Page<>(List.of("a"), 1)))
        .expectNext("a")
        .then(() -> fetches.get(1).error(new IllegalArgumentException("server error")))
        .expectErrorMessage("server error")
        .verify();
  }

  @Test
  void tenThousandPagesAnsweredSynchronouslyDoNotNest() {
    StepVerifier.create(Paging.<Integer, String>flux(0,
            c -> Mono.just(new Paging.Page<>(List.of("p" + c), c + 1 < 10_000 ? c + 1 : null))))
        .expectNextSequence(IntStream.range(0, 10_000).mapToObj(i -> "p" + i).toList())
        .verifyComplete();
  }

  @Test
  void emptyPagesAreSkippedUntilAPageWithItems() {
    StepVerifier.create(Paging.<Integer, String>flux(0,
            c -> Mono.just(c < 3 ? new Paging.Page<>(List.<String>of(), c + 1) : new Paging.Page<>(List.of("x"), null))))
        .expectNext("x")
        .verifyComplete();
  }
}
