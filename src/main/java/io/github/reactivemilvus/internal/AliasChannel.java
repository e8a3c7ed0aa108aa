package io.github.reactivemilvus.internal;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The {@link ManagedChannel} handed out for one connected alias. Every call made on it, through
 * the library's stubs or any other stub, gets the alias's headers ({@code authorization},
 * {@code dbname}, {@code identifier}; an {@link AliasHeaders} interceptor), its default deadline
 * (swept by the registry's {@link DeadlineSweeper}), and its in-flight/pending limits (each call a
 * {@link LimitedCall}).
 * The physical connections underneath are shared ({@link ChannelGroup}).
 *
 * <p>The path of a call, outermost first: the observing interceptor, if any (it sees every call,
 * refused ones too, and its span covers the wait for a permit); the limits and the default deadline;
 * the user's interceptors, in the order given (they see only admitted calls, with their deadline);
 * the alias's headers (put only where an interceptor before them did not set the header); the
 * physical channel, with whatever interceptors a channel customizer put on it.
 *
 * <p>{@link #shutdown()} refuses new calls and lets calls in flight finish for the grace period,
 * then cancels them; {@link #shutdownNow()} cancels at once. Either releases this alias's
 * reference on the physical channels. {@link #awaitTermination} blocks: never call it on an event
 * loop or a Reactor non-blocking thread. Thread-safe.
 */
@Internal
public final class AliasChannel extends ManagedChannel {
  public static final Metadata.Key<String> AUTHORIZATION = AliasHeaders.AUTHORIZATION;
  public static final Metadata.Key<String> DBNAME = AliasHeaders.DBNAME;
  public static final Metadata.Key<String> IDENTIFIER = AliasHeaders.IDENTIFIER;
  private static final Logger LOG = LoggerFactory.getLogger(AliasChannel.class);

  private final String alias;
  private final String address;
  private final ChannelGroup group;
  private final CallLimiter limiter;
  private final AliasHeaders headers;
  private final Channel next;
  /** Observes every call when set; null (no observation registry) leaves the call path as it is. */
  private final @Nullable ClientInterceptor observer;
  private final Channel limited = new Channel() {
    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      return limitedCall(method, options);
    }

    @Override
    public String authority() {
      return AliasChannel.this.authority();
    }
  };
  private final long callTimeoutNanos;
  private final Duration callTimeout;
  private final @Nullable DeadlineSweeper sweeper;
  private final long sweptTicks;
  private final Duration gracePeriod;
  private final Scheduler scheduler;
  private final Function<ChannelGroup, Mono<Void>> releaseGroup;
  private final Runnable onRejected;
  private final Owner owner = new Owner();
  private final Mono<ManagedChannel> published = Mono.just(this);

  private final OpenCalls calls = new OpenCalls();
  private final AtomicBoolean shutdown = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();

  /**
   * @param sweeper enforces {@code call_timeout} for calls without a deadline of their own (see
   *     {@link DeadlineSweeper#sweeps}); the channel registers with it until it is released
   */
  public AliasChannel(String alias, ConnectionConfig config, ChannelGroup group, DeadlineSweeper sweeper,
      Duration gracePeriod, Scheduler scheduler, Function<ChannelGroup, Mono<Void>> releaseGroup, Runnable onRejected) {
    this(alias, config, null, group, sweeper, gracePeriod, scheduler, releaseGroup, onRejected, List.of(), null);
  }

  /**
   * As the other constructor, with the {@code authorization} header taken from {@code authorization}
   * when each call starts (refreshed credentials); null takes it from the config.
   */
  public AliasChannel(String alias, ConnectionConfig config, @Nullable Authorization authorization, ChannelGroup group,
      DeadlineSweeper sweeper, Duration gracePeriod, Scheduler scheduler, Function<ChannelGroup, Mono<Void>> releaseGroup,
      Runnable onRejected) {
    this(alias, config, authorization, group, sweeper, gracePeriod, scheduler, releaseGroup, onRejected, List.of(), null);
  }

  /**
   * As the other constructors, with the user's {@code interceptors} (the first is the outermost) between
   * the limits and the alias's headers, and {@code observer}, when not null, around everything.
   */
  public AliasChannel(String alias, ConnectionConfig config, @Nullable Authorization authorization, ChannelGroup group,
      DeadlineSweeper sweeper, Duration gracePeriod, Scheduler scheduler, Function<ChannelGroup, Mono<Void>> releaseGroup,
      Runnable onRejected, List<? extends ClientInterceptor> interceptors, @Nullable ClientInterceptor observer) {
    this.alias = alias;
    this.address = config.address();
    this.group = group;
    // calls that waited start on the scheduler's non-blocking threads, never on the stack of the call that freed their permit
    this.limiter = new CallLimiter(config.maxConcurrentCalls(), config.maxPendingCalls(), scheduler::schedule);
    this.headers = authorization == null ? new AliasHeaders(config.authorizationHeader(), config.dbName())
        : new AliasHeaders(authorization, true, config.dbName());
    Channel withHeaders = ClientInterceptors.intercept(group, headers);
    this.next = interceptors.isEmpty() ? withHeaders : ClientInterceptors.interceptForward(withHeaders, List.copyOf(interceptors));
    this.observer = observer;
    this.callTimeout = config.callTimeout();
    this.callTimeoutNanos = callTimeout == null ? 0 : callTimeout.toNanos();
    this.sweeper = DeadlineSweeper.sweeps(callTimeout) ? sweeper : null;
    this.sweptTicks = this.sweeper == null ? 0 : DeadlineSweeper.ticksFor(callTimeout);
    this.gracePeriod = gracePeriod;
    this.scheduler = scheduler;
    this.releaseGroup = releaseGroup;
    this.onRejected = onRejected;
    if (this.sweeper != null) {
      this.sweeper.register(this);
    }
  }

  /**
   * A call that passes this alias's limiter and gets its headers. Without a deadline of its own it
   * gets the default deadline: swept by the registry's {@link DeadlineSweeper}, or (for a default
   * deadline below a second) grpc-java's exact per-call deadline.
   */
  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    ClientInterceptor o = observer;
    return o == null ? limitedCall(method, options) : o.interceptCall(method, options, limited);
  }

  private <Q, R> ClientCall<Q, R> limitedCall(MethodDescriptor<Q, R> method, CallOptions options) {
    if (shutdown.get()) {
      return new FailedCall<>(shutdownStatus());
    }
    boolean swept = false;
    CallOptions effective = options;
    if (options.getDeadline() == null && callTimeoutNanos > 0) {
      if (sweeper != null) {
        swept = true;
      } else {
        effective = options.withDeadlineAfter(callTimeoutNanos, TimeUnit.NANOSECONDS);
      }
    }
    return new LimitedCall<>(next, limiter, owner, alias, method, effective, swept, scheduler);
  }

  @Override
  public String authority() {
    return group.authority();
  }

  /** The identifier the server gave in the handshake; later calls carry it. */
  public void identifier(long id) {
    headers.identifier(id);
  }

  /** This channel as an already-completed {@code Mono}, the same instance every time. */
  public Mono<ManagedChannel> asMono() {
    return published;
  }

  /**
   * The status a call made after {@link #shutdown()} fails with: UNAVAILABLE, naming the alias, with a
   * {@link LocalCauses.Disconnected} cause (which tells it apart from a server that is unavailable).
   */
  public Status shutdownStatus() {
    String description = "alias '" + alias + "' (" + address + ") was disconnected";
    return Status.UNAVAILABLE.withDescription(description).withCause(new LocalCauses.Disconnected(description));
  }

  /** The shared physical channels under this alias (the pool), for inspecting how calls spread. */
  public ChannelGroup group() {
    return group;
  }

  /** Calls admitted and running now. */
  public int callsInFlight() {
    return limiter.inFlight();
  }

  /** Calls waiting for a permit now. */
  public int callsPending() {
    return limiter.pending();
  }

  /** Calls started and not yet closed (running or waiting). */
  public int openCalls() {
    return calls.size();
  }

  /** Cancels, with {@code DEADLINE_EXCEEDED}, the calls past the default deadline at {@code tick}. */
  void expireCallsDueAt(long tick) {
    if (calls.isEmpty()) {
      return;
    }
    String description = "the call exceeded the default deadline of " + callTimeout.toMillis()
        + " ms (call_timeout) of alias '" + alias + "' (" + address + ")";
    Status status = Status.DEADLINE_EXCEEDED.withDescription(description).withCause(new LocalCauses.DefaultDeadline(description));
    for (LimitedCall<?, ?> call : calls.expiredAt(tick)) {
      call.expire(status);
    }
  }

  /** What the calls of this channel report back; kept apart so none of it is public. */
  private final class Owner implements CallOwner {
    @Override
    public OpenCalls.@Nullable Entry opened(LimitedCall<?, ?> call, boolean sweptDeadline) {
      // a swept deadline is asked for only when this channel has a sweeper
      OpenCalls.Entry entry = calls.add(call, sweptDeadline ? Objects.requireNonNull(sweeper).now() + sweptTicks : Long.MAX_VALUE);
      if (shutdown.get()) {
        calls.remove(entry);
        if (calls.isEmpty()) {
          release();
        }
        return null;
      }
      return entry;
    }

    @Override
    public void closed(OpenCalls.Entry entry) {
      calls.remove(entry);
      if (shutdown.get() && calls.isEmpty()) {
        release();
      }
    }

    @Override
    public void rejected() {
      onRejected.run();
    }

    @Override
    /** The status a call made after {@link #shutdown()} fails with: UNAVAILABLE, naming the alias. */
  public Status shutdownStatus() {
      return AliasChannel.this.shutdownStatus();
    }
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
    for (LimitedCall<?, ?> call : calls.all()) {
      call.abort(status);
    }
    release();
    return this;
  }

  private void release() {
    if (released.compareAndSet(false, true)) {
      if (sweeper != null) {
        sweeper.unregister(this);
      }
      releaseGroup.apply(group)
          .doFinally(s -> terminated.complete(null))
          .subscribe(null, e -> LOG.warn("releasing the channels of alias '{}' ({}) failed", alias, address, e));
    }
  }

  /** Completes once this alias released its channels (after in-flight calls or the grace period). */
  public Mono<Void> whenTerminated() {
    return Mono.fromFuture(terminated, true);
  }

  @Override
  public boolean isShutdown() {
    return shutdown.get();
  }

  @Override
  public boolean isTerminated() {
    return terminated.isDone();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      terminated.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true; // never completed exceptionally; terminated either way
    }
  }

  @Override
  public ConnectivityState getState(boolean requestConnection) {
    return shutdown.get() ? ConnectivityState.SHUTDOWN : group.state(requestConnection);
  }

  /**
   * The state of the first physical channel, the one whose transport the handshake identifies the
   * client on (see {@link #whenTransportLeaves}).
   */
  public ConnectivityState transportState() {
    return group.channel(0).getState(false);
  }

  /** Runs {@code callback} once the first physical channel leaves {@code source}. */
  public void whenTransportLeaves(ConnectivityState source, Runnable callback) {
    group.channel(0).notifyWhenStateChanged(source, callback);
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
