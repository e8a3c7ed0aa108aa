package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionConfigException;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.SharedChannels;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.Cancellation;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.testing.LeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * 8 threads run 10,000 random registry operations in total (add, re-add with another config,
 * connect, stub calls, some cancelled early, disconnect, remove) on a handful of aliases spread
 * over two fault servers and an unreachable address, then race a last burst against close().
 * Every operation must end within a bounded wait (else the test fails with a thread dump); at each
 * quiescent point every connected alias exists and is listed as connected, nothing is left
 * connecting, and exactly the channels of the connected aliases are open (none missing, none
 * extra: a channel of a cancelled or timed-out connect is given back); after close no channel and
 * no registry thread is left. Runs under BlockHound like every test.
 *
 * <p>The random seed is printed first; replay a failing run with {@code -Dtorture.seed=<seed>}
 * (the operations are the same, their interleaving across threads is not).
 */
class RegistryTortureTest {
  private static final int THREADS = 8;
  private static final int OPERATIONS = 10_000;
  private static final int ROUNDS = 10;
  private static final int CLOSE_RACE_OPERATIONS_PER_THREAD = 40;
  private static final Duration OP_WAIT = Duration.ofSeconds(30);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final String EXTRA = "channels open beyond what the connected aliases use: ";
  static final String SEED_PROPERTY = "torture.seed";
  private static final List<String> ALIASES = List.of("t0", "t1", "t2", "t3", "t4", "t5");

  enum Op { ADD, CONNECT, CALL, CANCELLED_CALL, DISCONNECT, REMOVE }

  private FaultServer one;
  private FaultServer two;
  private List<ConnectionConfig> configs;

