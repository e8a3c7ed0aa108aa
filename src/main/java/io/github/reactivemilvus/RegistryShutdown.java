package io.github.reactivemilvus;

import io.github.reactivemilvus.internal.EventLoops;
import io.github.reactivemilvus.internal.SharedChannels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One close of a registry, in three steps: disconnect every alias gracefully, shut down the channels
 * that are left, shut down the event loops and threads the registry created. Every step runs even
 * when an earlier one failed (a failing channel shutdown must not leak the loops); the failures are
 * reported together once everything was attempted. The close is bounded: at the timeout (counted on
 * the registry's scheduler) the steps not started yet are started without waiting for them, what is
 * not released is logged at WARN, and the close completes. Thread-safe.
 */
final class RegistryShutdown {
  static final String ALIASES = "aliases";
  static final String CHANNELS = "channels";
  static final String LOOPS = "event loops";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryShutdown.class);

  private final RegistryContext ctx;
  private final SharedChannels channels;
  private final EventLoops loops;
  private final Duration timeout;
  /** Wraps each step by name: identity, except where tests inject faults. */
  volatile BiFunction<String, Mono<Void>, Mono<Void>> stepHook = (name, step) -> step;
  private final Sinks.Empty<Void> done = Sinks.empty();
  private final List<Failure> failures = new ArrayList<>(); // guarded by itself
  private final Set<String> aliasesLeft = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean loopsStarted = new AtomicBoolean();
  private boolean finished; // guarded by failures
  private volatile @Nullable Disposable timer;
  private volatile @Nullable List<String> leftAtTimeout;

  /** A close of the registry's {@code channels} and {@code loops}, bounded by {@code timeout}. */
  RegistryShutdown(RegistryContext ctx, SharedChannels channels, EventLoops loops, Duration timeout) {
    this.ctx = ctx;
    this.channels = channels;
    this.loops = loops;
    this.timeout = timeout;
  }

  /** Starts the close of {@code aliases} (by name) and of everything the registry holds; does not block. */
  void start(Map<String, AliasEntry> aliases) {
    aliasesLeft.addAll(aliases.keySet());
    Mono<Void> retireAll = Flux.fromIterable(aliases.entrySet())
        .flatMap(e -> Mono.defer(e.getValue()::retire)
            // before the signal goes on (doFinally would run after the next steps started)
            .doOnTerminate(() -> aliasesLeft.remove(e.getKey()))
            .onErrorResume(t -> {
              record("disconnecting alias '" + e.getKey() + "'", t);
              return Mono.empty();
            }))
        .then();
    timer = Mono.delay(timeout, ctx.scheduler).subscribe(t -> timedOut(),
        e -> LOG.warn("the close timeout could not be scheduled (scheduler shut down?); the close waits for every step", e));
    step(ALIASES, retireAll)
        .then(step(CHANNELS, Mono.defer(channels::closeAll)))
        .then(closeLoops())
        .subscribe(null, e -> {
          record("closing the registry", e); // not expected: every step records its own failure
          stepsDone();
        }, this::stepsDone);
  }

  /** Completes when the close is done or timed out; fails with every step failure when a step failed. */
  Mono<Void> result() {
    return done.asMono();
  }

  private Mono<Void> closeLoops() {
    return Mono.defer(() -> loopsStarted.compareAndSet(false, true) ? step(LOOPS, Mono.defer(loops::close)) : Mono.empty());
  }

  /** Runs one step; a failure is recorded instead of ending the close. */
  private Mono<Void> step(String name, Mono<Void> step) {
    return Mono.defer(() -> stepHook.apply(name, step))
        .onErrorResume(e -> {
          record("shutting down the " + name, e);
          return Mono.empty();
        });
  }

  private void record(String what, Throwable e) {
    synchronized (failures) {
      if (!finished) {
        failures.add(new Failure(what, e));
        return;
      }
    }
    // the close already reported (it timed out): nobody waits for this any more
    LOG.warn("closing the registry: {} failed after the close timed out", what, e);
  }

  private void stepsDone() {
    Disposable t = timer;
    if (t != null) {
      t.dispose();
    }
    List<String> left = unreleased();
    if (!finish()) {
      if (left.isEmpty()) {
        LOG.info("the registry finished closing after its close timeout of {}: everything is released now", timeout);
      }
      return;
    }
    if (!left.isEmpty()) {
      LOG.warn("closed the registry, but these did not terminate: {}", String.join("; ", left));
    }
    report();
  }

  private void timedOut() {
    // claimed first: forcing the loops down ends the hanging steps, and their completion must not
    // report the close as clean before what hung was logged
    if (!finish()) {
      return;
    }
    List<String> left = unreleased();
    leftAtTimeout = left;
    // loops still running would leak their threads: shut them down even while earlier steps hang
    closeLoops().subscribe(null, e -> LOG.warn("shutting down the event loops failed", e));
    LOG.warn("closing the registry did not finish within its close timeout of {}; giving up waiting for: {}", timeout,
        left.isEmpty() ? "a step that holds nothing tracked here" : String.join("; ", left));
    report();
  }

  /** Marks the close finished; false when it already was (by the timeout or the steps). */
  private boolean finish() {
    synchronized (failures) {
      if (finished) {
        return false;
      }
      finished = true;
    }
    ctx.completeEvents();
    return true;
  }

  private void report() {
    List<Failure> all;
    synchronized (failures) {
      all = List.copyOf(failures); // nothing is added once finished
    }
    if (all.isEmpty()) {
      done.tryEmitEmpty();
    } else {
      done.tryEmitError(combine(all));
    }
  }

  /** What was not released when the close timed out; null when it did not time out. */
  @Nullable List<String> leftAtTimeout() {
    return leftAtTimeout;
  }

  /** What the close has not released: aliases still disconnecting, channels and loops not terminated. */
  private List<String> unreleased() {
    List<String> left = new ArrayList<>();
    if (!aliasesLeft.isEmpty()) {
      left.add("aliases still disconnecting " + aliasesLeft.stream().sorted().toList());
    }
    left.addAll(channels.unreleased());
    left.addAll(loops.unreleased());
    return left;
  }

  /**
   * One exception for every failed step: the first failure is its cause, the others are suppressed.
   * The message names the steps and the exception types only (a message could quote a secret).
   */
  static MilvusConnectionException combine(List<Failure> all) {
    String steps = all.stream().map(f -> f.what + " (" + f.error.getClass().getSimpleName() + ")")
        .collect(Collectors.joining(", "));
    MilvusConnectionException e = new MilvusConnectionException(FailureKind.CLIENT, null, null,
        "closing the registry failed in " + all.size() + (all.size() == 1 ? " step: " : " steps: ") + steps
            + "; every other step ran", null, 0, all.get(0).error);
    for (int i = 1; i < all.size(); i++) {
      e.addSuppressed(all.get(i).error);
    }
    return e;
  }

  /** A failed step and its error. */
  record Failure(String what, Throwable error) {}
}
