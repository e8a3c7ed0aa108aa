package io.github.reactivemilvus.client;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;

/**
 * A Flux over pages that fetches a page only when downstream has asked for an item the buffered
 * pages cannot give, one fetch at a time, and stops fetching when cancelled (the fetch in flight
 * is cancelled too).
 */
final class Paging {
  private Paging() {}

  /** A page: its items and the cursor of the next page, or null when this is the last. */
  record Page<C, T>(List<T> items, @Nullable C next) {}

  static <C, T> Flux<T> flux(@Nullable C first, Function<C, Mono<Page<C, T>>> fetch) {
    return Flux.create(sink -> new Drain<>(sink, first, fetch).start());
  }

  private static final class Drain<C, T> {
    private final FluxSink<T> sink;
    private final Function<C, Mono<Page<C, T>>> fetch;
    private final Queue<T> buffer = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile @Nullable C cursor;
    private volatile boolean fetching;
    private volatile boolean last;
    /** The page fetch under way; disposed with the sink, and a fetch started after that is disposed at once. */
    private final Disposable.Swap inFlight = Disposables.swap();

    Drain(FluxSink<T> sink, @Nullable C first, Function<C, Mono<Page<C, T>>> fetch) {
      this.sink = sink;
      this.cursor = first;
      this.fetch = fetch;
    }

    void start() {
      sink.onRequest(n -> drain());
      sink.onDispose(inFlight);
    }

    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      do {
        while (sink.requestedFromDownstream() > 0 && !buffer.isEmpty() && !sink.isCancelled()) {
          sink.next(buffer.poll());
        }
        if (buffer.isEmpty() && !fetching && !sink.isCancelled()) {
          if (last) {
            sink.complete();
          } else if (sink.requestedFromDownstream() > 0) {
            fetching = true;
            java.util.concurrent.atomic.AtomicBoolean received = new java.util.concurrent.atomic.AtomicBoolean();
            C from = cursor;
            // deferred: a fetch that throws fails the flux instead of leaving the drain loop claimed
            inFlight.update(Mono.defer(() -> fetch.apply(from)).subscribe(page -> {
              received.set(true);
              buffer.addAll(page.items());
              cursor = page.next();
              last = page.next() == null;
              fetching = false;
              drain();
            }, sink::error, () -> {
              if (!received.get()) {
                sink.error(new IllegalStateException("a page fetch completed without a page"));
              }
            }));
          }
        }
      } while (wip.decrementAndGet() != 0);
    }
  }
}
