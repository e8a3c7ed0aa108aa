package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionConfigException;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ServerInfo;
import io.github.reactivemilvus.proto.Status;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The registry's alias state machine under concurrent add / connect / disconnect / remove / close,
 * checked by Lincheck against a sequential model of the registry: every concurrent run must be
 * explainable by some order of the operations applied one at a time ({@link Model}). The registry
 * runs over grpc-java's in-process transport against an in-process Milvus that answers Connect and
 * GetVersion, so a run costs no socket.
 *
 * <p>What the model pins down: an alias moves only CONFIGURED -> CONNECTED (connect) -> CONFIGURED
 * (disconnect), is replaced only while not connected, a connected alias refuses a different config;
 * {@code hasConnection} is true only after a handshake and before the next disconnect; after close
 * every operation fails {@link FailureKind#CLOSED} or is a no-op and no channel is open. Any exception
 * other than the documented ones makes a result the model cannot produce.
 *
 * <p>A connect that a concurrent disconnect, remove or close cuts short fails CLOSED; the operation
 * then looks the alias up again, as a caller would, which the model sees as a connect after the
 * cutting operation. It does so only while such an operation is under way: a CLOSED without one is
 * reported as a result the model never gives.
 *
 * <p>add and connect never overlap (one non-parallel group): a different config added while a connect
 * of the alias is under way is refused (as connecting) as it would be for a connected alias, while
 * {@code hasConnection} stays false until the handshake ends, which no one-at-a-time order shows.
 * Each runs in parallel with every other operation.
 */
public class RegistryStateMachineLincheckTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String[] ALIASES = {"a", "b"};
  private static final String SERVER = "lincheck-milvus-" + System.nanoTime();
  private static final AtomicReference<ReactiveConnections> PREVIOUS = new AtomicReference<>();
  private static volatile Server server;
  private static volatile EventLoopGroup loops;

  private final AtomicInteger handshakes = new AtomicInteger();
  private final AtomicInteger cutsStarted = new AtomicInteger();
  private final AtomicInteger cutsRunning = new AtomicInteger();
  private final AtomicInteger connectsRunning = new AtomicInteger();
  private volatile boolean closing;
  private final ReactiveConnections registry;

  public RegistryStateMachineLincheckTest() {
    startServer();
    ReactiveConnections previous = PREVIOUS.getAndSet(null);
    if (previous != null) {
      previous.close();
    }
    registry = ReactiveConnections.builder().environment(Map.of())
        .eventLoopGroup(loops, NioSocketChannel.class)
        .shutdownGracePeriod(Duration.ZERO)
        .transport(config -> InProcessChannelBuilder.forName(SERVER).directExecutor()
            .intercept(new HandshakeCounter(handshakes)).build())
        .build();
    PREVIOUS.set(registry);
  }

  private static synchronized void startServer() {
    if (server != null) {
      return;
    }
    loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      server = InProcessServerBuilder.forName(SERVER).directExecutor().addService(new InProcessMilvus()).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    ReactiveConnections last = PREVIOUS.getAndSet(null);
    if (last != null) {
      last.close();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static ConnectionConfig config(int variant) {
    // both aliases name one endpoint (they share its channels); the variants differ in a field that
    // a connected alias must not have changed underneath
    return ConnectionConfig.builder().uri("http://127.0.0.1:19530").callTimeout(Duration.ofSeconds(10 + variant)).build();
  }

  @Operation(nonParallelGroup = "config")
  public String add(@Param(gen = IntGen.class, conf = "0:1") int alias, @Param(gen = IntGen.class, conf = "1:2") int variant) {
    cutStarts();
    try {
      registry.addConnection(ALIASES[alias], config(variant)).block(WAIT);
      return "ok";
    } catch (ConnectionConfigException e) {
      return "conflict";
    } catch (MilvusConnectionException e) {
      return closedOrThrow(e);
    } finally {
      cutsRunning.decrementAndGet();
    }
  }

  @Operation(nonParallelGroup = "config")
  public String connect(@Param(gen = IntGen.class, conf = "0:1") int alias) {
    connectsRunning.incrementAndGet();
    try {
      while (true) {
        int startedBefore = cutsStarted.get();
        boolean cutRunning = cutsRunning.get() > 0;
        try {
          registry.connect(ALIASES[alias]).block(WAIT);
          return "ok";
        } catch (MilvusConnectionException e) {
          if (e.kind() == FailureKind.UNKNOWN_ALIAS) {
            return "unknown";
          }
          if (e.kind() != FailureKind.CLOSED) {
            throw e;
          }
          if (closing) {
            return "closed";
          }
          if (!cutRunning && cutsStarted.get() == startedBefore) {
            return "CLOSED without a disconnect, remove, replace or close: " + e.getMessage();
          }
          // cut short by a concurrent operation: look the alias up again
        }
      }
    } finally {
      connectsRunning.decrementAndGet();
    }
  }

  @Operation
  public void disconnect(@Param(gen = IntGen.class, conf = "0:1") int alias) {
    cutStarts();
    try {
      registry.disconnect(ALIASES[alias]).block(WAIT);
    } finally {
      cutsRunning.decrementAndGet();
    }
  }

  @Operation
  public void remove(@Param(gen = IntGen.class, conf = "0:1") int alias) {
    cutStarts();
    try {
      registry.removeConnection(ALIASES[alias]).block(WAIT);
    } finally {
      cutsRunning.decrementAndGet();
    }
  }

  @Operation
  public boolean has(@Param(gen = IntGen.class, conf = "0:1") int alias) {
    boolean connected = registry.hasConnection(ALIASES[alias]);
    if (connected && handshakes.get() == 0) {
      throw new AssertionError("hasConnection without a completed handshake");
    }
    return connected;
  }

  /** The alias's state as {@code listConnections} shows it, or {@code absent}. */
  @Operation
  public String listed(@Param(gen = IntGen.class, conf = "0:1") int alias) {
    boolean connecting = connectsRunning.get() > 0;
    for (ConnectionStatus status : registry.listConnections()) {
      if (status.alias().equals(ALIASES[alias])) {
        ConnectionState state = status.state();
        // CONNECTING is a connect not yet done: the model has it before that connect
        return state == ConnectionState.CONNECTING && (connecting || connectsRunning.get() > 0)
            ? ConnectionState.CONFIGURED.name() : state.name();
      }
    }
    return "absent";
  }

  @Operation
  public void close() {
    closing = true;
    cutStarts();
    try {
      registry.close();
    } finally {
      cutsRunning.decrementAndGet();
    }
  }

  private void cutStarts() {
    cutsRunning.incrementAndGet();
    cutsStarted.incrementAndGet();
  }

  private static String closedOrThrow(MilvusConnectionException e) {
    if (e.kind() == FailureKind.CLOSED) {
      return "closed";
    }
    throw e;
  }

  /** After a close has run: nothing open, every operation refused or a no-op. */
  @Validate
  public void closedRegistryHoldsNothing() {
    if (!closing) {
      return;
    }
    registry.close();
    assertThat(registry.openChannels()).isZero();
    for (String alias : ALIASES) {
      assertThat(registry.hasConnection(alias)).isFalse();
      assertThatThrownBy(() -> registry.connect(alias).block(WAIT))
          .isInstanceOfSatisfying(MilvusConnectionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CLOSED));
      assertThatThrownBy(() -> registry.addConnection(alias, config(1)).block(WAIT))
          .isInstanceOfSatisfying(MilvusConnectionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.CLOSED));
      registry.disconnect(alias).block(WAIT);
      registry.removeConnection(alias).block(WAIT);
    }
    assertThat(registry.listConnections()).isEmpty();
  }

  @Test
  void everyConcurrentRunIsSomeOrderOfTheOperations() {
    new StressOptions()
        .sequentialSpecification(Model.class)
        .threads(Integer.getInteger("lincheck.threads", 3))
        .actorsPerThread(Integer.getInteger("lincheck.actors", 3))
        .actorsBefore(2)
        .actorsAfter(2)
        // small by default (the build's budget); -Dlincheck.iterations=100 -Dlincheck.invocations=200 digs deeper
        .iterations(Integer.getInteger("lincheck.iterations", 15))
        .invocationsPerIteration(Integer.getInteger("lincheck.invocations", 15))
        .check(getClass());
  }

  /** The registry one operation at a time. */
  public static final class Model {
    private final Map<String, Alias> aliases = new HashMap<>();
    private boolean closed;

    private record Alias(int variant, boolean connected) { }

    public String add(int alias, int variant) {
      if (closed) {
        return "closed";
      }
      Alias existing = aliases.get(ALIASES[alias]);
      if (existing != null && existing.variant == variant) {
        return "ok"; // an equal config leaves the alias as it is
      }
      if (existing != null && existing.connected) {
        return "conflict";
      }
      aliases.put(ALIASES[alias], new Alias(variant, false));
      return "ok";
    }

    public String connect(int alias) {
      if (closed) {
        return "closed";
      }
      Alias existing = aliases.get(ALIASES[alias]);
      if (existing == null) {
        return "unknown";
      }
      aliases.put(ALIASES[alias], new Alias(existing.variant, true));
      return "ok";
    }

    public void disconnect(int alias) {
      aliases.computeIfPresent(ALIASES[alias], (k, a) -> new Alias(a.variant, false));
    }

    public void remove(int alias) {
      aliases.remove(ALIASES[alias]);
    }

    public boolean has(int alias) {
      Alias a = aliases.get(ALIASES[alias]);
      return a != null && a.connected;
    }

    public String listed(int alias) {
      if (closed) {
        return "absent";
      }
      Alias a = aliases.get(ALIASES[alias]);
      return a == null ? "absent" : a.connected ? ConnectionState.CONNECTED.name() : ConnectionState.CONFIGURED.name();
    }

    public void close() {
      closed = true;
      aliases.clear();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Model m && m.closed == closed && m.aliases.equals(aliases);
    }

    @Override
    public int hashCode() {
      return Objects.hash(aliases, closed);
    }
  }

  /** Counts the Connect calls the server answered. */
  private static final class HandshakeCounter implements ClientInterceptor {
    private final AtomicInteger handshakes;

    HandshakeCounter(AtomicInteger handshakes) {
      this.handshakes = handshakes;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      boolean connect = method.equals(MilvusServiceGrpc.getConnectMethod());
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(io.grpc.Status status, Metadata trailers) {
              if (connect && status.isOk()) {
                handshakes.incrementAndGet();
              }
              super.onClose(status, trailers);
            }
          }, headers);
        }
      };
    }
  }

  /** Answers Connect and GetVersion as Milvus does when all is well. */
  private static final class InProcessMilvus extends MilvusServiceGrpc.MilvusServiceImplBase {
    @Override
    public void connect(ConnectRequest request, StreamObserver<ConnectResponse> response) {
      response.onNext(ConnectResponse.newBuilder().setStatus(Status.newBuilder().setCode(0))
          .setServerInfo(ServerInfo.newBuilder().setBuildTags("in-process")).setIdentifier(7).build());
      response.onCompleted();
    }

    @Override
    public void getVersion(GetVersionRequest request, StreamObserver<GetVersionResponse> response) {
      response.onNext(GetVersionResponse.newBuilder().setStatus(Status.newBuilder().setCode(0)).setVersion("in-process").build());
      response.onCompleted();
    }
  }
}
