package io.github.reactivemilvus;

import io.github.reactivemilvus.internal.DeadlineSweeper;
import io.github.reactivemilvus.internal.SharedChannels;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * What every alias of one registry shares: channels, scheduler, defaults and the events.
 *
 * <p>Events, as Lettuce's event bus does it: an emit hands the event to one bounded buffer per
 * subscriber ({@code onBackpressureDrop} over a {@code publishOn} of {@link #eventBuffer}) and
 * returns; each subscriber is called on {@link #scheduler}, never on the emitting thread. A
 * subscriber whose buffer is full (it requests less than is emitted) misses the event: counted in
 * {@link #droppedEvents()}, logged once per subscriber. (A scheduler that runs tasks at once, such
 * as a {@code VirtualTimeScheduler}, delivers on the emitting thread: fine for tests.)
 */
final class RegistryContext {
  /** Events one subscriber may have waiting; more are dropped for it. */
  static final int DEFAULT_EVENT_BUFFER = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(ReactiveConnections.class);

  final SharedChannels shared;
  /** Enforces the aliases' default call deadlines; runs on {@link #scheduler}. */
  final DeadlineSweeper deadlines;
  final Scheduler scheduler;
  final Duration defaultTimeout;
  final Duration gracePeriod;
  /** Replaced when a {@link ReactiveConnectionsMetrics} binder is bound. */
  volatile Metrics metrics = Metrics.NOOP;
  /** The credentials suppliers by alias name (set once, before any alias is added). */
  volatile Map<String, Mono<MilvusCredentials>> credentials = Map.of();
  /** The user's interceptors and the observations; set while the registry is built, before any alias exists. */
  CallHooks hooks = CallHooks.NONE;
  private final Sinks.Many<ConnectionEvent> events = Sinks.many().multicast().directBestEffort();
  private final int eventBuffer;
  private final LongAdder dropped = new LongAdder();
  private final AtomicInteger slowSubscribers = new AtomicInteger();

  RegistryContext(SharedChannels shared, DeadlineSweeper deadlines, Scheduler scheduler, Duration defaultTimeout,
      Duration gracePeriod, int eventBuffer) {
    this.shared = shared;
    this.deadlines = deadlines;
    this.scheduler = scheduler;
    this.defaultTimeout = defaultTimeout;
    this.gracePeriod = gracePeriod;
    this.eventBuffer = eventBuffer;
  }

  /** The events from now on, for one subscriber: its own buffer, delivered on {@link #scheduler}. */
  Flux<ConnectionEvent> events() {
    return Flux.defer(() -> {
      AtomicBoolean warned = new AtomicBoolean();
      return events.asFlux()
          .onBackpressureDrop(event -> dropped(warned))
          .publishOn(scheduler, eventBuffer);
    });
  }

  /**
   * Runs on the emitting thread, under the emit lock: counts, and has the first drop of a subscriber
   * logged elsewhere (a log write may block).
   */
  private void dropped(AtomicBoolean warned) {
    dropped.increment();
    if (warned.compareAndSet(false, true)) {
      int slow = slowSubscribers.incrementAndGet();
      Runnable warn = () -> LOG.warn("an events() subscriber does not keep up: it misses events once {} are waiting for it; "
          + "what it misses is counted in {}.events.dropped ({} subscriber(s) so far)", eventBuffer, MicrometerMetrics.PREFIX, slow);
      try {
        Schedulers.boundedElastic().schedule(warn);
      } catch (RejectedExecutionException e) {
        warn.run();
      }
    }
  }

  /** Events missed by slow subscribers since the registry was built, all subscribers together. */
  long droppedEvents() {
    return dropped.sum();
  }

  /** How many subscribers have missed at least one event (each was logged once). */
  int slowSubscribers() {
    return slowSubscribers.get();
  }

  /**
   * Hands the event to every subscriber's buffer. Never call it under one of the registry's locks:
   * it takes the emit lock. No subscriber code runs here.
   */
  void emit(ConnectionEvent.Type type, String alias, String address, int attempt, Duration delay, String message) {
    if (events.currentSubscriberCount() == 0) {
      return; // nobody listens: a rejected call under load pays for nothing
    }
    ConnectionEvent event = new ConnectionEvent(type, alias, address, Instant.now(), attempt, delay, message);
    // emitters run on many threads; serialize them instead of spinning on FAIL_NON_SERIALIZED. The lock
    // covers the hand-over to each subscriber's buffer (and a drop count), nothing more.
    synchronized (events) {
      events.tryEmitNext(event);
    }
  }

  void emit(ConnectionEvent.Type type, String alias, String address, String message) {
    emit(type, alias, address, 0, Duration.ZERO, message);
  }

  /**
   * Completes the event stream, serialized with {@link #emit} (a racing emit would make the
   * completion fail); each subscriber gets it after the events already in its buffer.
   */
  void completeEvents() {
    synchronized (events) {
      events.tryEmitComplete();
    }
  }
}
