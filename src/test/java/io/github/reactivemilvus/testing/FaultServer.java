package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.proto.BoolResponse;
import io.github.reactivemilvus.proto.CheckHealthRequest;
import io.github.reactivemilvus.proto.CheckHealthResponse;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.CreateDatabaseRequest;
import io.github.reactivemilvus.proto.DropDatabaseRequest;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.HasCollectionRequest;
import io.github.reactivemilvus.proto.ListDatabasesRequest;
import io.github.reactivemilvus.proto.ListDatabasesResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ServerInfo;
import io.github.reactivemilvus.proto.ShowCollectionsRequest;
import io.github.reactivemilvus.proto.ShowCollectionsResponse;
import io.github.reactivemilvus.proto.Status;
import io.github.reactivemilvus.test.server.FreePorts;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A programmable Milvus-protocol gRPC server (grpc-java over Netty, 127.0.0.1, free port) for fault
 * injection. Implements all 8 RPCs of the project's {@code MilvusService} with fixed, successful
 * answers ({@link #VERSION}, identifier {@link #IDENTIFIER}, database {@code default}, ...).
 *
 * <p>Features:
 * <ul>
 *   <li>per-method call counters and a thread-safe log of every call's request headers
 *       ({@link #calls(Method)}, {@link #headers(Method)}, {@link #recordedCalls()}), counted before
 *       any check, so rejected calls are counted too;</li>
 *   <li>programmable behaviour per method: {@link #delay}, {@link #failNext} (gRPC status),
 *       {@link #answerWith} (a Milvus {@code Status} in the response), {@link #hang} until
 *       {@link #release}; delays run on a {@link ScheduledExecutorService}, never by sleeping;</li>
 *   <li>Milvus-style authentication ({@link Builder#credentials}): {@code authorization} header =
 *       base64("user:password"); missing → UNAUTHENTICATED "missing authorization in header",
 *       wrong → UNAUTHENTICATED "auth check failure, please check username and password are correct"
 *       (the texts real Milvus 2.3.5 sends);</li>
 *   <li>database check on Connect: an unknown {@code dbname} header answers Milvus status
 *       code 800 / error_code 1 "database not found[database=NAME]" (as Milvus 2.3.5 does);</li>
 *   <li>optional TLS and mutual TLS ({@link Builder#tls}, {@link Builder#clientCa}).</li>
 * </ul>
 *
 * <pre>{@code
 * try (FaultServer server = FaultServer.start()) {
 *     server.failNext(FaultServer.Method.CONNECT, 2, io.grpc.Status.UNAVAILABLE);
 *     ... connect to server.uri() ...
 *     assertThat(server.calls(FaultServer.Method.CONNECT)).isEqualTo(3);
 * }
 * }</pre>
 *
 * <p>Threading: all methods are thread-safe. The server runs on its own Netty event loops and
 * executor (thread names {@code fault-server-*}), so they are not confused with a client's
 * {@code grpc-*} threads in leak checks. {@link #close()} blocks until terminated.
 */
public final class FaultServer implements AutoCloseable {

  /** GetVersion answer. */
  public static final String VERSION = "fault-server-1.0";
  /** Connect identifier. */
  public static final long IDENTIFIER = 4242;
  /** Milvus error texts for authentication failures (gRPC UNAUTHENTICATED). */
  public static final String MISSING_AUTH = "missing authorization in header";
  public static final String WRONG_AUTH = "auth check failure, please check username and password are correct";

  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> DBNAME = Metadata.Key.of("dbname", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<Metadata> HEADERS = Context.key("fault-server-headers");

  /** The RPCs of the service. */
  public enum Method {
    CONNECT("Connect"), GET_VERSION("GetVersion"), CHECK_HEALTH("CheckHealth"), LIST_DATABASES("ListDatabases"),
    CREATE_DATABASE("CreateDatabase"), DROP_DATABASE("DropDatabase"), SHOW_COLLECTIONS("ShowCollections"),
    HAS_COLLECTION("HasCollection");

    private final String rpcName;

    Method(String rpcName) {
      this.rpcName = rpcName;
    }

    public String rpcName() {
      return rpcName;
    }

    /** {@code milvus.proto.milvus.MilvusService/<rpc>}. */
    public String fullMethodName() {
      return MilvusServiceGrpc.SERVICE_NAME + "/" + rpcName;
    }

    static Method ofFullName(String fullMethodName) {
      for (Method m : values()) {
        if (m.fullMethodName().equals(fullMethodName)) {
          return m;
        }
      }
      return null;
    }
  }

  /** One received call: method, a copy of its headers, and its arrival sequence number (from 1). */
  public record Call(Method method, Metadata headers, long sequence) {
    /** Value of an ASCII header, or null. */
    public String header(String name) {
      return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    }
  }

  private static final class Behaviour {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger cancellations = new AtomicInteger();
    final AtomicInteger failRemaining = new AtomicInteger();
    volatile io.grpc.Status failStatus = io.grpc.Status.UNAVAILABLE;
    volatile Duration delay = Duration.ZERO;
    volatile Status milvusStatus;
    volatile boolean hang;
    final ConcurrentLinkedQueue<Runnable> parked = new ConcurrentLinkedQueue<>();
  }

  private final Map<Method, Behaviour> behaviours = new EnumMap<>(Method.class);
  private final List<Call> recorded = new CopyOnWriteArrayList<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Set<String> databases = Collections.synchronizedSet(new TreeSet<>());
  private final boolean tls;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ExecutorService executor;
  private final ScheduledExecutorService timer;
  private final Server server;
  private final int port;
  private volatile String expectedAuthorization;
  private volatile boolean healthy = true;
  private volatile List<String> unhealthyReasons = List.of();

  private FaultServer(Builder builder) {
    for (Method m : Method.values()) {
      behaviours.put(m, new Behaviour());
    }
    databases.addAll(builder.databases);
    if (builder.user != null) {
      requireCredentials(builder.user, builder.password);
    }
    this.tls = builder.certChain != null;
    ServerCredentials credentials;
    if (tls) {
      try {
        TlsServerCredentials.Builder tlsBuilder = TlsServerCredentials.newBuilder()
            .keyManager(builder.certChain.toFile(), builder.privateKey.toFile());
        if (builder.clientCa != null) {
          tlsBuilder.trustManager(builder.clientCa.toFile())
              .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        credentials = tlsBuilder.build();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read TLS material", e);
      }
    } else {
      credentials = InsecureServerCredentials.create();
    }
    boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("fault-server-boss", true),
        NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("fault-server-worker", true),
        NioIoHandler.newFactory());
    // plain JDK threads: Netty FastThreadLocalThreads count as non-blocking for BlockHound
    executor = Executors.newCachedThreadPool(namedDaemon("fault-server-exec-"));
    timer = Executors.newSingleThreadScheduledExecutor(namedDaemon("fault-server-timer-"));
    List<ServerInterceptor> interceptors = new ArrayList<>(builder.interceptors);
    interceptors.add(new RecordingInterceptor()); // added last = runs first
    NettyServerBuilder serverBuilder = NettyServerBuilder
        .forAddress(new InetSocketAddress(FreePorts.LOOPBACK, builder.port), credentials)
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .channelType(NioServerSocketChannel.class)
        // like the Milvus proxy: clients may ping every 5 s, also without calls
        .permitKeepAliveTime(5, java.util.concurrent.TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .executor(executor)
        .addService(ServerInterceptors.intercept(new Service(), interceptors));
    try {
      server = serverBuilder.build().start();
      port = server.getPort();
    } catch (IOException e) {
      shutdownResources();
      throw new UncheckedIOException("cannot start the fault server on port " + builder.port, e);
    }
  }

  /** A plaintext server without authentication on a free port. */
  public static FaultServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options of a {@link FaultServer}. Not thread-safe. */
  public static final class Builder {
    private int port;
    private String user;
    private String password;
    private Path certChain;
    private Path privateKey;
    private Path clientCa;
    private final List<String> databases = new ArrayList<>(List.of("default"));
    private final List<ServerInterceptor> interceptors = new ArrayList<>();

    private Builder() {
    }

    /** Fixed port (e.g. to restart on the port of a closed server); default: a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Enforce Milvus authentication with these credentials. */
    public Builder credentials(String user, String password) {
      this.user = user;
      this.password = password;
      return this;
    }

    /** Serve TLS with this certificate chain and PKCS#8 key (PEM). */
    public Builder tls(Path certChain, Path privateKey) {
      this.certChain = certChain;
      this.privateKey = privateKey;
      return this;
    }

    /** Shortcut: TLS with the {@link TestCertificates} server certificate. */
    public Builder tls(TestCertificates certs) {
      return tls(certs.serverCert(), certs.serverKey());
    }

    /** Mutual TLS: require client certificates signed by this CA (needs {@link #tls}). */
    public Builder clientCa(Path caCert) {
      this.clientCa = caCert;
      return this;
    }

    /** Additional known databases besides {@code default}. */
    public Builder databases(String... names) {
      databases.addAll(List.of(names));
      return this;
    }

    /** An extra interceptor (runs after the recording/auth interceptor). */
    public Builder interceptor(ServerInterceptor interceptor) {
      interceptors.add(0, interceptor);
      return this;
    }

    public FaultServer start() {
      if (clientCa != null && certChain == null) {
        throw new IllegalStateException("clientCa requires tls(...)");
      }
      return new FaultServer(this);
    }
  }

  // ---- addresses

  public String host() {
    return FreePorts.LOOPBACK;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:P}, a grpc-java target. */
  public String target() {
    return host() + ":" + port();
  }

  /** {@code http://127.0.0.1:P}, or {@code https://} with TLS. */
  public String uri() {
    return (tls ? "https://" : "http://") + target();
  }

  public boolean isTls() {
    return tls;
  }

  // ---- observation

  /** Calls received for a method (including rejected and failed ones). */
  public int calls(Method method) {
    return behaviours.get(method).calls.get();
  }

  /** Calls received for all methods. */
  public int totalCalls() {
    return recorded.size();
  }

  /** Calls of a method cancelled by the client while pending here (hung or delayed). */
  public int cancellations(Method method) {
    return behaviours.get(method).cancellations.get();
  }

  /** All calls received so far, in arrival order (a snapshot). */
  public List<Call> recordedCalls() {
    return List.copyOf(recorded);
  }

  /** Headers of every call of a method, in arrival order. */
  public List<Metadata> headers(Method method) {
    List<Metadata> result = new ArrayList<>();
    for (Call call : recorded) {
      if (call.method() == method) {
        result.add(call.headers());
      }
    }
    return result;
  }

  /** Headers of the last call of a method, or null. */
  public Metadata lastHeaders(Method method) {
    List<Metadata> all = headers(method);
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /** Number of calls of a method currently parked by {@link #hang}. */
  public int hanging(Method method) {
    return behaviours.get(method).parked.size();
  }

  /** Known databases (sorted copy). */
  public List<String> databases() {
    synchronized (databases) {
      return List.copyOf(databases);
    }
  }

  // ---- programming

  /** Delay every answer (success or failure) of a method. {@code Duration.ZERO} removes it. */
  public FaultServer delay(Method method, Duration delay) {
    behaviours.get(method).delay = delay;
    return this;
  }

  /** Delay every method. */
  public FaultServer delayAll(Duration delay) {
    for (Method m : Method.values()) {
      delay(m, delay);
    }
    return this;
  }

  /** Fail the next {@code n} calls of a method with this gRPC status (e.g. UNAVAILABLE). */
  public FaultServer failNext(Method method, int n, io.grpc.Status status) {
    Behaviour b = behaviours.get(method);
    b.failStatus = status;
    b.failRemaining.set(n);
    return this;
  }

  /** Answer every call of a method with this Milvus status in the response; null restores success. */
  public FaultServer answerWith(Method method, Status milvusStatus) {
    behaviours.get(method).milvusStatus = milvusStatus;
    return this;
  }

  /** Answer every call of a method with a Milvus status (code, legacy error_code, reason). */
  public FaultServer answerWith(Method method, int code, int errorCode, String reason) {
    return answerWith(method, Status.newBuilder().setCode(code).setErrorCodeValue(errorCode).setReason(reason)
        .setDetail(reason).build());
  }

  /** Never answer calls of a method until {@link #release(Method)}. */
  public FaultServer hang(Method method) {
    behaviours.get(method).hang = true;
    return this;
  }

  /** Stop hanging a method and answer the parked calls (as they would have been answered). */
  public FaultServer release(Method method) {
    Behaviour b = behaviours.get(method);
    b.hang = false;
    Runnable parked;
    while ((parked = b.parked.poll()) != null) {
      parked.run();
    }
    return this;
  }

  public FaultServer releaseAll() {
    for (Method m : Method.values()) {
      release(m);
    }
    return this;
  }

  /** Enable Milvus authentication at run time. */
  public FaultServer requireCredentials(String user, String password) {
    expectedAuthorization = Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Disable authentication. */
  public FaultServer disableAuth() {
    expectedAuthorization = null;
    return this;
  }

  /** CheckHealth answer: healthy or not, with reasons. */
  public FaultServer health(boolean isHealthy, String... reasons) {
    this.healthy = isHealthy;
    this.unhealthyReasons = List.of(reasons);
    return this;
  }

  public FaultServer addDatabase(String name) {
    databases.add(name);
    return this;
  }

  /** Clears programmed behaviour, counters and recorded calls (parked calls are released first). */
  public FaultServer reset() {
    releaseAll();
    for (Behaviour b : behaviours.values()) {
      b.calls.set(0);
      b.cancellations.set(0);
      b.failRemaining.set(0);
      b.delay = Duration.ZERO;
      b.milvusStatus = null;
    }
    recorded.clear();
    sequence.set(0);
    healthy = true;
    unhealthyReasons = List.of();
    return this;
  }

  /** Shuts the server down (cancelling pending calls) and waits for termination. */
  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Behaviour b : behaviours.values()) {
      b.parked.clear();
    }
    shutdownResources();
  }

  private void shutdownResources() {
    timer.shutdownNow();
    executor.shutdownNow();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "FaultServer[" + uri() + "]";
  }

  // ---- implementation

  /** Records every call, then enforces authentication like Milvus. */
  private final class RecordingInterceptor implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      Method method = Method.ofFullName(call.getMethodDescriptor().getFullMethodName());
      Metadata copy = new Metadata();
      copy.merge(headers);
      if (method != null) {
        behaviours.get(method).calls.incrementAndGet();
        recorded.add(new Call(method, copy, sequence.incrementAndGet()));
      }
      String expected = expectedAuthorization;
      if (expected != null) {
        String given = headers.get(AUTHORIZATION);
        if (given == null || given.isEmpty()) {
          call.close(io.grpc.Status.UNAUTHENTICATED.withDescription(MISSING_AUTH), new Metadata());
          return new ServerCall.Listener<>() { };
        }
        if (!expected.equals(given)) {
          call.close(io.grpc.Status.UNAUTHENTICATED.withDescription(WRONG_AUTH), new Metadata());
          return new ServerCall.Listener<>() { };
        }
      }
      return Contexts.interceptCall(Context.current().withValue(HEADERS, copy), call, headers, next);
    }
  }

  private static java.util.concurrent.ThreadFactory namedDaemon(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static Status ok() {
    return Status.getDefaultInstance();
  }

  private static Status databaseNotFound(String name) {
    String reason = "database not found[database=" + name + "]";
    return Status.newBuilder().setErrorCodeValue(1).setCode(800).setReason(reason).setDetail(reason).build();
  }

  private static String dbName(String fromRequest) {
    if (fromRequest != null && !fromRequest.isEmpty()) {
      return fromRequest;
    }
    Metadata headers = HEADERS.get();
    String fromHeader = headers == null ? null : headers.get(DBNAME);
    return fromHeader == null || fromHeader.isEmpty() ? "default" : fromHeader;
  }

  /** Applies the programmed behaviour, then answers with {@code answer} (or its status variant). */
  private <T> void respond(Method method, StreamObserver<T> observer, Supplier<T> answer,
      Function<Status, T> withStatus) {
    Behaviour b = behaviours.get(method);
    ServerCallStreamObserver<T> call = (ServerCallStreamObserver<T>) observer;
    Runnable deliver;
    if (b.failRemaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      io.grpc.Status status = b.failStatus;
      deliver = () -> safely(call, () -> call.onError(status.asRuntimeException()));
    } else {
      Status milvusStatus = b.milvusStatus;
      T response = milvusStatus != null ? withStatus.apply(milvusStatus) : answer.get();
      deliver = () -> safely(call, () -> {
        call.onNext(response);
        call.onCompleted();
      });
    }
    boolean[] done = {false};
    Runnable once = () -> {
      synchronized (done) {
        if (done[0]) {
          return;
        }
        done[0] = true;
      }
      deliver.run();
    };
    Duration delay = b.delay;
    Runnable afterDelay = delay.isZero() || delay.isNegative()
        ? once
        : () -> timer.schedule(once, delay.toNanos(), TimeUnit.NANOSECONDS);
    call.setOnCancelHandler(() -> {
      synchronized (done) {
        if (done[0]) {
          return;
        }
        done[0] = true;
      }
      b.cancellations.incrementAndGet();
    });
    if (b.hang) {
      b.parked.add(afterDelay);
      return;
    }
    afterDelay.run();
  }

  private static void safely(ServerCallStreamObserver<?> call, Runnable action) {
    if (call.isCancelled()) {
      return;
    }
    try {
      action.run();
    } catch (RuntimeException e) {
      // cancelled concurrently or server shutting down: nothing to answer
    }
  }

  private final class Service extends MilvusServiceGrpc.MilvusServiceImplBase {

    @Override
    public void connect(ConnectRequest request, StreamObserver<ConnectResponse> observer) {
      String db = dbName(null);
      respond(Method.CONNECT, observer, () -> {
        if (!databases.contains(db)) {
          return ConnectResponse.newBuilder().setStatus(databaseNotFound(db)).build();
        }
        return ConnectResponse.newBuilder().setStatus(ok()).setIdentifier(IDENTIFIER)
            .setServerInfo(ServerInfo.newBuilder().setBuildTags(VERSION).setBuildTime("n/a")
                .setGitCommit("0000000").setGoVersion("none").setDeployMode("STANDALONE"))
            .build();
      }, s -> ConnectResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void getVersion(GetVersionRequest request, StreamObserver<GetVersionResponse> observer) {
      respond(Method.GET_VERSION, observer,
          () -> GetVersionResponse.newBuilder().setStatus(ok()).setVersion(VERSION).build(),
          s -> GetVersionResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void checkHealth(CheckHealthRequest request, StreamObserver<CheckHealthResponse> observer) {
      respond(Method.CHECK_HEALTH, observer,
          () -> CheckHealthResponse.newBuilder().setStatus(ok()).setIsHealthy(healthy)
              .addAllReasons(healthy ? List.of() : unhealthyReasons).build(),
          s -> CheckHealthResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void listDatabases(ListDatabasesRequest request, StreamObserver<ListDatabasesResponse> observer) {
      respond(Method.LIST_DATABASES, observer,
          () -> ListDatabasesResponse.newBuilder().setStatus(ok()).addAllDbNames(databases()).build(),
          s -> ListDatabasesResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void createDatabase(CreateDatabaseRequest request, StreamObserver<Status> observer) {
      String name = request.getDbName();
      respond(Method.CREATE_DATABASE, observer, () -> {
        if (!databases.add(name)) {
          String reason = "database already exist: " + name;
          return Status.newBuilder().setErrorCodeValue(1).setCode(65535).setReason(reason).build();
        }
        return ok();
      }, s -> s);
    }

    @Override
    public void dropDatabase(DropDatabaseRequest request, StreamObserver<Status> observer) {
      String name = request.getDbName();
      respond(Method.DROP_DATABASE, observer, () -> {
        if ("default".equals(name)) {
          String reason = "can not drop default database";
          return Status.newBuilder().setErrorCodeValue(1).setCode(65535).setReason(reason).build();
        }
        return databases.remove(name) ? ok() : databaseNotFound(name);
      }, s -> s);
    }

    @Override
    public void showCollections(ShowCollectionsRequest request, StreamObserver<ShowCollectionsResponse> observer) {
      String db = dbName(request.getDbName());
      respond(Method.SHOW_COLLECTIONS, observer,
          () -> databases.contains(db)
              ? ShowCollectionsResponse.newBuilder().setStatus(ok()).build()
              : ShowCollectionsResponse.newBuilder().setStatus(databaseNotFound(db)).build(),
          s -> ShowCollectionsResponse.newBuilder().setStatus(s).build());
    }

    @Override
    public void hasCollection(HasCollectionRequest request, StreamObserver<BoolResponse> observer) {
      respond(Method.HAS_COLLECTION, observer,
          () -> BoolResponse.newBuilder().setStatus(ok()).setValue(false).build(),
          s -> BoolResponse.newBuilder().setStatus(s).build());
    }
  }
}
