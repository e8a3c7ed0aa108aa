package io.github.reactivemilvus;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * What one observed Milvus call (one gRPC attempt) knows, for a {@link MilvusObservationConvention}.
 * A {@link SenderContext} of kind {@link Kind#CLIENT} whose carrier is the call's request headers:
 * a tracing handler puts {@code traceparent} (W3C) there, so the server receives it.
 *
 * <p>Filled in as the call goes: the RPC and the alias's database when it starts, the collection and
 * batch size from the request, the proxy that served it once the transport is known, the gRPC status
 * and the Milvus status code when it closes. Read by the convention when the observation starts and
 * stops; not thread-safe beyond that (grpc-java serializes a call's events).
 */
public final class MilvusObservationContext extends SenderContext<Metadata> {
  private final String alias;
  private final MethodDescriptor<?, ?> method;
  private final int attempt;
  private @Nullable String namespace;
  private @Nullable String collectionName;
  private long batchSize;
  private @Nullable String serverAddress;
  private int serverPort;
  private io.grpc.Status.@Nullable Code grpcCode;
  private int milvusCode;

  MilvusObservationContext(String alias, MethodDescriptor<?, ?> method, @Nullable String namespace, int attempt) {
    super((carrier, key, value) -> {
      if (carrier != null) {
        carrier.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
      }
    }, Kind.CLIENT);
    this.alias = alias;
    this.method = method;
    this.namespace = namespace;
    this.attempt = attempt;
  }

  /** The registry alias the call went through. */
  public String alias() {
    return alias;
  }

  /** The gRPC method called. */
  public MethodDescriptor<?, ?> method() {
    return method;
  }

  /** The RPC's name, for example {@code Search} ({@code db.operation.name}). */
  public String operationName() {
    String bare = method.getBareMethodName();
    return bare != null ? bare : method.getFullMethodName();
  }

  /**
   * Which attempt of the library's call this is, from 1 (a retry is 2 or more); 0 for a call made on
   * the handed-out channel by other code, which the library does not retry.
   */
  public int attempt() {
    return attempt;
  }

  /** The database ({@code db.namespace}): the request's {@code db_name}, else the alias's; null when neither says. */
  public @Nullable String namespace() {
    return namespace;
  }

  /** The request's {@code collection_name}, or null when it has none. */
  public @Nullable String collectionName() {
    return collectionName;
  }

  /** Rows of an insert or upsert ({@code num_rows}), queries of a search ({@code nq}); 0 when the request has neither. */
  public long batchSize() {
    return batchSize;
  }

  /** Host of the proxy that served the call (its address as connected), or null before the transport is known. */
  public @Nullable String serverAddress() {
    return serverAddress;
  }

  /** Port of the proxy that served the call; 0 when unknown. */
  public int serverPort() {
    return serverPort;
  }

  /** The gRPC status code the call closed with; null while it runs. */
  public io.grpc.Status.@Nullable Code grpcCode() {
    return grpcCode;
  }

  /** The Milvus status code of a response that reports a failure ({@code code}, else {@code error_code}); 0 otherwise. */
  public int milvusCode() {
    return milvusCode;
  }

  void request(@Nullable String db, @Nullable String collection, long batch) {
    if (db != null) {
      this.namespace = db;
    }
    this.collectionName = collection;
    this.batchSize = batch;
  }

  void server(String address, int port) {
    this.serverAddress = address;
    this.serverPort = port;
  }

  void closed(io.grpc.Status.Code code) {
    this.grpcCode = code;
  }

  void milvusCode(int code) {
    this.milvusCode = code;
  }
}
