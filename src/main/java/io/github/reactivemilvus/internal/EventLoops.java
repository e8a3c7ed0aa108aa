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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * The Netty event loops every channel of a registry runs on, plus the registry's offload executor
 * (DNS resolution and other blocking work gRPC hands off). Loops the user hands in are borrowed
 * and never shut down here; loops created here are shut down by {@link #close()}.
 */
@Internal
public final class EventLoops {
  public static final String THREAD_PREFIX = "milvus-conn";

  public final EventLoopGroup group;
  public final Class<? extends Channel> socketChannelType;
  public final @Nullable Class<? extends Channel> domainSocketChannelType;
  public final ExecutorService offload;
  private final boolean owned;

  private EventLoops(EventLoopGroup group, Class<? extends Channel> socketChannelType,
      @Nullable Class<? extends Channel> domainSocketChannelType, boolean owned) {
    this.group = group;
    this.socketChannelType = socketChannelType;
    this.domainSocketChannelType = domainSocketChannelType;
    this.owned = owned;
    this.offload = newOffloadExecutor();
  }

  /** A new group owned by the registry: epoll when available, NIO otherwise; daemon threads. */
  public static EventLoops create(int threads) {
    DefaultThreadFactory factory = new DefaultThreadFactory(THREAD_PREFIX + "-loop", true);
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
  private static ExecutorService newOffloadExecutor() {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedTransferQueue<>(), r -> {
      Thread t = new Thread(r, THREAD_PREFIX + "-offload-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    executor.prestartAllCoreThreads();
    return executor;
  }

  /** Shuts down what this registry created; completes when the threads are gone. */
  public Mono<Void> close() {
    offload.shutdown();
    if (!owned) {
      return Mono.empty();
    }
    return Mono.create(sink -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS)
        .addListener(f -> sink.success()));
  }
}
