package io.github.reactivemilvus;

import io.github.reactivemilvus.config.MilvusEnvironment;
import io.github.reactivemilvus.config.ConfigProblem;
import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionConfigException;
import io.github.reactivemilvus.config.ConnectionInfo;
import io.github.reactivemilvus.config.NamedConfig;
import io.github.reactivemilvus.internal.ChannelFactory;
import io.github.reactivemilvus.internal.DeadlineSweeper;
import io.github.reactivemilvus.internal.EventLoops;
import io.github.reactivemilvus.internal.SharedChannels;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

/**
 * A registry of named Milvus connections ("aliases"), the reactive counterpart of pymilvus's
 * {@code connections}: {@link #addConnections add}, {@link #channel connect},
 * {@link #disconnect}, {@link #removeConnection remove}, {@link #hasConnection},
 * {@link #listConnections}, {@link #getConnectionAddr}.
 *
 * <p><b>Laziness.</b> Every method returning a {@link Mono} or {@link Flux} does nothing until
 * subscribed. {@link #channel(String)} connects on the first subscription; concurrent subscribers
 * share that one attempt (one TCP connection, one handshake), and later subscribers get the cached
 * channel until the alias is disconnected. A failed connect is not cached and keeps the config.
 * Cancelling every subscriber of an in-flight connect releases everything it built.
 *
 * <p><b>Timeouts.</b> The connect {@code timeout} of a config (default 10 s, or
 * {@code MILVUS_CONN_TIMEOUT}) bounds the whole connect: building the channel, the TCP and TLS
 * handshakes, the {@code Connect} RPC and its retries. Calls on the channel get the config's
 * {@code call_timeout} as their deadline unless they set one.
 *
 * <p><b>Threads.</b> No method blocks except {@link #close()}. Channel signals and call
 * callbacks arrive on the registry's Netty event loops (by default one group per registry, shared
 * by all channels; or loops the user hands in); never block in them. Backoff, timeouts and grace
 * periods run on the {@link Builder#scheduler(Scheduler) scheduler} (default
 * {@link Schedulers#parallel()}), so tests can use virtual time.
 *
 * <p><b>Ownership.</b> The channels handed out belong to the registry: use
 * {@link #disconnect(String)} rather than shutting them down. {@link #close()} releases every
 * channel, event loop and thread the registry created, and nothing the user handed in. This class
 * is thread-safe.
 */
public final class ReactiveConnections implements AutoCloseable {
  /** The alias that exists from the start, pointing at {@code MILVUS_URI} or localhost:19530. */
  public static final String DEFAULT_ALIAS = "default";
  /** How long disconnect and close let calls in flight finish before cancelling them. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(5);
  /** How long {@link #close()} waits for everything to be released before it logs what is left and returns. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final int BATCH_PREFETCH = 256;
  private static final Logger LOG = LoggerFactory.getLogger(ReactiveConnections.class);

  private final ConcurrentHashMap<String, AliasEntry> aliases = new ConcurrentHashMap<>();
  private final Object mutations = new Object();
  private final RegistryContext ctx;
  private final EventLoops loops;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final RegistryShutdown shutdown;

  private ReactiveConnections(Builder b) {
    MilvusEnvironment.Defaults env = MilvusEnvironment.read(b.environment);
    if (b.eventLoopGroup != null) {
      this.loops = EventLoops.borrow(b.eventLoopGroup, Objects.requireNonNull(b.channelType)); // set with the group
    } else if (b.loopResources != null) {
      this.loops = EventLoops.borrow(b.loopResources);
    } else {
      this.loops = EventLoops.create(b.eventLoopThreads);
    }
    try {
      ClientRuntime.prepare(loops);
    } catch (RuntimeException | Error e) {
      loops.close().subscribe(null, x -> LOG.warn("closing the event loops of a registry that failed to start failed", x));
      throw e;
    }
    String userAgent = "reactive-milvus-connections/" + libraryVersion();
    SharedChannels shared = new SharedChannels(new ChannelFactory(loops, b.callbackExecutor, userAgent, b.transport,
        b.channelCustomizer), b.scheduler, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    this.ctx = new RegistryContext(shared, new DeadlineSweeper(b.scheduler), b.scheduler, env.connectTimeout(), b.gracePeriod,
        b.eventBuffer);
    ctx.credentials = Map.copyOf(b.credentials);
    // set before any alias exists, and published with ctx (a final field of this registry)
    ctx.hooks = new CallHooks(b.interceptors, b.aliasInterceptors,
        b.observationRegistry == null ? null : new CallObservations(b.observationRegistry, b.observationConvention));
    this.shutdown = new RegistryShutdown(ctx, shared, loops, b.closeTimeout);
    aliases.put(DEFAULT_ALIAS, newEntry(DEFAULT_ALIAS, env.defaultConfig()));
  }

  private AliasEntry newEntry(String alias, ConnectionConfig config) {
    ChannelByName byName = new ChannelByName(this, alias);
    AliasEntry entry = new AliasEntry(alias, config, ctx, byName);
    byName.bind(entry);
    return entry;
  }

  /**
   * A registry with defaults, reading {@code MILVUS_URI} and {@code MILVUS_CONN_TIMEOUT}.
   *
   * @throws ConnectionConfigException when one of those variables is invalid
   */
  public static ReactiveConnections create() {
    return builder().build();
  }

