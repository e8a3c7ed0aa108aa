package io.github.reactivemilvus.client;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transparent gRPC proxy in front of a real server that records, per method, the calls made and
 * the most calls in flight at once (from request arrival to the answer sent back). Forwards the
 * bytes as they are, and the {@code dbname} header.
 */
final class RecordingProxy implements AutoCloseable {
  private static final Metadata.Key<String> DBNAME = Metadata.Key.of("dbname", Metadata.ASCII_STRING_MARSHALLER);
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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

  private final ManagedChannel upstream;
  private final Server server;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
  private final Map<String, java.util.List<byte[]>> requests = new ConcurrentHashMap<>();

  private RecordingProxy(String target) throws IOException {
    upstream = NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(256 << 20).build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).maxInboundMessageSize(256 << 20)
        .intercept(new io.grpc.ServerInterceptor() {
          @Override
          public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, Metadata headers,
              io.grpc.ServerCallHandler<Q, R> next) {
            String db = headers.get(DBNAME);
            io.grpc.Context context = io.grpc.Context.current().withValue(DB_KEY, db == null ? "" : db);
            return io.grpc.Contexts.interceptCall(context, call, headers, next);
          }
        })
        .fallbackHandlerRegistry(new io.grpc.HandlerRegistry() {
          @Override
          public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
            MethodDescriptor<byte[], byte[]> method = MethodDescriptor.newBuilder(BYTES, BYTES)
                .setFullMethodName(methodName).setType(MethodDescriptor.MethodType.UNARY).build();
            return ServerMethodDefinition.create(method,
                ServerCalls.asyncUnaryCall((request, observer) -> forward(method, request, observer)));
          }
        })
        .build().start();
  }

  private static final io.grpc.Context.Key<String> DB_KEY = io.grpc.Context.key("dbname");

  static RecordingProxy start(String target) {
    try {
      return new RecordingProxy(target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void forward(MethodDescriptor<byte[], byte[]> method, byte[] request, StreamObserver<byte[]> observer) {
    String name = method.getBareMethodName();
    calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    requests.computeIfAbsent(name, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(request);
    int now = inFlight.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    maxInFlight.computeIfAbsent(name, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    Metadata headers = new Metadata();
    String db = DB_KEY.get();
    if (db != null && !db.isEmpty()) {
      headers.put(DBNAME, db);
    }
    io.grpc.Channel channel = io.grpc.ClientInterceptors.intercept(upstream, MetadataUtils.newAttachHeadersInterceptor(headers));
    ClientCalls.asyncUnaryCall(channel.newCall(method, CallOptions.DEFAULT), request, new StreamObserver<>() {
          @Override
          public void onNext(byte[] value) {
            observer.onNext(value);
          }

          @Override
          public void onError(Throwable t) {
            inFlight.get(name).decrementAndGet();
            observer.onError(t);
          }

          @Override
          public void onCompleted() {
            inFlight.get(name).decrementAndGet();
            observer.onCompleted();
          }
        });
  }

  String uri() {
    return "http://127.0.0.1:" + server.getPort();
  }

  int calls(String method) {
    AtomicInteger n = calls.get(method);
    return n == null ? 0 : n.get();
  }

  /** The request messages of {@code method}, as sent, in arrival order. */
  java.util.List<byte[]> requests(String method) {
    return java.util.List.copyOf(requests.getOrDefault(method, java.util.List.of()));
  }

  int maxInFlight(String method) {
    AtomicInteger n = maxInFlight.get(method);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    upstream.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }
}