  @BeforeEach
  void setUp() {
    one = FaultServer.builder().databases("db2").start();
    two = FaultServer.start();
    one.delay(Method.GET_VERSION, Duration.ofMillis(2));
    two.delay(Method.CONNECT, Duration.ofMillis(5));
    Duration connectTimeout = CONNECT_TIMEOUT;
    RetryPolicy fast = RetryPolicy.builder().maxRetries(2).initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5)).build();
    configs = List.of(
        ConnectionConfig.builder().uri(one.uri()).timeout(connectTimeout).retryPolicy(fast).build(),
        ConnectionConfig.builder().uri(one.uri()).dbName("db2").timeout(connectTimeout).retryPolicy(fast).build(),
        ConnectionConfig.builder().uri(one.uri()).poolSize(2).timeout(connectTimeout).retryPolicy(fast).build(),
        ConnectionConfig.builder().uri(two.uri()).maxConcurrentCalls(2).maxPendingCalls(2).timeout(connectTimeout)
            .retryPolicy(fast).build(),
        ConnectionConfig.builder().address("127.0.0.1:" + FreePorts.closedPort())
            .timeout(Duration.ofMillis(500)).retryPolicy(RetryPolicy.none()).build());
  }

  @AfterEach
  void tearDown() {
    one.close();
    two.close();
  }

  @Test
  void randomOperationsFromEightThreadsAlwaysEndKeepTheInvariantsAndCloseLeavesNothingBehind() throws Exception {
    LeakCheck before = LeakCheck.snapshot();
    ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of())
        .shutdownGracePeriod(Duration.ofMillis(100)).build();
    String given = System.getProperty(SEED_PROPERTY);
    long seed = given != null && !given.isBlank() ? Long.parseLong(given.strip()) : System.nanoTime();
    System.out.printf("torture: seed=%d (replay with -D%s=%d)%n", seed, SEED_PROPERTY, seed);
    Map<Op, LongAdder> done = new EnumMap<>(Op.class);
    for (Op op : Op.values()) {
      done.put(op, new LongAdder());
    }
    Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger quiescentChecks = new AtomicInteger();
    List<Long> settleMillis = new CopyOnWriteArrayList<>();
    CyclicBarrier barrier = new CyclicBarrier(THREADS, () -> {
      quiescentChecks.incrementAndGet();
      // a cancelled connect gives its channels back asynchronously (once the task taking the
      // reference finished): the count may need a moment to settle, never longer than a connect
      long started = System.nanoTime();
      long deadline = started + CONNECT_TIMEOUT.plusSeconds(1).toNanos();
      List<String> problems = checkQuiescent(registry);
      while (!problems.isEmpty() && System.nanoTime() < deadline) {
        sleep(20);
        problems = checkQuiescent(registry);
      }
      settleMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      violations.addAll(problems);
    });

    List<Thread> threads = new ArrayList<>();
    List<Throwable> threadFailures = new CopyOnWriteArrayList<>();
    int perThread = OPERATIONS / THREADS;
    for (int t = 0; t < THREADS; t++) {
      Random random = new Random(seed + t);
      Thread thread = new Thread(() -> {
        try {
          for (int i = 0; i < perThread; i++) {
            Op op = randomOp(random);
            run(registry, op, random, outcomes, unexpected);
            done.get(op).increment();
            if ((i + 1) % (perThread / ROUNDS) == 0) {
              barrier.await(OP_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
            }
          }
        } catch (Throwable e) {
          threadFailures.add(e);
          barrier.reset();
        }
      }, "torture-" + t);
      threads.add(thread);
      thread.start();
    }
    joinAll(threads, Duration.ofMinutes(3));
    assertThat(threadFailures).as("seed %d", seed).isEmpty();
    assertThat(unexpected).as("unexpected errors (seed %d)", seed).isEmpty();
    assertThat(violations).as("invariant violations (seed %d)", seed).isEmpty();
    assertThat(quiescentChecks).hasValue(ROUNDS);

    // the close race: every thread keeps going while the registry closes underneath
    CyclicBarrier start = new CyclicBarrier(THREADS + 1);
    threads.clear();
    LongAdder closeRaceOps = new LongAdder();
    for (int t = 0; t < THREADS; t++) {
      Random random = new Random(seed - t - 1);
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < CLOSE_RACE_OPERATIONS_PER_THREAD; i++) {
            run(registry, randomOp(random), random, outcomes, unexpected);
            closeRaceOps.increment();
          }
        } catch (Throwable e) {
          threadFailures.add(e);
        }
      }, "torture-close-" + t);
      threads.add(thread);
      thread.start();
    }
    start.await();
    Thread.sleep(new Random(seed).nextInt(20)); // let the burst get going before closing
    Future<Void> closing = registry.closeGracefully().toFuture();
    try {
      closing.get(OP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("close() did not complete (seed " + seed + ")\n" + threadDump(), e);
    }
    joinAll(threads, Duration.ofMinutes(1));
    assertThat(threadFailures).as("seed %d", seed).isEmpty();
    assertThat(unexpected).as("unexpected errors (seed %d)", seed).isEmpty();

    System.out.printf("torture: seed=%d operations=%d (%s) close-race operations=%d settle ms at the %d "
            + "quiescent points=%s outcomes=%s%n",
        seed, done.values().stream().mapToLong(LongAdder::sum).sum(), done, closeRaceOps.sum(), ROUNDS,
        settleMillis, new java.util.TreeMap<>(outcomes));

    // whatever raced with close is released: no channel, no registry thread
    org.awaitility.Awaitility.await().atMost(OP_WAIT).until(() -> registry.openChannels() == 0);
    assertThat(registry.listConnections()).isEmpty();
    before.assertNoNewThreads(Duration.ofSeconds(10), "milvus-conn");
    assertThat(done.values().stream().mapToLong(LongAdder::sum).sum()).isEqualTo(OPERATIONS);
  }

  private static Op randomOp(Random random) {
    int n = random.nextInt(100);
    if (n < 14) {
      return Op.ADD;
    } else if (n < 30) {
      return Op.CONNECT;
    } else if (n < 62) {
      return Op.CALL;
    } else if (n < 74) {
      return Op.CANCELLED_CALL;
    } else if (n < 90) {
      return Op.DISCONNECT;
    }
    return Op.REMOVE;
  }

  private void run(ReactiveConnections registry, Op op, Random random, Map<String, LongAdder> outcomes,
      List<Throwable> unexpected) throws InterruptedException {
    String alias = ALIASES.get(random.nextInt(ALIASES.size()));
    Mono<?> operation = switch (op) {
      case ADD -> registry.addConnection(alias, configs.get(random.nextInt(configs.size())));
      case CONNECT -> registry.channel(alias);
      case CALL -> random.nextBoolean() ? registry.stub(alias).getVersion() : registry.stub(alias).checkHealth();
      case CANCELLED_CALL -> Cancellation.cancelledAfter(registry.stub(alias).getVersion(), Duration.ofMillis(random.nextInt(4)));
      case DISCONNECT -> registry.disconnect(alias);
      case REMOVE -> registry.removeConnection(alias);
    };
    String outcome;
    try {
      operation.toFuture().get(OP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      outcome = op + " ok";
    } catch (TimeoutException e) {
      throw new AssertionError(op + " on " + alias + " did not end within " + OP_WAIT + "\n" + describe(registry)
          + "\n" + threadDump(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MilvusConnectionException m) {
        outcome = op + " " + m.kind();
      } else if (cause instanceof ConnectionConfigException && op == Op.ADD) {
        outcome = op + " refused";
      } else {
        unexpected.add(new AssertionError(op + " on " + alias + " failed unexpectedly", cause));
        outcome = op + " unexpected";
      }
    }
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  /** Invariants that hold whenever no operation is under way. */
  private static List<String> checkQuiescent(ReactiveConnections registry) {
    List<String> problems = new ArrayList<>();
    Map<String, ConnectionStatus> listed = registry.listConnections().stream()
        .collect(Collectors.toMap(ConnectionStatus::alias, s -> s));
    Map<SharedChannels.Key, Integer> groupsOfConnected = new java.util.HashMap<>();
    for (String alias : ALIASES) {
      boolean connected = registry.hasConnection(alias);
      if (connected && registry.getConnectionAddr(alias).isEmpty()) {
        problems.add(alias + " has a connection but does not exist");
      }
      ConnectionStatus status = listed.get(alias);
      if (connected && (status == null || status.state() != ConnectionState.CONNECTED)) {
        problems.add(alias + " has a connection but is listed as " + status);
      }
      if (status != null && status.state() == ConnectionState.CONNECTING) {
        problems.add(alias + " is still connecting with no operation under way");
      }
      if (connected) {
        ConnectionConfig config = registry.entry(alias).config();
        groupsOfConnected.put(SharedChannels.Key.of(config), config.poolSize());
      }
    }
    int expected = groupsOfConnected.values().stream().mapToInt(Integer::intValue).sum();
    int open = registry.openChannels();
    if (open < expected) {
      problems.add(open + " channels open, the connected aliases use " + expected + " (" + listed.values() + ")");
    } else if (open > expected) {
      problems.add(EXTRA + (open - expected));
    }
    return problems;
  }

  /** The state of every alias and of its channel's call limiter, for failure messages. */
  private static String describe(ReactiveConnections registry) {
    StringBuilder b = new StringBuilder("registry: ").append(registry.openChannels()).append(" channels open\n");
    for (String alias : ALIASES) {
      AliasEntry entry;
      try {
        entry = registry.entry(alias);
      } catch (MilvusConnectionException absent) {
        continue;
      }
      AliasChannel ch = entry.current();
      b.append("  ").append(alias).append(' ').append(entry.state()).append(' ').append(entry.config().address())
          .append(" pool ").append(entry.config().poolSize());
      if (ch != null) {
        b.append(" inFlight ").append(ch.callsInFlight()).append(" pending ").append(ch.callsPending())
            .append(" open calls ").append(ch.openCalls()).append(" shutdown ").append(ch.isShutdown());
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void joinAll(List<Thread> threads, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.isAlive()) {
        throw new AssertionError(t.getName() + " did not finish within " + atMost + " (deadlock?)\n" + threadDump());
      }
    }
  }

  private static String threadDump() {
    StringBuilder b = new StringBuilder();
    for (var info : java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      b.append(info);
    }
    long[] deadlocked = java.lang.management.ManagementFactory.getThreadMXBean().findDeadlockedThreads();
    if (deadlocked != null) {
      b.insert(0, "DEADLOCKED threads: " + java.util.Arrays.toString(deadlocked) + "\n");
    }
    return b.toString();
  }
}
