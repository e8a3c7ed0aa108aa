package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.proto.CheckHealthRequest;
import io.github.reactivemilvus.proto.CheckHealthResponse;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ServerInfo;
import io.grpc.Attributes;
import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Milvus-protocol gRPC server on 127.0.0.1 that answers at once, so that what a benchmark measures
 * is the client's own overhead.
 *
 * <p>Connect, GetVersion and CheckHealth get canned responses; DescribeCollection, Insert and
 * Search are answered by {@link DataRpcs} (the schema of the data benchmarks' collection, a success
 * MutationResult with one id per row, 10 hits per query) without parsing the request into messages;
 * any other MilvusService method (or any
 * other service) gets an empty message, which every Milvus response type reads as "status: Success".
 * It listens on one or more ports, all served by the same event loops, and counts TCP accepts (at the
 * server socket) and Connect RPCs, so a benchmark can tell how many connections a client made.
 *
 * <p>{@link #main} runs it as a separate process for the footprint benchmark (so that its own
 * per-connection state is not in the heap being measured).
 */
public final class LoopbackMilvusServer implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  public static final String VERSION = "v2.6.0-loopback";

  private static final GetVersionResponse VERSION_RESPONSE =
      GetVersionResponse.newBuilder().setVersion(VERSION).build();
  private static final CheckHealthResponse HEALTH_RESPONSE =
      CheckHealthResponse.newBuilder().setIsHealthy(true).build();
  private static final ServerInfo SERVER_INFO =
      ServerInfo.newBuilder().setBuildTags(VERSION).setDeployMode("loopback").build();

  private final Server server;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final List<Integer> ports;

  private final AtomicLong tcpAccepts = new AtomicLong();
  private final AtomicLong transportsReady = new AtomicLong();
  private final AtomicLong openTransports = new AtomicLong();
  private final AtomicLong connectRpcs = new AtomicLong();
  private final LongAdder getVersionRpcs = new LongAdder();
  private final LongAdder checkHealthRpcs = new LongAdder();
  private final LongAdder otherRpcs = new LongAdder();
  final LongAdder insertRpcs = new LongAdder();
  final LongAdder insertedRows = new LongAdder();
  final LongAdder searchRpcs = new LongAdder();
  final LongAdder describeRpcs = new LongAdder();
  private final Set<String> otherMethods = ConcurrentHashMap.newKeySet();
  private volatile long searchDelayNanos;

  private LoopbackMilvusServer(int portCount, int workerThreads) throws IOException {
    if (portCount < 1) {
      throw new IllegalArgumentException("portCount must be >= 1");
    }
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(workerThreads, NioIoHandler.newFactory());
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new InetSocketAddress(HOST, 0))
            .channelFactory(() -> new CountingServerSocketChannel(tcpAccepts))
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .directExecutor()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .permitKeepAliveWithoutCalls(true)
            .permitKeepAliveTime(1, TimeUnit.SECONDS)
            .addService(DataRpcs.withDataRpcs(new Service().bindService(), this))
            .fallbackHandlerRegistry(new EmptyReplyRegistry())
            .addTransportFilter(
                new ServerTransportFilter() {
                  @Override
                  public Attributes transportReady(Attributes attrs) {
                    transportsReady.incrementAndGet();
                    openTransports.incrementAndGet();
                    return attrs;
                  }

                  @Override
                  public void transportTerminated(Attributes attrs) {
                    openTransports.decrementAndGet();
                  }
                });
    for (int i = 1; i < portCount; i++) {
      b.addListenAddress(new InetSocketAddress(HOST, 0));
    }
    try {
      server = b.build().start();
    } catch (IOException | RuntimeException e) {
      boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    // start the server's threads now, so that benchmarks counting started threads see only the client's
    boss.forEach(e -> e.execute(() -> {}));
    workers.forEach(e -> e.execute(() -> {}));
    List<Integer> p = new ArrayList<>();
    for (SocketAddress a : server.getListenSockets()) {
      p.add(((InetSocketAddress) a).getPort());
    }
    ports = List.copyOf(p);
  }

  /** Starts a server listening on {@code portCount} ephemeral ports of 127.0.0.1, 2 worker threads. */
  public static LoopbackMilvusServer start(int portCount) {
    return start(portCount, 2);
  }

  public static LoopbackMilvusServer start(int portCount, int workerThreads) {
    try {
      return new LoopbackMilvusServer(portCount, workerThreads);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return ports.get(0);
  }

  public List<Integer> ports() {
    return ports;
  }

  /** TCP connections accepted by the server sockets. */
  public long tcpAccepts() {
    return tcpAccepts.get();
  }

  /** HTTP/2 transports that completed their handshake. */
  public long transportsReady() {
    return transportsReady.get();
  }

  public long openTransports() {
    return openTransports.get();
  }

  public long connectRpcs() {
    return connectRpcs.get();
  }

  public long getVersionRpcs() {
    return getVersionRpcs.sum();
  }

  public long checkHealthRpcs() {
    return checkHealthRpcs.sum();
  }

  public long otherRpcs() {
    return otherRpcs.sum();
  }

  /** Insert RPCs answered (each with a success MutationResult holding as many ids as rows). */
  public long insertRpcs() {
    return insertRpcs.sum();
  }

  /** Rows of all Insert RPCs answered (their {@code num_rows}). */
  public long insertedRows() {
    return insertedRows.sum();
  }

  public long searchRpcs() {
    return searchRpcs.sum();
  }

  /** DescribeCollection RPCs answered (with the schema of {@link DataRpcs#COLLECTION}). */
  public long describeRpcs() {
    return describeRpcs.sum();
  }

  /**
   * Answers every later Search {@code delay} after it arrived (scheduled on a server event loop; zero:
   * at once), as a Milvus whose searches take that long would.
   */
  public void searchDelay(java.time.Duration delay) {
    searchDelayNanos = delay.toNanos();
  }

  long searchDelayNanos() {
    return searchDelayNanos;
  }

  /** Where delayed answers are scheduled: the server's worker event loops. */
  java.util.concurrent.ScheduledExecutorService timer() {
    return workers;
  }

  public Set<String> otherMethods() {
    return Set.copyOf(otherMethods);
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final io.github.reactivemilvus.proto.ListDatabasesResponse DATABASES = databases();

  private static io.github.reactivemilvus.proto.ListDatabasesResponse databases() {
    var b = io.github.reactivemilvus.proto.ListDatabasesResponse.newBuilder().addDbNames("default").addDbNames("warm");
    int n = Integer.getInteger("loopback.databases", 0);
    for (int i = 0; i < n; i++) {
      b.addDbNames("db_" + i);
    }
    return b.build();
  }

  private final class Service extends MilvusServiceGrpc.MilvusServiceImplBase {
    @Override
    public void connect(ConnectRequest request, StreamObserver<ConnectResponse> out) {
      long id = connectRpcs.incrementAndGet();
      out.onNext(ConnectResponse.newBuilder().setServerInfo(SERVER_INFO).setIdentifier(id).build());
      out.onCompleted();
    }

    @Override
    public void getVersion(GetVersionRequest request, StreamObserver<GetVersionResponse> out) {
      getVersionRpcs.increment();
      out.onNext(VERSION_RESPONSE);
      out.onCompleted();
    }

    /**
     * {@code default}, {@code warm} and {@code db_0} .. {@code db_<N-1>} for
     * {@code -Dloopback.databases=N} (the SDK checks that its {@code dbName} exists).
     */
    @Override
    public void listDatabases(
        io.github.reactivemilvus.proto.ListDatabasesRequest request,
        StreamObserver<io.github.reactivemilvus.proto.ListDatabasesResponse> out) {
      otherRpcs.increment();
      out.onNext(DATABASES);
      out.onCompleted();
    }

    @Override
    public void checkHealth(CheckHealthRequest request, StreamObserver<CheckHealthResponse> out) {
      checkHealthRpcs.increment();
      out.onNext(HEALTH_RESPONSE);
      out.onCompleted();
    }
  }

  /** Answers any method it is asked for with an empty message (proto3: all fields default). */
  private final class EmptyReplyRegistry extends HandlerRegistry {
    private final ConcurrentHashMap<String, ServerMethodDefinition<byte[], byte[]>> methods =
        new ConcurrentHashMap<>();

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      return methods.computeIfAbsent(methodName, this::define);
    }

    private ServerMethodDefinition<byte[], byte[]> define(String methodName) {
      MethodDescriptor<byte[], byte[]> md =
          MethodDescriptor.<byte[], byte[]>newBuilder()
              .setType(MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(methodName)
              .setRequestMarshaller(BYTES)
              .setResponseMarshaller(BYTES)
              .build();
      ServerCallHandler<byte[], byte[]> h =
          ServerCalls.asyncUnaryCall(
              (req, out) -> {
                otherRpcs.increment();
                otherMethods.add(methodName);
                out.onNext(new byte[0]);
                out.onCompleted();
              });
      return ServerMethodDefinition.create(md, h);
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /** Counts every child socket the server socket accepts. */
  static final class CountingServerSocketChannel extends NioServerSocketChannel {
    private final AtomicLong accepts;

    CountingServerSocketChannel(AtomicLong accepts) {
      this.accepts = accepts;
    }

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
      int n = super.doReadMessages(buf);
      if (n > 0) {
        accepts.addAndGet(n);
      }
      return n;
    }
  }

  /**
   * Runs the server as its own process: {@code LoopbackMilvusServer PORTS}. Prints {@code READY p1,p2,...}
   * then serves until its standard input closes (the parent process ended or closed it).
   */
  public static void main(String[] args) throws Exception {
    int portCount = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    try (LoopbackMilvusServer s = start(portCount)) {
      StringBuilder sb = new StringBuilder("READY ");
      for (int i = 0; i < s.ports().size(); i++) {
        sb.append(i == 0 ? "" : ",").append(s.ports().get(i));
      }
      System.out.println(sb);
      System.out.flush();
      InputStream in = System.in;
      while (in.read() >= 0) {
        // wait for EOF
      }
    }
  }
}
