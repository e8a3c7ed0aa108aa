package io.github.reactivemilvus.internal;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Reference-counted physical channel groups, keyed by what makes a connection distinct: endpoint,
 * TLS settings, credentials and transport settings. Aliases that differ only in database (a
 * per-call header) share a group. Thread-safe.
 */
@Internal
public final class SharedChannels {
  private static final Logger LOG = LoggerFactory.getLogger(SharedChannels.class);
  /** How long a channel replacing an aged one may take to be ready (at most its age). */
  private static final Duration MAX_READY_WAIT = Duration.ofSeconds(30);
  private final ChannelFactory factory;
  private final @Nullable Scheduler scheduler;
  private final DoubleSupplier random;
  private final Map<Key, Shared> groups = new HashMap<>();
  private boolean closed; // guarded by groups
  private final Set<ChannelGroup> shuttingDown = ConcurrentHashMap.newKeySet();

  /** Shared groups whose channels {@code factory} builds. */
  public SharedChannels(ChannelFactory factory) {
    this(factory, null, Math::random);
  }

  /**
   * Shared groups whose channels {@code factory} builds; a group whose config sets
   * {@code max_connection_age} has its channels replaced as they age ({@link ChannelAging}), timed on
   * {@code scheduler}, each age drawn with {@code random} (uniform in [0, 1)).
   */
  public SharedChannels(ChannelFactory factory, @Nullable Scheduler scheduler, DoubleSupplier random) {
    this.factory = factory;
    this.scheduler = scheduler;
    this.random = random;
  }

  /**
   * Takes a reference on the group for {@code config}, building it if needed. Building a TLS
   * channel reads certificate files (or the JVM's trust store), so it runs on a blocking-capable
   * scheduler; a plaintext channel is built on the subscriber's thread (no I/O, no thread hop).
   */
  public Mono<ChannelGroup> acquire(ConnectionConfig config) {
    Key key = Key.of(config);
    // once started, taking the reference always completes; a subscriber that cancelled meanwhile
    // gets nothing, and the reference is given back (fromCallable().subscribeOn() would drop the
    // group silently, leaving it open with nobody to release it)
    return Mono.<ChannelGroup>create(sink -> {
      Runnable take = () -> {
        ChannelGroup group;
        try {
          group = acquireNow(key, config);
        } catch (RuntimeException | Error e) {
          // an Error (LinkageError, BlockHound's) is signalled as a client failure, not thrown:
          // Reactor rethrows a thrown LinkageError, and the connect would wait for its timeout
          sink.error(e);
          return;
        }
        sink.success(group);
      };
      if (config.secure()) {
        Schedulers.boundedElastic().schedule(take);
      } else {
        take.run();
      }
    }).doOnDiscard(ChannelGroup.class, group -> release(group).subscribe(null,
        e -> LOG.warn("releasing the channels of {} after a cancelled connect failed", config.address(), e)));
  }

  private ChannelGroup acquireNow(Key key, ConnectionConfig config) {
    synchronized (groups) {
      ChannelGroup group = reference(key, config);
      if (group != null) {
        return group;
      }
    }
    // built outside the lock: building TLS channels reads files, and release() takes the lock on event loops
    ManagedChannel[] built = factory.build(config, config.poolSize());
    synchronized (groups) {
      ChannelGroup group;
      try {
        group = reference(key, config);
      } catch (RuntimeException e) {
        ChannelFactory.shutdownNow(built);
        throw e;
      }
      if (group != null) {
        ChannelFactory.shutdownNow(built); // another connect to the endpoint made its group first
        return group;
      }
      Shared shared = new Shared(new ChannelGroup(key, built));
      shared.references++;
      groups.put(key, shared);
      if (scheduler != null && config.maxConnectionAge() != null) {
        Duration age = Objects.requireNonNull(config.maxConnectionAge());
        ChannelAging aging = new ChannelAging(shared.group, config, factory, scheduler, random,
            age.compareTo(MAX_READY_WAIT) < 0 ? age : MAX_READY_WAIT);
        shared.group.age(aging);
        aging.start();
      }
      return shared.group;
    }
  }

