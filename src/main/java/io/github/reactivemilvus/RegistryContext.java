package io.github.reactivemilvus;

import java.time.Duration;
import java.time.Instant;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/** What every alias of one registry shares: channels, scheduler, defaults and the event sink. */
final class RegistryContext {
  final SharedChannels shared;
  final Scheduler scheduler;
  final Duration defaultTimeout;
  final Duration gracePeriod;
  final Metrics metrics;
  private final Sinks.Many<ConnectionEvent> events = Sinks.many().multicast().directBestEffort();

  RegistryContext(SharedChannels shared, Scheduler scheduler, Duration defaultTimeout, Duration gracePeriod, Metrics metrics) {
    this.shared = shared;
    this.scheduler = scheduler;
    this.defaultTimeout = defaultTimeout;
    this.gracePeriod = gracePeriod;
    this.metrics = metrics;
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
}
