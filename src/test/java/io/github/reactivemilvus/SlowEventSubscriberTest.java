package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.ConnectionEvent.Type;
import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.NamedConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A subscriber of {@code events()} that takes a second per event slows nothing the registry does:
 * what it cannot take is dropped for it alone, counted, and logged once. A "slow subscriber" is
 * one that requests less than is emitted: its slow work runs on a thread of its own (blocking a
 * Reactor thread would be a bug of the subscriber, which BlockHound reports in this JVM).
 */
class SlowEventSubscriberTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /**
   * A liveness bound, not a performance figure: with the 1 s subscriber called inline (as before),
   * each of these took more than 1,000 ms; now they take a few milliseconds. 50 ms leaves room for
   * a loaded 2-core machine.
   */
  private static final long BOUND_MS = 50;
  private static final int ROUNDS = 5;
  private final List<Disposable> subscriptions = new ArrayList<>();
  private final List<SlowThreadSubscriber> threads = new ArrayList<>();
  private FaultServer server;
  private ReactiveConnections registry;
  private SimpleMeterRegistry meters;

  @BeforeEach
  void setUp() {
    server = FaultServer.start();
  }

  @AfterEach
  void tearDown() {
    subscriptions.forEach(Disposable::dispose);
    threads.forEach(SlowThreadSubscriber::stop);
    server.releaseAll();
    if (registry != null) {
      registry.close();
    }
    server.close();
  }

  private ReactiveConnections registry(ReactiveConnections.Builder builder) {
    registry = builder.environment(Map.of()).build();
    meters = new SimpleMeterRegistry();
    new ReactiveConnectionsMetrics(registry).bindTo(meters);
    return registry;
  }

  private ConnectionConfig limited() {
    return ConnectionConfig.builder().uri(server.uri()).maxConcurrentCalls(1).maxPendingCalls(1)
        .retryPolicy(RetryPolicy.none()).build();
  }

  /** addConnection, connect, fill both call limits, one rejected call: the times of the last three. */
  private long[] addConnectAndReject(String alias) {
    long t0 = System.nanoTime();
    registry.addConnection(alias, limited()).block(WAIT);
    long t1 = System.nanoTime();
    registry.channel(alias).block(WAIT);
    long t2 = System.nanoTime();
    int hangingBefore = server.hanging(Method.GET_VERSION);
    subscriptions.add(registry.stub(alias).getVersion().subscribe(v -> { }, e -> { }));
    subscriptions.add(registry.stub(alias).getVersion().subscribe(v -> { }, e -> { }));
    await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == hangingBefore + 1);
    long t3 = System.nanoTime();
    Throwable rejected = registry.stub(alias).getVersion().then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(WAIT);
    long t4 = System.nanoTime();
    assertThat(rejected).isInstanceOf(MilvusConnectionException.class);
    assertThat(((MilvusConnectionException) rejected).kind()).isEqualTo(FailureKind.CALL_LIMIT_EXCEEDED);
    return new long[] {millis(t1 - t0), millis(t2 - t1), millis(t4 - t3)};
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  @Test
  void aSubscriberTakingOneSecondPerEventSlowsNeitherAddConnectionNorAConnectNorARejectedCall() {
    registry(ReactiveConnections.builder());
    server.hang(Method.GET_VERSION);
    long[] warm = addConnectAndReject("warm-up"); // class loading and first connections, before any subscriber

    List<ConnectionEvent> seenOnElastic = new CopyOnWriteArrayList<>();
    // the usual way to do slow work per event: on a thread where blocking is allowed, one event at a time
    subscriptions.add(registry.events().publishOn(Schedulers.boundedElastic(), 1).subscribe(e -> {
      sleep(1_000);
      seenOnElastic.add(e);
    }));
    SlowThreadSubscriber ownThread = new SlowThreadSubscriber(1_000);
    registry.events().subscribe(ownThread);

    // five rounds, each emitting four events that the subscribers take a second each for; the median
    // of each figure is held to the bound (one round may meet a pause of this shared machine)
    long[][] rounds = new long[ROUNDS][];
    for (int r = 0; r < ROUNDS; r++) {
      rounds[r] = addConnectAndReject("a" + r);
    }
    long[] median = new long[3];
    for (int i = 0; i < 3; i++) {
      int figure = i;
      median[i] = IntStream.range(0, ROUNDS).mapToLong(r -> rounds[r][figure]).sorted().toArray()[ROUNDS / 2];
    }
    System.out.printf("with two subscribers taking 1 s per event, median of %d rounds: addConnection %d ms, connect %d ms, "
        + "rejected call %d ms (rounds %s; without subscribers, first use: %d, %d, %d ms)%n", ROUNDS, median[0], median[1],
        median[2], java.util.Arrays.deepToString(rounds), warm[0], warm[1], warm[2]);
    assertThat(median[0]).as("addConnection (ms)").isLessThan(BOUND_MS);
    assertThat(median[1]).as("connect (ms)").isLessThan(BOUND_MS);
    assertThat(median[2]).as("rejected call (ms)").isLessThan(BOUND_MS);

    // the subscribers get the events, late: ADDED, CONNECTING, CONNECTED, CALL_LIMIT_EXCEEDED of "a0", in order
    List<String> expected = List.of("ADDED a0", "CONNECTING a0", "CONNECTED a0", "CALL_LIMIT_EXCEEDED a0");
    await().atMost(WAIT).until(() -> seenOnElastic.size() >= 4 && ownThread.seen.size() >= 4);
    assertThat(seenOnElastic.subList(0, 4)).extracting(e -> e.type() + " " + e.alias()).containsExactlyElementsOf(expected);
    assertThat(ownThread.seen.subList(0, 4)).extracting(e -> e.type() + " " + e.alias()).containsExactlyElementsOf(expected);
    assertThat(registry.droppedEvents()).isZero();
  }

  @Test
  void whatASlowSubscriberMissesIsCountedExactlyAndWarnedOnceAndItStillGetsTheCompletion() throws Exception {
    registry(ReactiveConnections.builder().eventBuffer(4));
    SlowThreadSubscriber slow = new SlowThreadSubscriber(1_000);
    registry.events().subscribe(slow);
    List<String> aliases = IntStream.range(0, 30).mapToObj(i -> "a" + i).toList();

    long t0 = System.nanoTime();
    registry.addConnections(Flux.fromIterable(aliases).map(a -> NamedConfig.of(a, limited()))).block(WAIT);
    long added = millis(System.nanoTime() - t0);
    registry.closeGracefully().block(WAIT);
    assertThat(slow.completed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("completion reached the slow subscriber").isTrue();

    List<String> seen = slow.seen.stream().map(ConnectionEvent::alias).toList();
    long dropped = registry.droppedEvents();
    System.out.printf("30 aliases added in %d ms; a subscriber taking 1 s per event with a buffer of 4 saw %d (%s), missed %d%n",
        added, seen.size(), seen, dropped);
    assertThat(slow.seen).allSatisfy(e -> assertThat(e.type()).isEqualTo(Type.ADDED));
    assertThat(seen).as("in emission order").isSubsetOf(aliases).isSortedAccordingTo(
        (x, y) -> Integer.compare(aliases.indexOf(x), aliases.indexOf(y))).doesNotHaveDuplicates();
    assertThat(dropped).isPositive().isEqualTo(aliases.size() - seen.size());
    assertThat(meters.get("milvus.connections.events.dropped").functionCounter().count()).isEqualTo(dropped);
    assertThat(registry.slowEventSubscribers()).as("warnings logged").isEqualTo(1);
    assertThat(slow.errors).isEmpty();
  }

  @Test
  void eventsFromManyThreadsKeepOneOrderForEverySubscriberAndTheCompletionComesLast() throws Exception {
    registry(ReactiveConnections.builder());
    List<ConnectionEvent> fast = new CopyOnWriteArrayList<>();
    CountDownLatch fastDone = new CountDownLatch(1);
    subscriptions.add(registry.events().subscribe(fast::add, e -> { }, fastDone::countDown));
    // held on its first event until every emitter is done: its buffer holds the rest meanwhile
    CountDownLatch release = new CountDownLatch(1);
    List<ConnectionEvent> held = new CopyOnWriteArrayList<>();
    CountDownLatch heldDone = new CountDownLatch(1);
    subscriptions.add(registry.events().publishOn(Schedulers.boundedElastic(), 1).subscribe(e -> {
      awaitLatch(release);
      held.add(e);
    }, e -> { }, heldDone::countDown));

    int threads = 4;
    int perThread = 100;
    List<Thread> emitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      emitters.add(started(() -> {
        for (int i = 0; i < perThread; i++) {
          registry.addConnection("t" + thread + "-" + i, limited()).block(WAIT);
        }
      }));
    }
    for (Thread emitter : emitters) {
      emitter.join(WAIT.toMillis());
    }
    await().atMost(WAIT).until(() -> fast.size() == threads * perThread);
    release.countDown();
    registry.closeGracefully().block(WAIT);
    assertThat(fastDone.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(heldDone.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    assertThat(held).as("both subscribers see one order").containsExactlyElementsOf(fast);
    for (int t = 0; t < threads; t++) {
      String prefix = "t" + t + "-";
      assertThat(fast.stream().map(ConnectionEvent::alias).filter(a -> a.startsWith(prefix)).toList())
          .as("the events of one emitting thread, in its order")
          .containsExactlyElementsOf(IntStream.range(0, perThread).mapToObj(i -> prefix + i).toList());
    }
    assertThat(registry.droppedEvents()).isZero();
  }

  @Test
  void theCompletionReachesEverySubscriberWhileEventsAreStillBeingEmitted() throws Exception {
    registry(ReactiveConnections.builder());
    AtomicInteger completions = new AtomicInteger();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<List<ConnectionEvent>> seen = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      List<ConnectionEvent> mine = new CopyOnWriteArrayList<>();
      seen.add(mine);
      subscriptions.add(registry.events().subscribe(mine::add, errors::add, completions::incrementAndGet));
    }
    CountDownLatch emitting = new CountDownLatch(2);
    List<Thread> emitters = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int thread = t;
      emitters.add(started(() -> {
        // adds until the registry is closed under it
        for (int i = 0; ; i++) {
          if (i == 10) {
            emitting.countDown();
          }
          try {
            registry.addConnection("t" + thread + "-" + i, limited()).block(WAIT);
          } catch (MilvusConnectionException closed) {
            return;
          }
        }
      }));
    }
    emitting.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    registry.closeGracefully().block(WAIT);
    for (Thread emitter : emitters) {
      emitter.join(WAIT.toMillis());
    }
    await().atMost(WAIT).until(() -> completions.get() == 3);
    assertThat(errors).isEmpty();
    assertThat(seen.get(0)).hasSizeGreaterThanOrEqualTo(20);
    assertThat(seen.get(1)).containsExactlyElementsOf(seen.get(0));
    assertThat(seen.get(2)).containsExactlyElementsOf(seen.get(0));
  }

  @Test
  void eachSubscriptionOfEventsHasItsOwnBufferAndItsOwnWarning() {
    registry(ReactiveConnections.builder().eventBuffer(2));
    Flux<ConnectionEvent> events = registry.events();
    SlowThreadSubscriber first = new SlowThreadSubscriber(60_000);
    SlowThreadSubscriber second = new SlowThreadSubscriber(60_000);
    events.subscribe(first);
    events.subscribe(second);
    registry.addConnections(Flux.range(0, 10).map(i -> NamedConfig.of("a" + i, limited()))).block(WAIT);
    // each took two (one in hand, one waiting) and missed the other eight
    await().atMost(WAIT).until(() -> registry.droppedEvents() == 16);
    assertThat(first.seen).hasSize(1);
    assertThat(second.seen).hasSize(1);
    assertThat(registry.slowEventSubscribers()).isEqualTo(2);
  }

  private static Thread started(Runnable body) {
    Thread thread = new Thread(body, "slow-subscriber-test");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Takes one event at a time: records it, hands it to a platform thread of its own, which spends
   * {@code millis} on it and only then requests the next. Nothing blocks in {@code onNext}.
   */
  private final class SlowThreadSubscriber extends BaseSubscriber<ConnectionEvent> {
    final List<ConnectionEvent> seen = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final CountDownLatch completed = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<ConnectionEvent> handed = new ConcurrentLinkedQueue<>();
    private final Semaphore available = new Semaphore(0);
    private final Thread worker;

    SlowThreadSubscriber(long millis) {
      threads.add(this);
      worker = started(() -> {
        try {
          while (true) {
            available.acquire();
            handed.poll();
            Thread.sleep(millis);
            request(1);
          }
        } catch (InterruptedException stop) {
          // stopped
        }
      });
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      request(1);
    }

    @Override
    protected void hookOnNext(ConnectionEvent event) {
      seen.add(event);
      handed.add(event);
      available.release();
    }

    @Override
    protected void hookOnError(Throwable error) {
      errors.add(error);
    }

    @Override
    protected void hookFinally(reactor.core.publisher.SignalType type) {
      completed.countDown();
    }

    void stop() {
      dispose();
      worker.interrupt();
    }
  }
}
