package io.github.reactivemilvus.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.github.reactivemilvus.proto.CollectionSchema;
import io.github.reactivemilvus.proto.ConsistencyLevel;
import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.DescribeCollectionResponse;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.IDs;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.MutationResult;
import io.github.reactivemilvus.proto.SearchResultData;
import io.github.reactivemilvus.proto.SearchResults;
import io.github.reactivemilvus.proto.Status;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The loopback server's answers to DescribeCollection, Insert and Search, kept cheap because the
 * server shares the cores with the client being measured: a request is not parsed into messages
 * (only {@code num_rows} of an Insert and {@code nq} of a Search are read, everything else is
 * skipped on the wire), and every response is a prebuilt byte array, one per row count or query
 * count, made once.
 *
 * <ul>
 *   <li>DescribeCollection, whatever the name: the schema of {@link #COLLECTION}: Int64 primary key
 *       {@code id} (no auto id), FloatVector {@code vector} of {@link #DIM}, VarChar {@code title}
 *       of at most 256 bytes.
 *   <li>Insert: success, {@code insert_cnt} = {@code num_rows}, int ids {@code 0 .. num_rows-1}.
 *   <li>Search: success, {@link #TOP_K} hits per query ({@code nq}, at least 1), int ids and
 *       scores, no output fields; answered after {@link LoopbackMilvusServer#searchDelay} if one is
 *       set (scheduled on a server event loop, no thread sleeps).
 * </ul>
 */
final class DataRpcs {
  static final String COLLECTION = "bench";
  static final int DIM = 128;
  static final int TOP_K = 10;
  static final int VARCHAR_MAX = 256;

  private static final Set<String> REPLACED = Set.of(
      MilvusServiceGrpc.getDescribeCollectionMethod().getFullMethodName(),
      MilvusServiceGrpc.getInsertMethod().getFullMethodName(),
      MilvusServiceGrpc.getSearchMethod().getFullMethodName());

  static final CollectionSchema SCHEMA = CollectionSchema.newBuilder()
      .setName(COLLECTION)
      .addFields(FieldSchema.newBuilder().setFieldID(100).setName("id").setIsPrimaryKey(true)
          .setDataType(DataType.Int64))
      .addFields(FieldSchema.newBuilder().setFieldID(101).setName("vector").setDataType(DataType.FloatVector)
          .addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue(Integer.toString(DIM))))
      .addFields(FieldSchema.newBuilder().setFieldID(102).setName("title").setDataType(DataType.VarChar)
          .addTypeParams(KeyValuePair.newBuilder().setKey("max_length").setValue(Integer.toString(VARCHAR_MAX))))
      .build();

  private static final byte[] DESCRIBE = DescribeCollectionResponse.newBuilder()
      .setStatus(Status.newBuilder())
      .setSchema(SCHEMA)
      .setCollectionID(4242)
      .setCollectionName(COLLECTION)
      .setDbName("default")
      .setShardsNum(1)
      .setConsistencyLevel(ConsistencyLevel.Bounded)
      .setCreatedTimestamp(1)
      .setCreatedUtcTimestamp(1)
      .addVirtualChannelNames("by-dev-rootcoord-dml_0_4242v0")
      .addPhysicalChannelNames("by-dev-rootcoord-dml_0")
      .build()
      .toByteArray();

  private static final ConcurrentHashMap<Integer, byte[]> INSERT_REPLIES = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Integer, byte[]> SEARCH_REPLIES = new ConcurrentHashMap<>();

  /**
   * With {@code -Dloopback.largeSearch=true}, every Search is answered with the decode floor's
   * results (nq 10 x topK 100, output fields id, title and a 128-d vector: 573 KB) whatever it asked.
   */
  static final byte[] LARGE_SEARCH_REPLY = Boolean.getBoolean("loopback.largeSearch") ? DecodeFloor.results().toByteArray() : null;

  private DataRpcs() {}

  /** {@code service} with its DescribeCollection, Insert and Search handlers replaced. */
  static ServerServiceDefinition withDataRpcs(ServerServiceDefinition service, LoopbackMilvusServer counters) {
    ServerServiceDefinition.Builder b =
        ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      if (!REPLACED.contains(m.getMethodDescriptor().getFullMethodName())) {
        b.addMethod(m);
      }
    }
    b.addMethod(method(MilvusServiceGrpc.getDescribeCollectionMethod(), -1, n -> {
      counters.describeRpcs.increment();
      return DESCRIBE;
    }));
    b.addMethod(method(MilvusServiceGrpc.getInsertMethod(), 7, rows -> {
      counters.insertRpcs.increment();
      counters.insertedRows.add(rows);
      return INSERT_REPLIES.computeIfAbsent(rows, DataRpcs::insertReply);
    }));
    MethodDescriptor<Integer, byte[]> search = descriptor(MilvusServiceGrpc.getSearchMethod(), 12);
    b.addMethod(ServerMethodDefinition.create(search, ServerCalls.asyncUnaryCall((nq, out) -> {
      counters.searchRpcs.increment();
      byte[] reply = LARGE_SEARCH_REPLY != null ? LARGE_SEARCH_REPLY
          : SEARCH_REPLIES.computeIfAbsent(Math.max(1, nq), DataRpcs::searchReply);
      long delay = counters.searchDelayNanos();
      if (delay <= 0) {
        out.onNext(reply);
        out.onCompleted();
        return;
      }
      // the answer is scheduled on an event loop of the server, no thread waits for it
      counters.timer().schedule(() -> {
        out.onNext(reply);
        out.onCompleted();
      }, delay, TimeUnit.NANOSECONDS);
    })));
    return b.build();
  }

  private static byte[] insertReply(int rows) {
    LongArray.Builder ids = LongArray.newBuilder();
    for (long i = 0; i < rows; i++) {
      ids.addData(i);
    }
    return MutationResult.newBuilder()
        .setStatus(Status.newBuilder())
        .setIDs(IDs.newBuilder().setIntId(ids))
        .setInsertCnt(rows)
        .setTimestamp(1)
        .build()
        .toByteArray();
  }

  private static byte[] searchReply(int nq) {
    SearchResultData.Builder d = SearchResultData.newBuilder().setNumQueries(nq).setTopK(TOP_K)
        .setPrimaryFieldName("id");
    LongArray.Builder ids = LongArray.newBuilder();
    for (int q = 0; q < nq; q++) {
      d.addTopks(TOP_K);
      for (int i = 0; i < TOP_K; i++) {
        ids.addData(q * 1000L + i);
        d.addScores(i * 0.01f);
      }
    }
    d.setIds(IDs.newBuilder().setIntId(ids));
    return SearchResults.newBuilder()
        .setStatus(Status.newBuilder())
        .setResults(d)
        .setCollectionName(COLLECTION)
        .build()
        .toByteArray();
  }

  /**
   * A raw unary handler under {@code like}'s name: the request is read only for the varint field
   * {@code field} (-1: none), the reply is the bytes {@code reply} gives for it.
   */
  private static ServerMethodDefinition<Integer, byte[]> method(
      MethodDescriptor<?, ?> like, int field, IntFunction<byte[]> reply) {
    return ServerMethodDefinition.create(descriptor(like, field), ServerCalls.asyncUnaryCall((n, out) -> {
      out.onNext(reply.apply(n));
      out.onCompleted();
    }));
  }

  private static MethodDescriptor<Integer, byte[]> descriptor(MethodDescriptor<?, ?> like, int field) {
    return MethodDescriptor.<Integer, byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(like.getFullMethodName())
        .setRequestMarshaller(new VarintField(field))
        .setResponseMarshaller(BYTES)
        .build();
  }

  /** Reads one top-level varint field of a message, skipping all the others without copying them. */
  private record VarintField(int field) implements MethodDescriptor.Marshaller<Integer> {
    @Override
    public InputStream stream(Integer value) {
      throw new UnsupportedOperationException("request marshaller of the server only");
    }

    @Override
    public Integer parse(InputStream stream) {
      try {
        CodedInputStream in = CodedInputStream.newInstance(stream);
        in.setSizeLimit(Integer.MAX_VALUE);
        int value = 0;
        while (true) {
          int tag = in.readTag();
          if (tag == 0) {
            return value;
          }
          if (WireFormat.getTagFieldNumber(tag) == field && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
            value = (int) in.readUInt64();
          } else {
            in.skipField(tag);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      throw new UnsupportedOperationException("response marshaller of the server only");
    }
  };
}
