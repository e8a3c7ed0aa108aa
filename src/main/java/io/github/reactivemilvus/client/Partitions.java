package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.proto.CreatePartitionRequest;
import io.github.reactivemilvus.proto.DropPartitionRequest;
import io.github.reactivemilvus.proto.GetLoadStateRequest;
import io.github.reactivemilvus.proto.GetPartitionStatisticsRequest;
import io.github.reactivemilvus.proto.HasPartitionRequest;
import io.github.reactivemilvus.proto.LoadPartitionsRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ReleasePartitionsRequest;
import io.github.reactivemilvus.proto.ShowPartitionsRequest;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Partition operations (pymilvus names): create, drop, has, list, load, release, statistics and load
 * state. Cold {@link Mono}s over {@link MilvusStub#call}: the alias's headers (its database), deadline,
 * limits and retry policy; a non-success status fails with a
 * {@link io.github.reactivemilvus.MilvusConnectionException} naming the collection. Immutable and
 * thread-safe.
 */
public final class Partitions {
  private final MilvusStub stub;

  Partitions(MilvusStub stub) {
    this.stub = stub;
  }

  /** The partition operations over {@code stub}. */
  public static Partitions of(MilvusStub stub) {
    return new Partitions(Objects.requireNonNull(stub, "stub"));
  }

  /** Creates partition {@code partition} of {@code collection}. A write. */
  @Rpc(value = "CreatePartition", sdk = "createPartition")
  public Mono<Void> create(String collection, String partition) {
    return stub.call(MilvusServiceGrpc.getCreatePartitionMethod(), CreatePartitionRequest.newBuilder()
        .setCollectionName(name(collection)).setPartitionName(partition(partition)).build()).then();
  }

  /** Drops a partition (the server refuses a loaded one). A write. */
  @Rpc(value = "DropPartition", sdk = "dropPartition")
  public Mono<Void> drop(String collection, String partition) {
    return stub.call(MilvusServiceGrpc.getDropPartitionMethod(), DropPartitionRequest.newBuilder()
        .setCollectionName(name(collection)).setPartitionName(partition(partition)).build()).then();
  }

  /** Whether {@code collection} has partition {@code partition}. A read. */
  @Rpc(value = "HasPartition", sdk = "hasPartition")
  public Mono<Boolean> has(String collection, String partition) {
    return stub.call(MilvusServiceGrpc.getHasPartitionMethod(), HasPartitionRequest.newBuilder()
        .setCollectionName(name(collection)).setPartitionName(partition(partition)).build()).map(r -> r.getValue());
  }

  /** The partition names of {@code collection}, {@code _default} included. A read. */
  @Rpc(value = "ShowPartitions", sdk = "listPartitions")
  public Mono<List<String>> list(String collection) {
    return stub.call(MilvusServiceGrpc.getShowPartitionsMethod(), ShowPartitionsRequest.newBuilder()
        .setCollectionName(name(collection)).build()).map(r -> List.copyOf(r.getPartitionNamesList()));
  }

  /** The partition's row count ({@code row_count} of its statistics). A read. */
  @Rpc(value = "GetPartitionStatistics", sdk = "getPartitionStats")
  public Mono<Long> rowCount(String collection, String partition) {
    return stub.call(MilvusServiceGrpc.getGetPartitionStatisticsMethod(), GetPartitionStatisticsRequest.newBuilder()
        .setCollectionName(name(collection)).setPartitionName(partition(partition)).build())
        .map(r -> Stats.rowCount(Props.toMap(r.getStatsList())));
  }

  /**
   * Loads {@code partitions} of {@code collection}. The server may answer before loading finished; see
   * {@link #loadState}. A write.
   */
  @Rpc(value = "LoadPartitions", sdk = "loadPartitions")
  public Mono<Void> load(String collection, Collection<String> partitions) {
    return stub.call(MilvusServiceGrpc.getLoadPartitionsMethod(), LoadPartitionsRequest.newBuilder()
        .setCollectionName(name(collection)).addAllPartitionNames(Props.names(partitions, "partitions")).build()).then();
  }

  /** Releases {@code partitions} of {@code collection} from memory. A write. */
  @Rpc(value = "ReleasePartitions", sdk = "releasePartitions")
  public Mono<Void> release(String collection, Collection<String> partitions) {
    return stub.call(MilvusServiceGrpc.getReleasePartitionsMethod(), ReleasePartitionsRequest.newBuilder()
        .setCollectionName(name(collection)).addAllPartitionNames(Props.names(partitions, "partitions")).build()).then();
  }

  /** The load state of {@code partitions} of {@code collection} together. A read. */
  @Rpc(value = "GetLoadState", sdk = "getLoadStateV2")
  public Mono<LoadState> loadState(String collection, Collection<String> partitions) {
    return stub.call(MilvusServiceGrpc.getGetLoadStateMethod(), GetLoadStateRequest.newBuilder()
        .setCollectionName(name(collection)).addAllPartitionNames(Props.names(partitions, "partitions")).build())
        .map(r -> Responses.loadState(r.getStateValue()));
  }

  private static String name(String collection) {
    return Props.requireName(collection, "collection");
  }

  private static String partition(String partition) {
    return Props.requireName(partition, "partition");
  }
}
