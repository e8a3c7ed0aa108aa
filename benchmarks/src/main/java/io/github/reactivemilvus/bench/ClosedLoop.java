package io.github.reactivemilvus.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The closed loop every load runs: keeps N operations in flight from {@code start} until {@link #stop},
 * each completion recorded (latency from issue to result) and counted, in one of three styles: a Reactor
 * {@code flatMap}, callback chains, or blocking threads. The first failure is kept and fails {@link #stop}.
 */
final class ClosedLoop {
  private final String name;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running;
  private volatile CountDownLatch drained;
  private Disposable pump;

  ClosedLoop(String name) {
    this.name = name;
  }

  /** The first failure since the last start, or null. */
  Throwable failure() {
    return failure.get();
  }

  private CountDownLatch begin() {
    failure.set(null);
    running = true;
    drained = new CountDownLatch(1);
    return drained;
  }

  /** An endless {@code Flux.generate(..).flatMap(call, concurrency)}, as a Reactor application keeps calls in flight. */
  void flatMap(int concurrency, Recorder recorder, Runnable onComplete, Supplier<? extends Mono<?>> call) {
    CountDownLatch done = begin();
    pump = Flux.<Integer>generate(sink -> {
          if (running) {
            sink.next(0);
          } else {
            sink.complete();
          }
        })
        .flatMap(i -> Mono.defer(() -> {
          long t0 = System.nanoTime();
          return call.get().doOnNext(v -> recorder.recordValue(System.nanoTime() - t0));
        }), concurrency)
        .subscribe(v -> onComplete.run(), e -> {
          failure.compareAndSet(null, e);
          done.countDown();
        }, done::countDown);
  }

  /** {@code concurrency} chains: each operation's callback issues the next; {@code issue} reports null or a failure. */
  void chains(int concurrency, Recorder recorder, Runnable onComplete, Consumer<Consumer<Throwable>> issue) {
    CountDownLatch done = begin();
    AtomicInteger chains = new AtomicInteger(concurrency);
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (!running) {
        if (chains.decrementAndGet() == 0) {
          done.countDown();
        }
        return;
      }
      long t0 = System.nanoTime();
      issue.accept(error -> {
        if (error == null) {
          recorder.recordValue(System.nanoTime() - t0);
          onComplete.run();
        } else {
          failure.compareAndSet(null, error);
        }
        next[0].run();
      });
    };
    for (int i = 0; i < concurrency; i++) {
      next[0].run();
    }
  }

  /** Reports a future's outcome to a chain's callback, on the thread that completes it. */
  static <T> void whenDone(ListenableFuture<T> future, Consumer<? super T> check, Consumer<Throwable> done) {
    Futures.addCallback(future, new FutureCallback<T>() {
      @Override
      public void onSuccess(T result) {
        try {
          check.accept(result);
        } catch (RuntimeException e) {
          done.accept(e);
          return;
        }
        done.accept(null);
      }

      @Override
      public void onFailure(Throwable t) {
        done.accept(t);
      }
    }, MoreExecutors.directExecutor());
  }

  /** {@code concurrency} threads of {@code pool}, each making the blocking {@code call} in a loop. */
  void threads(ExecutorService pool, int concurrency, Recorder recorder, Runnable onComplete, Callable<?> call) {
    CountDownLatch done = begin();
    AtomicInteger workers = new AtomicInteger(concurrency);
    for (int t = 0; t < concurrency; t++) {
      pool.execute(() -> {
        try {
          while (running) {
            long t0 = System.nanoTime();
            call.call();
            recorder.recordValue(System.nanoTime() - t0);
            onComplete.run();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        } finally {
          if (workers.decrementAndGet() == 0) {
            done.countDown();
          }
        }
      });
    }
  }

  /** Stops issuing operations and waits for the ones in flight; throws the first failure. */
  void stop() throws InterruptedException {
    running = false;
    if (!drained.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + ": operations in flight did not finish");
    }
    if (pump != null) {
      pump.dispose();
      pump = null;
    }
    if (failure.get() != null) {
      throw new IllegalStateException(name + ": an operation failed", failure.get());
    }
  }
}
