package io.github.reactivemilvus;

import io.github.reactivemilvus.internal.DeadlineSweeper;
import io.github.reactivemilvus.internal.SharedChannels;
import java.time.Duration;
import java.time.Instant;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/** What every alias of one registry shares: channels, scheduler, defaults and the event sink. */
final class RegistryContext {
  final SharedChannels shared;
  /** Enforces the aliases' default call deadlines; runs on {@link #scheduler}. */
  final DeadlineSweeper deadlines;
  final Scheduler scheduler;
  final Duration defaultTimeout;
  final Duration gracePeriod;
  /** Replaced when a {@link ReactiveConnectionsMetrics} binder is bound. */
  volatile Metrics metrics = Metrics.NOOP;
  private final Sinks.Many<ConnectionEvent> events = Sinks.many().multicast().directBestEffort();

  RegistryContext(SharedChannels shared, DeadlineSweeper deadlines, Scheduler scheduler, Duration defaultTimeout,
      Duration gracePeriod) {
    this.shared = shared;
    this.deadlines = deadlines;
    this.scheduler = scheduler;
    this.defaultTimeout = defaultTimeout;
    this.gracePeriod = gracePeriod;
  }

  Sinks.Many<ConnectionEvent> events() {
    return events;
  }

  void emit(ConnectionEvent.Type type, String alias, String address, int attempt, Duration delay, String message) {
    ConnectionEvent event = new ConnectionEvent(type, alias, address, Instant.now(), attempt, delay, message);
    // emitters run on many threads; serialize them instead of spinning on FAIL_NON_SERIALIZED
    synchronized (events) {
      events.tryEmitNext(event);
    }
  }

  void emit(ConnectionEvent.Type type, String alias, String address, String message) {
    emit(type, alias, address, 0, Duration.ZERO, message);
  }

  /** Completes the event stream, serialized with {@link #emit} (a racing emit would make the completion fail). */
  void completeEvents() {
    synchronized (events) {
      events.tryEmitComplete();
    }
  }
}
