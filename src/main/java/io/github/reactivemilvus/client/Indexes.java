package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.proto.AlterIndexRequest;
import io.github.reactivemilvus.proto.DescribeIndexRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Index operations beyond create/describe/drop: index properties (for example {@code mmap.enabled}) and
 * index names. Cold {@link Mono}s over {@link MilvusStub#call}; a non-success status fails with a
 * {@link io.github.reactivemilvus.MilvusConnectionException} naming the collection. Immutable and
 * thread-safe.
 */
public final class Indexes {
  private final MilvusStub stub;

  Indexes(MilvusStub stub) {
    this.stub = stub;
  }

  /** The index operations over {@code stub}. */
  public static Indexes of(MilvusStub stub) {
    return new Indexes(Objects.requireNonNull(stub, "stub"));
  }

  /** Sets properties of index {@code indexName} of {@code collection}. A write. */
  @Rpc(value = "AlterIndex", sdk = {"alterIndex", "alterIndexProperties"})
  public Mono<Void> alterProperties(String collection, String indexName, Map<String, String> properties) {
    if (properties.isEmpty()) {
      throw new IllegalArgumentException("properties must not be empty");
    }
    return stub.call(MilvusServiceGrpc.getAlterIndexMethod(), AlterIndexRequest.newBuilder()
        .setCollectionName(Props.requireName(collection, "collection")).setIndexName(Props.requireName(indexName, "index name"))
        .addAllExtraParams(Props.toPairs(properties)).build()).then();
  }

  /** Removes properties of index {@code indexName} by key. A write. */
  @Rpc(value = "AlterIndex", sdk = "dropIndexProperties")
  public Mono<Void> dropProperties(String collection, String indexName, Collection<String> keys) {
    return stub.call(MilvusServiceGrpc.getAlterIndexMethod(), AlterIndexRequest.newBuilder()
        .setCollectionName(Props.requireName(collection, "collection")).setIndexName(Props.requireName(indexName, "index name"))
        .addAllDeleteKeys(Props.names(keys, "property keys")).build()).then();
  }

  /**
   * Names of the collection's indexes; {@code fieldName} null or empty means all fields. A collection without
   * an index gives an empty list (the server's "index not found", code 700, is that answer). A read.
   */
  @Rpc(value = "DescribeIndex", sdk = "listIndexes")
  public Mono<List<String>> list(String collection, @org.jspecify.annotations.Nullable String fieldName) {
    DescribeIndexRequest request = DescribeIndexRequest.newBuilder().setCollectionName(Props.requireName(collection, "collection"))
        .setFieldName(fieldName == null ? "" : fieldName).build();
    return stub.call(MilvusServiceGrpc.getDescribeIndexMethod(), request)
        .map(r -> r.getIndexDescriptionsList().stream().map(d -> d.getIndexName()).toList())
        .onErrorResume(Indexes::isIndexNotFound, e -> Mono.just(List.of()));
  }

  /** Milvus's "index not found": code 700, or legacy error_code IndexNotExist (25) on older servers. */
  private static boolean isIndexNotFound(Throwable e) {
    return e instanceof MilvusConnectionException m && (m.serverCode() == 700 || m.serverCode() == 25);
  }
}
