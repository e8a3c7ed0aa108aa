package io.github.reactivemilvus.client;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.proto.CollectionSchema;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.DescribeCollectionRequest;
import io.github.reactivemilvus.proto.DescribeCollectionResponse;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.Status;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A loopback fake Milvus for request tests of features no test server has: Connect answers OK and
 * DescribeCollection a collection with {@code id} (Int64 primary key), {@code v} (2-dim float vector)
 * and whatever {@link #moreFields} adds, under {@link #collectionId()}; subclasses answer the RPCs
 * under test and record their requests. {@link #start()} serves it and gives a client on an alias to
 * it; {@link #close()} closes both.
 */
abstract class FakeCollectionServer extends MilvusServiceGrpc.MilvusServiceImplBase implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);
  private @Nullable Server server;
  private @Nullable ReactiveConnections registry;

  /** Fields after {@code id} and {@code v}; none by default. */
  void moreFields(CollectionSchema.Builder schema) { }

  long collectionId() {
    return 1;
  }

  MilvusClient start() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build().start();
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("fake", Map.of("uri", "http://127.0.0.1:" + server.getPort())).block(WAIT);
    return MilvusClient.of(registry, "fake");
  }

  @Override
  public void close() throws InterruptedException {
    if (registry != null) {
      registry.close();
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void connect(ConnectRequest request, StreamObserver<ConnectResponse> response) {
    response.onNext(ConnectResponse.newBuilder().setStatus(Status.getDefaultInstance()).build());
    response.onCompleted();
  }

  @Override
  public void describeCollection(DescribeCollectionRequest request, StreamObserver<DescribeCollectionResponse> response) {
    CollectionSchema.Builder schema = CollectionSchema.newBuilder().setName(request.getCollectionName())
        .addFields(FieldSchema.newBuilder().setFieldID(100).setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
        .addFields(FieldSchema.newBuilder().setFieldID(101).setName("v").setDataType(DataType.FloatVector)
            .addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue("2")));
    moreFields(schema);
    response.onNext(DescribeCollectionResponse.newBuilder().setStatus(Status.getDefaultInstance())
        .setCollectionName(request.getCollectionName()).setCollectionID(collectionId()).setSchema(schema).build());
    response.onCompleted();
  }
}
