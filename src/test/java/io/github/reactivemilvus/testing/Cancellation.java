package io.github.reactivemilvus.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Cancels calls at chosen moments, for tests that check what cancellation leaves behind. */
public final class Cancellation {
  private Cancellation() {}

  /**
   * The call, cancelled after {@code delay} unless it ended before; ends when the call ended or was
   * cancelled. (Not {@code Mono.take(Duration)}: in Reactor 3.8 it can, rarely, neither complete nor
   * pass on a value that arrives just as its timer fires.)
   */
  public static Mono<Void> cancelledAfter(Mono<?> call, Duration delay) {
    return Mono.create(sink -> {
      // an error that the cancellation itself causes arrives after the subscriber is disposed and
      // is dropped: the end of the call, whatever it is, ends the operation (the first signal wins)
      Disposable subscription = call
          .doFinally(signal -> sink.success())
          .subscribe(v -> { }, sink::error, sink::success);
      Schedulers.parallel().schedule(subscription::dispose, delay.toNanos(), TimeUnit.NANOSECONDS);
    });
  }
}
