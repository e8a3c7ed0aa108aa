package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.RetryPolicy;
import io.github.reactivemilvus.internal.AliasChannel;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.test.server.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import org.junit.jupiter.api.Test;

/**
 * An alias lets 1 call run and N wait (retry policy none); the N queue behind one call the server
 * holds; the server process is killed with SIGKILL. Every call completes within 2 s of the kill,
 * failed as UNREACHABLE or CLOSED, none as CLIENT: a queued call starts on the grant executor, not
 * on the stack of the call whose close freed its permit, so a dead transport that fails each start
 * synchronously cannot nest one call per queued call (which overflowed the stack and hung calls).
 *
 * <p>The server is a {@link FaultServer} in a child JVM (so that SIGKILL kills a real process and its
 * sockets, as a crash does). The 2 s bound is a liveness bound, not a performance figure: failing the
 * queued calls takes milliseconds on a dead loopback port; a hang shows as the 30 s default deadline.
 */
class QueuedCallsOnAKilledServerTest {
  /** How long after the kill every call must have completed. */
  static final Duration BOUND = Duration.ofSeconds(2);

  @Test
  void aThousandQueuedCallsAllFailAsUnreachableOrClosedWithinTwoSecondsOfTheKill() throws Exception {
    assertScenario(Scenario.run(1_000));
  }

  @Test
  void tenThousandQueuedCallsAllFailAsUnreachableOrClosedWithinTwoSecondsOfTheKill() throws Exception {
    assertScenario(Scenario.run(10_000));
  }

  /** A small thread stack would overflow at once if the calls nested: the same run in a child JVM with -Xss256k. */
  @Test
  void aThousandQueuedCallsOnAKilledServerAlsoCompleteWithA256KilobyteThreadStack() throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss256k",
        "-cp", System.getProperty("java.class.path"), Scenario.class.getName(), "1000");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow(
          () -> new AssertionError("no result from the child: " + output));
      assertScenario(Result.parse(line));
    } finally {
      process.destroyForcibly();
    }
  }

  private static void assertScenario(Result result) {
    assertThat(result.completed()).as("calls completed").isEqualTo(result.calls());
    assertThat(result.kinds().keySet()).as("failure kinds %s", result.kinds())
        .isSubsetOf(FailureKind.UNREACHABLE, FailureKind.CLOSED);
    assertThat(result.succeeded()).isZero();
    assertThat(result.lastCompletionAfterKill()).as("last completion after the kill").isLessThanOrEqualTo(BOUND);
  }

  /** What a run saw: calls made, completed, their failure kinds, and when the last one completed. */
  record Result(int calls, int completed, int succeeded, Map<FailureKind, Integer> kinds, Duration lastCompletionAfterKill) {
    String format() {
      StringBuilder kindsText = new StringBuilder();
      kinds.forEach((k, n) -> kindsText.append(kindsText.length() == 0 ? "" : ",").append(k).append('=').append(n));
      return "RESULT " + calls + " " + completed + " " + succeeded + " " + lastCompletionAfterKill.toNanos() + " "
          + (kindsText.length() == 0 ? "-" : kindsText);
    }

    static Result parse(String line) {
      String[] parts = line.split(" ");
      Map<FailureKind, Integer> kinds = new EnumMap<>(FailureKind.class);
      if (!parts[5].equals("-")) {
        for (String pair : parts[5].split(",")) {
          String[] kv = pair.split("=");
          kinds.put(FailureKind.valueOf(kv[0]), Integer.parseInt(kv[1]));
        }
      }
      return new Result(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]), kinds,
          Duration.ofNanos(Long.parseLong(parts[4])));
    }
  }

  /** The run; its {@code main} runs it in a child JVM and prints the {@link Result}. */
  public static final class Scenario {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Scenario() {}

    public static void main(String[] args) throws Exception {
      System.out.println(run(Integer.parseInt(args[0])).format());
      System.exit(0);
    }

    static Result run(int pending) throws Exception {
      Process server = startServer();
      try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build()) {
        int port = readPort(server);
        registry.addConnection("a", ConnectionConfig.builder().uri("http://" + FreePorts.LOOPBACK + ":" + port)
            .maxConcurrentCalls(1).maxPendingCalls(pending).retryPolicy(RetryPolicy.none()).build()).block(WAIT);
        registry.channel("a").block(WAIT);
        AliasChannel channel = registry.entry("a").current();
        int calls = pending + 1;
        CountDownLatch done = new CountDownLatch(calls);
        AtomicLong succeeded = new AtomicLong();
        LongAccumulator lastCompletion = new LongAccumulator(Math::max, Long.MIN_VALUE);
        Map<FailureKind, AtomicLong> kinds = new EnumMap<>(FailureKind.class);
        for (FailureKind k : FailureKind.values()) {
          kinds.put(k, new AtomicLong());
        }
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        MilvusStub stub = registry.stub("a");
        for (int i = 0; i < calls; i++) {
          stub.getVersion().subscribe(v -> {
            succeeded.incrementAndGet();
            lastCompletion.accumulate(System.nanoTime());
            done.countDown();
          }, e -> {
            if (e instanceof MilvusConnectionException m) {
              kinds.get(m.kind()).incrementAndGet();
            } else {
              unexpected.compareAndSet(null, e);
            }
            lastCompletion.accumulate(System.nanoTime());
            done.countDown();
          });
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!(channel.callsInFlight() == 1 && channel.callsPending() == pending) && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        if (channel.callsPending() != pending) {
          throw new IllegalStateException("the calls did not queue: " + channel.callsInFlight() + " in flight, "
              + channel.callsPending() + " pending");
        }
        long killedAt = System.nanoTime();
        server.destroyForcibly(); // SIGKILL
        done.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (unexpected.get() != null) {
          throw new AssertionError("a call failed with an unclassified error", unexpected.get());
        }
        Map<FailureKind, Integer> seen = new EnumMap<>(FailureKind.class);
        kinds.forEach((k, n) -> {
          if (n.get() > 0) {
            seen.put(k, (int) n.get());
          }
        });
        int completed = (int) (calls - done.getCount());
        Duration last = done.getCount() == 0 ? Duration.ofNanos(Math.max(0, lastCompletion.get() - killedAt)) : WAIT;
        return new Result(calls, completed, (int) succeeded.get(), seen, last);
      } finally {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
      }
    }

    private static Process startServer() throws IOException {
      return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), HangingServer.class.getName())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int readPort(Process server) throws IOException {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("PORT ")) {
        throw new IllegalStateException("the server process did not start: " + line);
      }
      return Integer.parseInt(line.substring(5).strip());
    }
  }

  /** The child server: a {@link FaultServer} that holds every GetVersion call until it is killed. */
  public static final class HangingServer {
    private HangingServer() {}

    public static void main(String[] args) throws IOException {
      try (FaultServer server = FaultServer.start()) {
        server.hang(FaultServer.Method.GET_VERSION);
        System.out.println("PORT " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
          // serves until killed (or the parent closes stdin)
        }
      }
    }
  }
}