  /** A builder with every option at its default; it holds no resources until {@link Builder#build()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** This library's version (from the jar manifest; {@code dev} when run from classes). */
  public static String libraryVersion() {
    String v = ReactiveConnections.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  /** Adds or replaces one alias; a batch of one (see {@link #addConnections}). */
  public Mono<Void> addConnection(String alias, ConnectionConfig config) {
    return addConnections(Flux.just(NamedConfig.of(alias, config)));
  }

  /** Adds or replaces one alias from pymilvus-style keys; a batch of one. */
  public Mono<Void> addConnection(String alias, Map<String, ?> config) {
    return addConnections(Flux.defer(() -> Flux.just(NamedConfig.of(alias, config))));
  }

  /**
   * Registers a batch of configs, all or nothing. The source is pulled with bounded demand (in
   * chunks of 256) and resolved off the caller's thread (resolution checks certificate files).
   * If any config is invalid, or would change an alias that is connected or connecting, nothing is
   * registered and the {@link ConnectionConfigException} lists every problem with its alias. Otherwise
   * each alias is added; an alias that is neither connected nor connecting gets the new config; an
   * alias with an equal config is left alone. When an alias appears twice in a batch, the last one counts.
   * Nothing connects here. Each subscription reads {@code configs} afresh into a batch of its own
   * (so a retry or repeat re-reads the source); {@link ConnectionEvent.Type#ADDED} is emitted per
   * alias registered, after the registration.
   */
  public Mono<Void> addConnections(Flux<NamedConfig> configs) {
    Objects.requireNonNull(configs, "configs");
    return configs
        .publishOn(Schedulers.boundedElastic(), BATCH_PREFETCH)
        .reduceWith(Batch::new, Batch::add)
        .flatMap(this::apply);
  }

  private Mono<Void> apply(Batch batch) {
    if (!batch.problems.isEmpty()) {
      return Mono.error(new ConnectionConfigException(batch.problems));
    }
    List<AliasEntry> replaced = new ArrayList<>();
    List<Added> added = new ArrayList<>();
    synchronized (mutations) {
      if (closed.get()) {
        return Mono.error(closedError(null));
      }
      List<ConfigProblem> conflicts = new ArrayList<>();
      batch.resolved.forEach((alias, config) -> {
        AliasEntry existing = aliases.get(alias);
        ConnectionState live = existing == null ? null : existing.liveState();
        if (existing != null && live != null && !existing.config().equals(config)) {
          // a connect under way is refused too: its config must not change underneath it
          String doing = live == ConnectionState.CONNECTING ? "is connecting" : "is connected";
          conflicts.add(new ConfigProblem(alias, String.join(",", existing.config().differingFields(config)),
              "alias '" + alias + "' " + doing + " with a different config (differs in "
                  + existing.config().differingFields(config) + "); disconnect it first"));
        }
      });
      if (!conflicts.isEmpty()) {
        return Mono.error(new ConnectionConfigException(conflicts));
      }
      batch.resolved.forEach((alias, config) -> {
        AliasEntry existing = aliases.get(alias);
        if (existing != null && existing.config().equals(config)) {
          return;
        }
        aliases.put(alias, newEntry(alias, config));
        if (existing != null) {
          replaced.add(existing);
        }
        added.add(new Added(alias, config.address()));
      });
    }
    // announced once the lock is released: emitting takes the events' own lock
    added.forEach(a -> ctx.emit(ConnectionEvent.Type.ADDED, a.alias, a.address, ""));
    return Flux.fromIterable(replaced).flatMap(AliasEntry::retire).then();
  }

  private record Added(String alias, String address) {}

  /** Accumulates a batch: resolved configs by alias (last wins) and every problem. */
  private static final class Batch {
    final Map<String, ConnectionConfig> resolved = new LinkedHashMap<>();
    final List<ConfigProblem> problems = new ArrayList<>();

    Batch add(NamedConfig named) {
      try {
        ConnectionConfig config = named.resolve();
        if (problems.isEmpty()) {
          resolved.put(named.alias(), config);
        }
      } catch (ConnectionConfigException e) {
        problems.addAll(e.problems());
        resolved.clear();
      } catch (RuntimeException e) {
        // the resolver reports problems as ConnectionConfigException; anything else is a bug, still
        // reported per alias (without its message, which could quote a secret)
        problems.add(new ConfigProblem(named.alias(), "config", "could not be resolved (" + e.getClass().getSimpleName() + ")"));
        resolved.clear();
      }
      return this;
    }
  }

  /**
   * The alias's channel, connecting on first subscription (see the class javadoc). Emits a
   * {@link ManagedChannel} whose calls carry the alias's headers, deadline and limits. Fails with
   * {@link MilvusConnectionException}: {@link FailureKind#UNKNOWN_ALIAS} for an unknown alias
   * (the message lists the known ones), or the classified connect failure.
   */
  public Mono<ManagedChannel> channel(String alias) {
    AliasEntry entry = alias == null ? null : aliases.get(alias);
    // the entry's Mono looks the alias up again when subscribed; this lookup only saves allocating one
    return entry != null ? entry.byName() : new ChannelByName(this, alias);
  }

  /** Subscribes {@code actual} to the channel of whatever {@code alias} is registered as now. */
  void subscribeChannel(String alias, CoreSubscriber<? super ManagedChannel> actual) {
    AliasEntry entry = alias == null ? null : aliases.get(alias);
    if (entry == null) {
      Operators.error(actual, closed.get() ? closedError(alias) : unknownAlias(alias));
      return;
    }
    entry.subscribeChannel(actual);
  }

  /** Same as {@link #channel(String)}: pymilvus's {@code connect}. */
  public Mono<ManagedChannel> connect(String alias) {
    return channel(alias);
  }

  /**
   * Disconnects gracefully: new calls are refused at once, calls in flight get the grace period,
   * then are cancelled. The config stays. Completes when the alias released its channels. An
   * unknown alias is a no-op.
   */
  public Mono<Void> disconnect(String alias) {
    return Mono.defer(() -> {
      AliasEntry entry = alias == null ? null : aliases.get(alias);
      return entry == null ? Mono.empty() : entry.disconnect();
    });
  }

  /** Disconnects (as {@link #disconnect}) and forgets the config. An unknown alias is a no-op. */
  public Mono<Void> removeConnection(String alias) {
    return Mono.defer(() -> {
      AliasEntry entry;
      synchronized (mutations) {
        entry = alias == null ? null : aliases.remove(alias);
      }
      if (entry == null) {
        return Mono.empty();
      }
      return entry.retire().doFinally(s -> ctx.emit(ConnectionEvent.Type.REMOVED, alias, entry.info().address(), ""));
    });
  }

  /** True only when the alias's handshake completed and it was not disconnected since. */
  public boolean hasConnection(String alias) {
    AliasEntry entry = alias == null ? null : aliases.get(alias);
    return entry != null && entry.isConnected();
  }

  /** A snapshot of every alias with its state and normalized address, sorted by alias. */
  public List<ConnectionStatus> listConnections() {
    return aliases.values().stream()
        .map(e -> new ConnectionStatus(e.info(), e.isConnected() ? ConnectionState.CONNECTED
            : e.state() == ConnectionState.CONNECTED ? ConnectionState.CONFIGURED : e.state()))
        .sorted(Comparator.comparing(ConnectionStatus::alias))
        .toList();
  }

  /** The scheduler timers run on (the builder's). */
  Scheduler scheduler() {
    return ctx.scheduler;
  }

  /** The normalized, secret-free view of the alias's config (an immutable copy), or empty. */
  public Optional<ConnectionInfo> getConnectionAddr(String alias) {
    AliasEntry entry = alias == null ? null : aliases.get(alias);
    return entry == null ? Optional.empty() : Optional.of(entry.info());
  }

  /**
   * A hot stream of connection events (added, connecting, connected, retrying, failed,
   * disconnected, removed, call limit exceeded, reconnected). Subscribers see events from the
   * moment they subscribe, in the order they were emitted. Completes when the registry is closed,
   * after the events already waiting for the subscriber.
   *
   * <p><b>Slow subscribers miss events rather than slowing connections down.</b> Emitting an
   * event only puts it in a buffer of each subscriber (1,024 events); the subscriber is called on
   * the registry's {@link Builder#scheduler(Scheduler) scheduler}, never on the thread that
   * emitted (a connect, a call, a rejected call). A subscriber that requests less than is emitted
   * misses what its full buffer cannot hold: counted in the meter
   * {@code milvus.connections.events.dropped} ({@link ReactiveConnectionsMetrics}) and logged once
   * per subscriber at WARN. Do not block in {@code onNext}: a subscriber with slow work moves it
   * elsewhere ({@code events().publishOn(Schedulers.boundedElastic(), 1)}) and so requests only
   * what it can take. Each subscription has its own buffer.
   */
  public Flux<ConnectionEvent> events() {
    return ctx.events();
  }

  /** Events missed by slow {@link #events()} subscribers since the registry was built. */
  long droppedEvents() {
    return ctx.droppedEvents();
  }

  /** How many {@link #events()} subscribers missed events (each was logged once). */
  int slowEventSubscribers() {
    return ctx.slowSubscribers();
  }

  /** Reactive stubs for the Milvus RPCs, made through the alias's channel. */
  public MilvusStub stub(String alias) {
    return new MilvusStub(this, alias, null);
  }

  AliasEntry entry(String alias) {
    AliasEntry entry = alias == null ? null : aliases.get(alias);
    if (entry == null) {
      throw closed.get() ? closedError(alias) : unknownAlias(alias);
    }
    return entry;
  }

  /** The observations of the registry's calls, or null without an observation registry. */
  @Nullable CallObservations observations() {
    return ctx.hooks.observations;
  }

  /** How many physical channels (HTTP/2 connections to a server) the registry has open now. */
  public int openChannels() {
    return ctx.shared.openChannels();
  }

  /**
   * Reports connects, retries, rejections and call gauges to {@code metrics} from now on (the
   * Micrometer binder); aliases already registered get their gauges at once.
   */
  void bindMetrics(Metrics metrics) {
    synchronized (mutations) {
      ctx.metrics = metrics;
      aliases.values().forEach(e -> e.bindGauges(metrics));
    }
  }

  private MilvusConnectionException unknownAlias(String alias) {
    List<String> known = aliases.keySet().stream().sorted().toList();
    return new MilvusConnectionException(FailureKind.UNKNOWN_ALIAS, alias, null,
        "no such alias; known aliases: " + known, null, 0, null);
  }

  private MilvusConnectionException closedError(@Nullable String alias) {
    return new MilvusConnectionException(FailureKind.CLOSED, alias, null, "the registry is closed", null, 0, null);
  }

  /**
   * Closes the registry without blocking: every alias is disconnected gracefully, then the channels
   * left and the event loops and threads the registry created are shut down (loops handed in are
   * left alone). Every step runs even when an earlier one fails; completes when all of that is done,
   * or fails with a {@link MilvusConnectionException} ({@link FailureKind#CLIENT}) naming every step
   * that failed (the first failure is its cause, the others are suppressed). The close is bounded by
   * the {@link Builder#closeTimeout(Duration) close timeout}: when it runs out the event loops are
   * shut down without waiting any longer for the earlier steps, what is not released is logged at
   * WARN, and the returned {@code Mono} completes. Later calls return the same completion.
   */
  public Mono<Void> closeGracefully() {
    return Mono.defer(() -> {
      Map<String, AliasEntry> all = null;
      // closed and emptied in one step: whoever sees the registry closed sees no alias left
      synchronized (mutations) {
        if (closed.compareAndSet(false, true)) {
          all = new LinkedHashMap<>(aliases);
          aliases.clear();
        }
      }
      if (all != null) {
        shutdown.start(all);
      }
      return shutdown.result();
    });
  }

  /**
   * Blocking form of {@link #closeGracefully()}: returns when the registry is closed or its close
   * timeout ran out, and throws the failure of {@link #closeGracefully()}. Do not call it on an event
   * loop or a Reactor non-blocking thread (Reactor refuses the wait there).
   */
  @Override
  public void close() {
    closeGracefully().block();
  }

  /** Wraps each step of the close (by name, see {@link RegistryShutdown}); tests inject faults with it. */
  void closeStepHook(BiFunction<String, Mono<Void>, Mono<Void>> hook) {
    shutdown.stepHook = hook;
  }

  /** What was not released when the close timed out (logged at WARN then); null when it did not time out. */
  @Nullable List<String> leftAtCloseTimeout() {
    return shutdown.leftAtTimeout();
  }

  /** Options of a registry. Not thread-safe; {@link #build()} may be called more than once. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();
    private @Nullable EventLoopGroup eventLoopGroup;
    private @Nullable Class<? extends Channel> channelType;
    private @Nullable LoopResources loopResources;
    private int eventLoopThreads;
    private Scheduler scheduler = Schedulers.parallel();
    private @Nullable Executor callbackExecutor; // null: directly on the event loop
    private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
    private int eventBuffer = RegistryContext.DEFAULT_EVENT_BUFFER;
    private @Nullable Function<ConnectionConfig, ManagedChannel> transport; // null: Netty channels
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private final Map<String, Mono<MilvusCredentials>> credentials = new LinkedHashMap<>();
    private @Nullable ObservationRegistry observationRegistry;
    private @Nullable MilvusObservationConvention observationConvention;
    private List<ClientInterceptor> interceptors = List.of();
    private Function<String, ? extends @Nullable List<? extends ClientInterceptor>> aliasInterceptors = alias -> List.of();
    private @Nullable Consumer<NettyChannelBuilder> channelCustomizer;

    private Builder() {}

    /**
     * Takes the credentials of {@code alias} from {@code supplier} instead of its config's {@code token}
     * or {@code user}/{@code password}: the supplier is subscribed when a connect of the alias begins
     * (the connect fails as {@link FailureKind#AUTHENTICATION} when it fails or completes empty), again
     * on the schedule the credentials state ({@link MilvusCredentials#refreshAfter},
     * {@link MilvusCredentials#expiresAt}) while the alias is connected, and once more when the server
     * refuses a call's credentials: a stub call refused so is then sent again, once, if the supplier
     * handed out other credentials, before it fails (a call on the alias's channel made with another stub
     * fails, and the next one carries the new credentials). Calls carry the credentials current when they
     * start; nothing reconnects. A refresh that fails keeps the current credentials and is tried again
     * after at most {@code 5 s}. The supplier must be re-subscribable (each subscription asks afresh, e.g.
     * {@code Mono.fromCallable} or a {@code WebClient} call); it runs on the thread that subscribes
     * (the registry's scheduler, or a connect's or call's thread) and must not block there.
     * Applies to an alias of that name whenever it is added; a later call for the same alias replaces it.
     */
    public Builder credentials(String alias, Mono<MilvusCredentials> supplier) {
      this.credentials.put(Objects.requireNonNull(alias, "alias"), Objects.requireNonNull(supplier, "supplier"));
      return this;
    }

    /**
     * Observes every call made through the registry's aliases (the stubs, the data client, and any call on a
     * handed-out channel) with Micrometer's Observation API: one observation of kind CLIENT per gRPC attempt,
     * named {@value DefaultMilvusObservationConvention#NAME}, with the OpenTelemetry database conventions
     * ({@link DefaultMilvusObservationConvention}). Its parent is the observation in the subscriber's Reactor
     * context (the stubs read it there) or the current one. A tracing handler sends the trace context
     * ({@code traceparent}) in the call's headers. Without a registry (the default) nothing is observed and no
     * class of Micrometer is loaded. {@code micrometer-observation} is an optional dependency: add it to use this.
     */
    public Builder observationRegistry(ObservationRegistry registry) {
      this.observationRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Replaces the default names and key values of the observations (see {@link #observationRegistry}). */
    public Builder observationConvention(MilvusObservationConvention convention) {
      this.observationConvention = Objects.requireNonNull(convention, "convention");
      return this;
    }

    /**
     * Interceptors for the calls of every alias, the first the outermost (replacing any given before). They
     * run after the alias's call limits admitted the call (with its deadline set) and before the alias's
     * headers are added: a header an interceptor sets is sent as it set it (the alias's {@code authorization},
     * {@code dbname} and {@code identifier} only fill in what is missing). An observation, when there is an
     * observation registry, is around them, so its {@code traceparent} is in the headers they see.
     *
     * <p>The insert and upsert requests of {@code MilvusClient} carry their FloatVector columns already in
     * their wire form (in {@code VectorField}'s unknown fields, which saves a copy per batch): an interceptor
     * that reads the vectors of a request parses them with {@code VectorField.parseFrom(field.getVectors()
     * .toByteString())}; one that only forwards the message, or reads other fields, needs nothing.
     */
    public Builder interceptors(List<? extends ClientInterceptor> interceptors) {
      List<ClientInterceptor> copy = List.copyOf(Objects.requireNonNull(interceptors, "interceptors"));
      this.interceptors = copy;
      return this;
    }

    /**
     * Interceptors per alias, after (inside) the registry's {@link #interceptors}: {@code byAlias} is asked
     * with the alias's name each time the alias connects; null or an empty list means none. A function that
     * throws fails that connect with a {@link FailureKind#CLIENT} error. What they see of insert and upsert
     * requests: as for {@link #interceptors}.
     */
    public Builder aliasInterceptors(Function<String, ? extends @Nullable List<? extends ClientInterceptor>> byAlias) {
      this.aliasInterceptors = Objects.requireNonNull(byAlias, "byAlias");
      return this;
    }

    /**
     * The user's last word on every physical channel the registry builds (each channel of every pool): called
     * with the {@link NettyChannelBuilder} after the library's settings (event loops, executor, message size,
     * keepalive, TLS) and before it is built, so what it sets wins. Interceptors it adds with
     * {@code builder.intercept(..)} run innermost, after the alias's headers were added. It runs on the thread
     * that builds the channel (an event loop for a plaintext connect): it must not block. When it throws, the
     * connect fails.
     */
    public Builder channelCustomizer(Consumer<NettyChannelBuilder> customizer) {
      this.channelCustomizer = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    /** Events one {@link ReactiveConnections#events()} subscriber may have waiting before it misses some (tests). */
    Builder eventBuffer(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("eventBuffer must be >= 1, was " + events);
      }
      this.eventBuffer = events;
      return this;
    }

    /** Where {@code MILVUS_URI} and {@code MILVUS_CONN_TIMEOUT} are read (default: the process environment). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /** Share the user's Netty loops; {@code channelType} must match the group (NIO or epoll). Never closed by the registry. */
    public Builder eventLoopGroup(EventLoopGroup group, Class<? extends Channel> channelType) {
      this.eventLoopGroup = Objects.requireNonNull(group, "group");
      this.channelType = Objects.requireNonNull(channelType, "channelType");
      return this;
    }

    /** Share reactor-netty's client loops (for example WebFlux's). Never closed by the registry. */
    public Builder loopResources(LoopResources resources) {
      this.loopResources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /** Threads of the registry's own event loop group; 0 (default) means Netty's default (2 x cores). */
    public Builder eventLoopThreads(int threads) {
      if (threads < 0) {
        throw new IllegalArgumentException("eventLoopThreads must be >= 0, was " + threads);
      }
      this.eventLoopThreads = threads;
      return this;
    }

    /**
     * Scheduler for backoff delays, connect timeouts, grace periods and the delivery of {@link ReactiveConnections#events()}
     * (tests: a VirtualTimeScheduler).
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Where gRPC runs call callbacks (and so where emitted values arrive). Default: directly on the
     * event loop, which is fastest and requires that nothing downstream blocks.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** How long disconnect and close wait for calls in flight before cancelling them (default 5 s). */
    public Builder shutdownGracePeriod(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGracePeriod must not be negative, was " + grace);
      }
      this.gracePeriod = grace;
      return this;
    }

    /**
     * How long {@link ReactiveConnections#close()} and {@link ReactiveConnections#closeGracefully()}
     * wait for the aliases to disconnect and the channels and event loops to terminate (default
     * 30 s, counted on the {@link #scheduler(Scheduler) scheduler}). When it runs out, the event loops
     * are shut down without waiting for the rest, what is not released is logged at WARN and the
     * close completes. Keep it longer than the grace period, which it would cut short.
     */
    public Builder closeTimeout(Duration timeout) {
      if (Objects.requireNonNull(timeout, "timeout").isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("closeTimeout must be positive, was " + timeout);
      }
      this.closeTimeout = timeout;
      return this;
    }


    /** Tests only: every channel is built by {@code channels} (an in-process one) instead of Netty. */
    Builder transport(Function<ConnectionConfig, ManagedChannel> channels) {
      this.transport = Objects.requireNonNull(channels, "channels");
      return this;
    }

    /**
     * Builds the registry, with the {@code default} alias registered.
     *
     * @throws ConnectionConfigException when {@code MILVUS_URI} or {@code MILVUS_CONN_TIMEOUT} is invalid
     */
    public ReactiveConnections build() {
      return new ReactiveConnections(this);
    }
  }
}
