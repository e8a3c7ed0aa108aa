package io.github.reactivemilvus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The registry's own event-loop threads are Reactor non-blocking threads (a {@code block()} there
 * fails at once instead of deadlocking the loop; BlockHound reporting blocking calls there is pinned
 * by {@code BlockHoundCanaryTest}); the offload threads, where host lookups go, may block.
 */
class EventLoopsTest {
  private final EventLoops loops = EventLoops.create(1);

  @AfterEach
  void tearDown() {
    loops.close().block(Duration.ofSeconds(30));
  }

  @Test
  void loopThreadsAreNamedDaemonReactorNonBlockingThreads() throws Exception {
    Future<Thread> thread = loops.group.submit(Thread::currentThread);
    Future<Boolean> nonBlocking = loops.group.submit(Schedulers::isInNonBlockingThread);

    assertThat(thread.get(10, TimeUnit.SECONDS).getName()).startsWith(EventLoops.THREAD_PREFIX + "-loop-");
    assertThat(thread.get().isDaemon()).isTrue();
    assertThat(nonBlocking.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void blockOnALoopThreadFailsAtOnceWithReactorsError() {
    Future<Object> blocked = loops.group.submit(() -> Mono.never().block());

    assertThat(blocked).failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(IllegalStateException.class)
        .withMessageContaining("block()/blockFirst()/blockLast() are blocking, which is not supported in thread "
            + EventLoops.THREAD_PREFIX + "-loop-");
  }

  @Test
  void offloadThreadsMayBlock() throws Exception {
    Future<Boolean> nonBlocking = loops.offload.submit(() -> {
      Thread.sleep(1);
      return Schedulers.isInNonBlockingThread();
    });

    assertThat(nonBlocking.get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void closeTerminatesEveryThreadItCreatedAndNothingIsLeftUnreleased() throws Exception {
    assertThat(loops.unreleased()).hasSize(2);

    loops.close().block(Duration.ofSeconds(30));

    assertThat(loops.group.isTerminated()).isTrue();
    assertThat(loops.offload.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(loops.unreleased()).isEmpty();
  }
}