  /** A new reference to the endpoint's group, or null when there is none yet; called under the lock. */
  private @Nullable ChannelGroup reference(Key key, ConnectionConfig config) {
    if (closed) {
      // a connect that was still queued when the registry closed must not open channels
      throw new TransportException(TransportException.Reason.CLOSED, config.address(), "the registry is closed", null);
    }
    Shared shared = groups.get(key);
    if (shared == null) {
      return null;
    }
    shared.references++;
    return shared.group;
  }

  /** Whether the config's endpoint speaks TLS; see {@link TlsProbe}. */
  public Mono<Boolean> speaksTls(ConnectionConfig config, Duration limit) {
    return factory.speaksTls(config, limit);
  }

  /** Drops a reference; the last one shuts the group down. */
  public Mono<Void> release(ChannelGroup group) {
    synchronized (groups) {
      Shared shared = groups.get(group.key());
      if (shared == null || shared.group != group) {
        return Mono.empty(); // already shut down by closeAll
      }
      if (--shared.references > 0) {
        return Mono.empty();
      }
      groups.remove(group.key());
    }
    return shutdown(group);
  }

  /** Shuts a group down, remembered until its channels terminated (see {@link #unreleased()}). */
  private Mono<Void> shutdown(ChannelGroup group) {
    shuttingDown.add(group);
    return Mono.defer(group::shutdown).doFinally(s -> {
      if (group.isTerminated()) {
        shuttingDown.remove(group);
      }
    });
  }

  /**
   * Channels shut down but not terminated yet, and groups still held, by endpoint address; empty when
   * every channel this registry built has terminated.
   */
  public List<String> unreleased() {
    List<String> left = new ArrayList<>();
    synchronized (groups) {
      groups.values().forEach(s -> left.add(s.group.size() + " channels to " + s.group.key().address() + " still open"));
    }
    shuttingDown.removeIf(ChannelGroup::isTerminated);
    shuttingDown.forEach(g -> left.add(g.size() + " channels to " + g.key().address() + " shut down, not terminated"));
    return left;
  }

  /** The channels of every group currently held by some alias, summed. */
  public int openChannels() {
    synchronized (groups) {
      return groups.values().stream().mapToInt(s -> s.group.size()).sum();
    }
  }

  /**
   * Shuts down whatever is left (normally nothing: every alias released its reference); every group
   * is shut down even when another's shutdown fails (the failures are reported together).
   */
  public Mono<Void> closeAll() {
    ChannelGroup[] left;
    synchronized (groups) {
      closed = true;
      left = groups.values().stream().map(s -> s.group).toArray(ChannelGroup[]::new);
      groups.clear();
    }
    return Flux.fromArray(left).flatMapDelayError(this::shutdown, Math.max(1, left.length), 1).then();
  }

  /** A group and how many aliases hold it. */
  private static final class Shared {
    final ChannelGroup group;
    int references; // guarded by the groups map

    Shared(ChannelGroup group) {
      this.group = group;
    }
  }

  /** What makes two configs need distinct connections. Never printed: it holds credentials. */
  public static final class Key {
    private final @Nullable Object[] parts;

    private Key(@Nullable Object... parts) {
      this.parts = parts;
    }

    /**
     * The key of {@code c}: equal for configs that may share connections (they differ only in per-call
     * settings such as the database).
     */
    public static Key of(ConnectionConfig c) {
      return new Key(c.address(), c.secure(), c.tls(), c.serverPemPath(), c.clientPemPath(), c.clientKeyPath(),
          c.caPemPath(), c.serverName(), c.authorizationHeader(), c.poolSize(), c.keepAlive(),
          c.keepAliveTime(), c.keepAliveTimeout(), c.maxInboundMessageSize(), orZero(c.idleTimeout()),
          orZero(c.maxConnectionAge()), c.maxConnectionAgeJitter());
    }

    private static Duration orZero(@Nullable Duration d) {
      return d == null ? Duration.ZERO : d;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && java.util.Arrays.equals(parts, k.parts);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(parts);
    }

    /** The endpoint address the channels go to (no credentials). */
    public String address() {
      return Objects.toString(parts[0]);
    }

    @Override
    public String toString() {
      return "Key{" + Objects.toString(parts[0]) + "}";
    }
  }
}
