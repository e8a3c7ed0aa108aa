package io.github.reactivemilvus.client;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;

/**
 * Sends batches with a bounded number in flight and never leaves a sent batch unreported. Milvus
 * inserts are not idempotent, so a batch whose RPC may have reached the server must finish and be
 * reported, or the caller cannot know what was written:
 *
 * <ul>
 *   <li>when the batch source fails (a row that does not convert, a request body cut off), no new
 *       batch is sent; the batches in flight finish and their results are emitted, in batch
 *       order, before the error;
 *   <li>when a send fails, no new batch is sent; the other batches in flight finish and their
 *       results are emitted before the first failure;
 *   <li>when the subscriber cancels, the source is cancelled but the sends in flight are not:
 *       each finishes (bounded by its call deadline) and its result goes to {@code afterCancel}.
 * </ul>
 *
 * Each send is subscribed once, apart from the returned Flux, so cancelling the Flux never cancels
 * an RPC. Cold: every subscription starts from the source again.
 */
final class SettlingWrites {
  private SettlingWrites() {}

  /**
   * The results of {@code send} for each batch of {@code batches}, in batch order, at most
   * {@code maxInFlight} sent and not yet emitted; the first failure after every sent batch is
   * reported.
   *
   * @param afterCancel receives the results of sends that finish after the subscriber cancelled
   *     (called on the thread that completes the send; must not block)
   */
  static <B, R> Flux<R> send(Flux<B> batches, Function<B, Mono<R>> send, int maxInFlight, Consumer<R> afterCancel) {
    Objects.requireNonNull(batches, "batches");
    Objects.requireNonNull(send, "send");
    Objects.requireNonNull(afterCancel, "afterCancel");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be positive, was " + maxInFlight);
    }
    return Flux.deferContextual(subscriberContext -> {
      Run<R> run = new Run<>(afterCancel, Context.of(subscriberContext));
      return batches
          .takeUntilOther(run.stopSending.asMono())
          .onErrorResume(e -> {
            run.fail(e);
            return Mono.empty();
          })
          .map(batch -> run.start(send, batch))
          .flatMapSequential(Sent::result, maxInFlight, 1)
          .filter(Sent::claimForSubscriber)
          .map(sent -> Objects.requireNonNull(sent.value))
          .concatWith(Mono.defer(run::failure))
          .doOnCancel(run::cancel);
    });
  }

  /** The state of one subscription. */
  private static final class Run<R> {
    final Sinks.Empty<Void> stopSending = Sinks.empty();
    final AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
    final AtomicBoolean cancelled = new AtomicBoolean();
    final Queue<Sent<R>> unreported = new ConcurrentLinkedQueue<>();
    final Consumer<R> afterCancel;
    /** The subscriber's context, which every send sees (the caller's observation, for one). */
    final Context context;

    Run(Consumer<R> afterCancel, Context context) {
      this.afterCancel = afterCancel;
      this.context = context;
    }

    <B> Sent<R> start(Function<B, Mono<R>> send, B batch) {
      Sent<R> sent = new Sent<>(this);
      unreported.add(sent);
      Mono<R> call;
      try {
        call = Objects.requireNonNull(send.apply(batch), "send returned null");
      } catch (RuntimeException e) {
        sent.done(null, e);
        return sent;
      }
      // subscribed apart from the Flux (a cancel of the Flux never cancels the RPC), with the subscriber's context
      call.subscribe(value -> sent.done(value, null), error -> sent.done(null, error), () -> sent.doneEmpty(), context);
      return sent;
    }

    void fail(Throwable error) {
      if (firstFailure.compareAndSet(null, error)) {
        stopSending.tryEmitEmpty();
      }
    }

    Mono<R> failure() {
      Throwable error = firstFailure.get();
      return error == null ? Mono.empty() : Mono.error(error);
    }

    void cancel() {
      if (cancelled.compareAndSet(false, true)) {
        for (Sent<R> sent : unreported) {
          sent.handOverIfDone();
        }
      }
    }
  }

  /** One sent batch: its outcome, once, and whether it was reported to the subscriber or to afterCancel. */
  private static final class Sent<R> {
    private final Run<R> run;
    private final Sinks.One<Sent<R>> outcome = Sinks.one();
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile boolean finished;
    @Nullable R value;

    Sent(Run<R> run) {
      this.run = run;
    }

    Mono<Sent<R>> result() {
      return outcome.asMono().filter(s -> s.value != null);
    }

    void done(@Nullable R result, @Nullable Throwable error) {
      value = result;
      finished = true;
      if (error != null) {
        run.fail(error);
      }
      outcome.tryEmitValue(this);
      if (run.cancelled.get()) {
        handOverIfDone();
      }
    }

    void doneEmpty() {
      if (!finished) {
        done(null, null);
      }
    }

    /** Whether the subscriber gets the result: false when a cancel handed it to afterCancel first. */
    boolean claimForSubscriber() {
      if (!reported.compareAndSet(false, true)) {
        return false;
      }
      run.unreported.remove(this);
      return true;
    }

    /** After a cancel: the result goes to afterCancel, once, unless the subscriber had it. */
    void handOverIfDone() {
      if (finished && reported.compareAndSet(false, true)) {
        run.unreported.remove(this);
        R result = value;
        if (result != null) {
          run.afterCancel.accept(result);
        }
      }
    }
  }
}
