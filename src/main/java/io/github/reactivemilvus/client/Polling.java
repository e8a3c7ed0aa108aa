package io.github.reactivemilvus.client;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Waits for work the server does in the background: polls a probe with exponential backoff on a
 * scheduler (the registry's; a virtual-time one in tests) until it reports done, bounded by a
 * timeout. Stateless.
 */
final class Polling {
  private Polling() {}

  /** What one poll found: done, or not yet with the state seen (for the timeout message). */
  record Probe(boolean done, String state) {
    static Probe finished() {
      return new Probe(true, "done");
    }

    static Probe pending(String state) {
      return new Probe(false, state);
    }
  }

  /** Not done yet; the signal that makes the poll repeat. Carries no stack trace. */
  private static final class NotYet extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotYet(String state) {
      super(state, null, false, false);
    }
  }

  /**
   * Completes when {@code probe} reports done; fails with the probe's own error (a failed index
   * build, an RPC failure) or, after {@link WaitOptions#timeout()}, with a
   * {@link TimeoutException} naming {@code what} and the last state seen. Completes at once without
   * probing when the options do not wait.
   */
  static Mono<Void> until(Supplier<Mono<Probe>> probe, WaitOptions options, Scheduler scheduler, String what) {
    if (!options.waits()) {
      return Mono.empty();
    }
    return Mono.defer(() -> {
      AtomicReference<String> last = new AtomicReference<>("not polled yet");
      Mono<Probe> once = Mono.defer(probe).flatMap(p -> {
        last.set(p.state());
        return p.done() ? Mono.just(p) : Mono.error(new NotYet(p.state()));
      });
      Duration timeout = options.timeout();
      return once.retryWhen(Retry.backoff(Long.MAX_VALUE, options.firstDelay()).maxBackoff(options.maxDelay()).jitter(0)
              .filter(NotYet.class::isInstance).scheduler(scheduler))
          .timeout(timeout, scheduler)
          .onErrorMap(TimeoutException.class, e -> new TimeoutException(what + " not done within " + timeout
              + " (last state: " + last.get() + "); the server goes on with it"))
          .then();
    });
  }
}
