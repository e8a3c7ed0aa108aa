package io.github.reactivemilvus.internal;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The {@link ManagedChannel} handed out for one connected alias. Every call made on it, through
 * the library's stubs or any other stub, gets the alias's headers ({@code authorization},
 * {@code dbname}, {@code identifier}), its default deadline, and its in-flight/pending limits.
 * The physical connections underneath are shared ({@link ChannelGroup}).
 *
 * <p>{@link #shutdown()} refuses new calls and lets calls in flight finish for the grace period,
 * then cancels them; {@link #shutdownNow()} cancels at once. Either releases this alias's
 * reference on the physical channels. {@link #awaitTermination} blocks: never call it on an event
 * loop or a Reactor non-blocking thread. Thread-safe.
 */
public final class AliasChannel extends ManagedChannel {
  public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> DBNAME = Metadata.Key.of("dbname", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> IDENTIFIER = Metadata.Key.of("identifier", Metadata.ASCII_STRING_MARSHALLER);

  public final String alias;
  public final String address;
  public final ChannelGroup group;
  public final CallLimiter limiter;
  private final String authorization;
  private final String dbName;
  private final long callTimeoutNanos;
  private final Duration gracePeriod;
  private final Scheduler scheduler;
  private final Function<ChannelGroup, Mono<Void>> releaseGroup;
  private final Runnable onRejected;

  private final Set<LimitedCall<?, ?>> calls = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean shutdown = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  private final CountDownLatch terminatedLatch = new CountDownLatch(1);
  private final Sinks.Empty<Void> terminated = Sinks.empty();
  private volatile String identifier;

  public AliasChannel(String alias, ConnectionConfig config, ChannelGroup group, Duration gracePeriod,
      Scheduler scheduler, Function<ChannelGroup, Mono<Void>> releaseGroup, Runnable onRejected) {
    this.alias = alias;
    this.address = config.address();
    this.group = group;
    this.limiter = new CallLimiter(config.maxConcurrentCalls(), config.maxPendingCalls());
    this.authorization = config.authorizationHeader();
    this.dbName = config.dbName();
    this.callTimeoutNanos = config.callTimeout() == null ? 0 : config.callTimeout().toNanos();
    this.gracePeriod = gracePeriod;
    this.scheduler = scheduler;
    this.releaseGroup = releaseGroup;
    this.onRejected = onRejected;
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    if (shutdown.get()) {
      return new FailedCall<>(shutdownStatus());
    }
    CallOptions effective = options.getDeadline() == null && callTimeoutNanos > 0
        ? options.withDeadlineAfter(callTimeoutNanos, TimeUnit.NANOSECONDS)
        : options;
    return new LimitedCall<>(this, method, effective);
  }

  @Override
  public String authority() {
    return group.authority();
  }

  public void identifier(long id) {
    this.identifier = Long.toString(id);
  }

  public Metadata decorate(Metadata headers) {
    if (authorization != null && !headers.containsKey(AUTHORIZATION)) {
      headers.put(AUTHORIZATION, authorization);
    }
    if (dbName != null && !headers.containsKey(DBNAME)) {
      headers.put(DBNAME, dbName);
    }
    String id = identifier;
    if (id != null && !headers.containsKey(IDENTIFIER)) {
      headers.put(IDENTIFIER, id);
    }
    return headers;
  }

  public Status shutdownStatus() {
    return Status.UNAVAILABLE.withDescription("alias '" + alias + "' (" + address + ") was disconnected");
  }

  public boolean onCallOpened(LimitedCall<?, ?> call) {
    calls.add(call);
    if (shutdown.get()) {
      calls.remove(call);
      return false;
    }
    return true;
  }

  public void onCallClosed(LimitedCall<?, ?> call) {
    calls.remove(call);
    if (shutdown.get() && calls.isEmpty()) {
      release();
    }
  }

  public void onCallRejected() {
    onRejected.run();
  }

  public int openCalls() {
    return calls.size();
  }

  @Override
  public ManagedChannel shutdown() {
    if (shutdown.compareAndSet(false, true)) {
      if (calls.isEmpty()) {
        release();
      } else {
        scheduler.schedule(this::shutdownNow, gracePeriod.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    return this;
  }

  @Override
  public ManagedChannel shutdownNow() {
    shutdown.set(true);
    Status status = shutdownStatus();
    for (LimitedCall<?, ?> call : calls) {
      call.abort(status);
    }
    release();
    return this;
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      releaseGroup.apply(group)
          .doFinally(s -> {
            terminatedLatch.countDown();
            terminated.tryEmitEmpty();
          })
          .subscribe(null, e -> { });
    }
  }

  /** Completes once this alias released its channels (after in-flight calls or the grace period). */
  public Mono<Void> whenTerminated() {
    return terminated.asMono();
  }

  @Override
  public boolean isShutdown() {
    return shutdown.get();
  }

  @Override
  public boolean isTerminated() {
    return terminatedLatch.getCount() == 0;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminatedLatch.await(timeout, unit);
  }

  @Override
  public ConnectivityState getState(boolean requestConnection) {
    return shutdown.get() ? ConnectivityState.SHUTDOWN : group.state(requestConnection);
  }

  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    group.channel(0).notifyWhenStateChanged(source, callback);
  }

  @Override
  public void resetConnectBackoff() {
    group.resetConnectBackoff();
  }

  @Override
  public void enterIdle() {
    for (int i = 0; i < group.size(); i++) {
      group.channel(i).enterIdle();
    }
  }

  @Override
  public String toString() {
    return "AliasChannel{alias=" + alias + ", address=" + address + ", shutdown=" + shutdown.get() + '}';
  }

  /** A call refused up front: it closes with the given status as soon as it is started. */
  private static final class FailedCall<Q, R> extends ClientCall<Q, R> {
    private final Status status;

    FailedCall(Status status) {
      this.status = status;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      listener.onClose(status, new Metadata());
    }

    @Override
    public void request(int numMessages) { }

    @Override
    public void cancel(String message, Throwable cause) { }

    @Override
    public void halfClose() { }

    @Override
    public void sendMessage(Q message) { }
  }
}
