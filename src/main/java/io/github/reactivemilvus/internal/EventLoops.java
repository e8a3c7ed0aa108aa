package io.github.reactivemilvus.internal;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.NonBlocking;
import reactor.netty.resources.LoopResources;

/**
 * The Netty event loops every channel of a registry runs on, plus the registry's offload executor
 * (DNS resolution and other blocking work gRPC hands off). Loops the user hands in are borrowed
 * and never shut down here; loops created here are shut down by {@link #close()}.
 *
 * <p>The loop threads created here are Reactor {@link NonBlocking} threads: call callbacks (and so
 * user code downstream of a call) run on them, and a {@code block()} there would wait for an answer
 * that only this same thread can deliver. Reactor refuses such a {@code block()} at once with its
 * own {@link IllegalStateException} instead of letting the loop deadlock, and BlockHound treats them
 * as non-blocking. The offload threads are where blocking work is meant to go (host name lookups), so
 * they stay plain threads that may block: no user code runs on them.
 */
@Internal
public final class EventLoops {
  public static final String THREAD_PREFIX = "milvus-conn";

  public final EventLoopGroup group;
  public final Class<? extends Channel> socketChannelType;
  public final @Nullable Class<? extends Channel> domainSocketChannelType;
  public final ExecutorService offload;
  private final OffloadExecutor offloadExecutor;
  private final boolean owned;

  private EventLoops(EventLoopGroup group, Class<? extends Channel> socketChannelType,
      @Nullable Class<? extends Channel> domainSocketChannelType, boolean owned) {
    this.group = group;
    this.socketChannelType = socketChannelType;
    this.domainSocketChannelType = domainSocketChannelType;
    this.owned = owned;
    this.offloadExecutor = newOffloadExecutor();
    this.offload = offloadExecutor;
  }

  /** A new group owned by the registry: epoll when available, NIO otherwise; daemon threads. */
  public static EventLoops create(int threads) {
    DefaultThreadFactory factory = new LoopThreadFactory(THREAD_PREFIX + "-loop");
    if (Epoll.isAvailable()) {
      return new EventLoops(new MultiThreadIoEventLoopGroup(threads, factory, EpollIoHandler.newFactory()),
          EpollSocketChannel.class, EpollDomainSocketChannel.class, true);
    }
    return new EventLoops(new MultiThreadIoEventLoopGroup(threads, factory, NioIoHandler.newFactory()),
        NioSocketChannel.class, null, true);
  }

  /** A group the user owns, with the matching channel type. */
  public static EventLoops borrow(EventLoopGroup group, Class<? extends Channel> socketChannelType) {
    boolean epoll = EpollSocketChannel.class.isAssignableFrom(socketChannelType);
    return new EventLoops(group, socketChannelType, epoll ? EpollDomainSocketChannel.class : null, false);
  }

  /** reactor-netty's client loops (for example WebFlux's), borrowed. */
  public static EventLoops borrow(LoopResources resources) {
    EventLoopGroup group = resources.onClient(true);
    return borrow(group, resources.onChannelClass(SocketChannel.class, group));
  }

  /**
   * gRPC hands DNS lookups to this executor from event loops and Reactor threads, so handing work
   * over must never wait: both threads are started up front and stay (starting a worker takes the
   * pool's lock), and the queue is lock-free (a LinkedBlockingQueue's lock, contended by a burst
   * of connects, parks the caller).
   */
  private static OffloadExecutor newOffloadExecutor() {
    AtomicInteger n = new AtomicInteger();
    OffloadExecutor executor = new OffloadExecutor(r -> {
      Thread t = new Thread(r, THREAD_PREFIX + "-offload-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.prestartAllCoreThreads();
    return executor;
  }

  /**
   * Shuts down what this registry created; completes when its threads are gone (loops and offload
   * threads), or fails with the loops' shutdown failure.
   */
  public Mono<Void> close() {
    offload.shutdown();
    if (!owned) {
      return offloadExecutor.terminated.asMono();
    }
    Mono<Void> loops = Mono.create(sink -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> {
      if (f.isSuccess()) {
        sink.success();
      } else {
        sink.error(f.cause());
      }
    }));
    return Mono.whenDelayError(loops, offloadExecutor.terminated.asMono());
  }

  /** What {@link #close()} has not released yet (loops or offload threads still running); empty once all ended. */
  public List<String> unreleased() {
    List<String> left = new ArrayList<>();
    if (owned && !group.isTerminated()) {
      int running = 0;
      int all = 0;
      for (EventExecutor loop : group) {
        all++;
        if (!loop.isTerminated()) {
          running++;
        }
      }
      left.add(running + " of " + all + " event loops (" + THREAD_PREFIX + "-loop threads) not terminated");
    }
    if (!offloadExecutor.ended) {
      left.add("the offload executor (" + THREAD_PREFIX + "-offload threads) not terminated");
    }
    return left;
  }

  /** The offload pool, signalling when its threads are gone. */
  private static final class OffloadExecutor extends ThreadPoolExecutor {
    final Sinks.Empty<Void> terminated = Sinks.empty();
    volatile boolean ended; // isTerminated() turns true only after terminated() returned

    OffloadExecutor(ThreadFactory threads) {
      super(2, 2, 30, TimeUnit.SECONDS, new LinkedTransferQueue<>(), threads);
    }

    @Override
    protected void terminated() {
      ended = true;
      terminated.tryEmitEmpty();
    }
  }

  /** Netty's factory (names, daemon flag, priority), making {@link LoopThread}s. */
  static final class LoopThreadFactory extends DefaultThreadFactory {
    LoopThreadFactory(String prefix) {
      super(prefix, true);
    }

    @Override
    protected Thread newThread(Runnable r, String name) {
      return new LoopThread(threadGroup, r, name);
    }
  }

  /**
   * An event-loop thread: a {@link FastThreadLocalThread} (Netty's thread-locals stay fast) that
   * Reactor and BlockHound see as {@link NonBlocking}.
   */
  static final class LoopThread extends FastThreadLocalThread implements NonBlocking {
    LoopThread(ThreadGroup group, Runnable r, String name) {
      super(group, r, name);
    }
  }
}
