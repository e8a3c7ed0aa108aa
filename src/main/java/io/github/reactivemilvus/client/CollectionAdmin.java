package io.github.reactivemilvus.client;

import io.github.reactivemilvus.FailureKind;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.proto.AddCollectionFieldRequest;
import io.github.reactivemilvus.proto.AddCollectionFunctionRequest;
import io.github.reactivemilvus.proto.AlterCollectionFieldRequest;
import io.github.reactivemilvus.proto.AlterCollectionFunctionRequest;
import io.github.reactivemilvus.proto.AlterCollectionRequest;
import io.github.reactivemilvus.proto.BatchDescribeCollectionRequest;
import io.github.reactivemilvus.proto.DescribeAliasRequest;
import io.github.reactivemilvus.proto.DescribeCollectionResponse;
import io.github.reactivemilvus.proto.DropCollectionFunctionRequest;
import io.github.reactivemilvus.proto.FunctionSchema;
import io.github.reactivemilvus.proto.FunctionType;
import io.github.reactivemilvus.proto.GetCollectionStatisticsRequest;
import io.github.reactivemilvus.proto.GetLoadStateRequest;
import io.github.reactivemilvus.proto.GetLoadingProgressRequest;
import io.github.reactivemilvus.proto.GetReplicasRequest;
import io.github.reactivemilvus.proto.LoadCollectionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ReplicaInfo;
import io.github.reactivemilvus.proto.ShowCollectionsRequest;
import io.github.reactivemilvus.proto.ShowCollectionsResponse;
import io.github.reactivemilvus.proto.Status;
import io.github.reactivemilvus.proto.TruncateCollectionRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * Collection operations beyond create/describe/drop/load: properties (TTL, mmap), field changes,
 * functions, truncation, statistics, load state as an enum, refresh, replicas, aliases by name, and
 * several collections described at once. Cold {@link Mono}s over {@link MilvusStub#call}: the alias's
 * headers (its database), deadline, limits and retry policy; a non-success status fails with a
 * {@link io.github.reactivemilvus.MilvusConnectionException} naming the collection.
 *
 * <p>Operations that change a collection's schema (fields, functions) make the {@link MilvusClient} that
 * made this group ({@link MilvusClient#collectionAdmin()}) forget its cached schema; a group made with
 * {@link #of(MilvusStub)} has no cache to keep in step. Immutable and thread-safe.
 */
public final class CollectionAdmin {
  private final MilvusStub stub;
  /** Forgets a collection's cached schema (the client's, when made by {@link MilvusClient#collectionAdmin()}). */
  private final Consumer<String> forgetSchema;

  CollectionAdmin(MilvusStub stub, Consumer<String> forgetSchema) {
    this.stub = stub;
    this.forgetSchema = forgetSchema;
  }

  /** The collection operations over {@code stub}, with no schema cache to keep in step. */
  public static CollectionAdmin of(MilvusStub stub) {
    return new CollectionAdmin(Objects.requireNonNull(stub, "stub"), name -> { });
  }

  /** {@code call}, after which the collection's cached schema is forgotten (also when it fails). */
  private Mono<Void> changingSchema(String collection, Mono<?> call) {
    return call.then().doFinally(s -> forgetSchema.accept(collection));
  }

  /** A collection as listed with details; {@code createdUtcMillis} is 0 when the server does not say. */
  public record CollectionSummary(String name, long id, long createdUtcMillis, int shards) { }

  /** One shard of a replica: its channel, its leader and the query nodes serving it. */
  public record Shard(String channel, long leaderId, String leaderAddress, List<Long> nodeIds) {
    /** Copies {@code nodeIds}. */
    public Shard {
      nodeIds = List.copyOf(nodeIds);
    }
  }

  /** A replica of a loaded collection: its resource group, partitions (empty: all), nodes and shards. */
  public record Replica(long id, long collectionId, String resourceGroup, List<Long> partitionIds, List<Long> nodeIds,
      List<Shard> shards) {
    /** Copies the lists. */
    public Replica {
      partitionIds = List.copyOf(partitionIds);
      nodeIds = List.copyOf(nodeIds);
      shards = List.copyOf(shards);
    }
  }

  /** Kinds of collection functions. */
  public enum FunctionKind {
    /** Sparse BM25 vectors computed from a text field. */
    BM25,
    /** Dense embeddings computed by a model provider from a text field. */
    TEXT_EMBEDDING,
    /** A reranker applied to search results. */
    RERANK
  }

  /**
   * A collection function: the server computes {@code outputFields} from {@code inputFields}. {@code params}
   * are the function's settings (for example {@code provider} and {@code model_name} of an embedding).
   */
  public record CollectionFunction(String name, FunctionKind kind, List<String> inputFields, List<String> outputFields,
      Map<String, String> params, String description) {
    /** Checks the name and copies the lists and params. */
    public CollectionFunction {
      Props.requireName(name, "function name");
      Objects.requireNonNull(kind, "kind");
      inputFields = List.copyOf(inputFields);
      outputFields = List.copyOf(outputFields);
      params = Map.copyOf(params);
      Objects.requireNonNull(description, "description");
    }

    FunctionSchema toProto() {
      FunctionType type = switch (kind) {
        case BM25 -> FunctionType.BM25;
        case TEXT_EMBEDDING -> FunctionType.TextEmbedding;
        case RERANK -> FunctionType.Rerank;
      };
      return FunctionSchema.newBuilder().setName(name).setType(type).setDescription(description)
          .addAllInputFieldNames(inputFields).addAllOutputFieldNames(outputFields).addAllParams(Props.toPairs(params)).build();
    }
  }

  /**
   * How to load a collection: {@code replicas} (0: the server's default), the resource groups to place
   * them in, the fields to load (empty: all), and whether to skip the dynamic field.
   */
  public record LoadOptions(int replicas, List<String> resourceGroups, List<String> loadFields, boolean skipDynamicField) {
    /** The server's defaults. */
    public static final LoadOptions DEFAULTS = new LoadOptions(0, List.of(), List.of(), false);

    /** Checks {@code replicas} and copies the lists. */
    public LoadOptions {
      if (replicas < 0) {
        throw new IllegalArgumentException("replicas must not be negative, was " + replicas);
      }
      resourceGroups = List.copyOf(resourceGroups);
      loadFields = List.copyOf(loadFields);
    }
  }

  /** Collections of the alias's database with their ids, creation times and shard numbers. A read. */
  @Rpc(value = "ShowCollections", sdk = "listCollectionsV2")
  public Mono<List<CollectionSummary>> listDetailed() {
    return stub.call(MilvusServiceGrpc.getShowCollectionsMethod(), ShowCollectionsRequest.getDefaultInstance())
        .map(CollectionAdmin::summaries);
  }

  private static List<CollectionSummary> summaries(ShowCollectionsResponse r) {
    List<CollectionSummary> list = new ArrayList<>();
    for (int i = 0; i < r.getCollectionNamesCount(); i++) {
      // older servers (and Milvus Lite) may leave the parallel lists shorter than the names
      list.add(new CollectionSummary(r.getCollectionNames(i), i < r.getCollectionIdsCount() ? r.getCollectionIds(i) : 0,
          i < r.getCreatedUtcTimestampsCount() ? r.getCreatedUtcTimestamps(i) : 0,
          i < r.getShardsNumCount() ? r.getShardsNum(i) : 0));
    }
    return List.copyOf(list);
  }

  /** Several collections described in one call; an unknown one fails the Mono. A read. */
  @Rpc(value = "BatchDescribeCollection", sdk = "batchDescribeCollection")
  public Mono<List<CollectionDescription>> describeAll(Collection<String> collections) {
    BatchDescribeCollectionRequest request = BatchDescribeCollectionRequest.newBuilder()
        .addAllCollectionName(Props.names(collections, "collections")).build();
    return stub.call(MilvusServiceGrpc.getBatchDescribeCollectionMethod(), request)
        .map(r -> r.getResponsesList().stream().map(this::description).toList());
  }

  private CollectionDescription description(DescribeCollectionResponse r) {
    Status status = r.getStatus();
    if (status.getCode() != 0 || status.getErrorCodeValue() != 0) {
      int code = status.getCode() != 0 ? status.getCode() : status.getErrorCodeValue();
      throw new MilvusConnectionException(FailureKind.SERVER_STATUS, stub.alias(), null,
          "collection '" + r.getCollectionName() + "': code " + code + ": " + status.getReason(), null, code, null);
    }
    return Responses.collection(r);
  }

  /** The collection's row count ({@code row_count} of its statistics; deleted rows may still count). A read. */
  @Rpc(value = "GetCollectionStatistics", sdk = "getCollectionStats")
  public Mono<Long> rowCount(String collection) {
    return stub.call(MilvusServiceGrpc.getGetCollectionStatisticsMethod(),
        GetCollectionStatisticsRequest.newBuilder().setCollectionName(name(collection)).build())
        .map(r -> Stats.rowCount(Props.toMap(r.getStatsList())));
  }

  /** Removes every row of the collection, keeping its schema, indexes and properties. A write. */
  @Rpc(value = "TruncateCollection", sdk = "truncateCollection")
  public Mono<Void> truncate(String collection) {
    return stub.call(MilvusServiceGrpc.getTruncateCollectionMethod(),
        TruncateCollectionRequest.newBuilder().setCollectionName(name(collection)).build()).then();
  }

  /** Sets collection properties, for example {@code collection.ttl.seconds} or {@code mmap.enabled}. A write. */
  @Rpc(value = "AlterCollection", sdk = {"alterCollection", "alterCollectionProperties"})
  public Mono<Void> alterProperties(String collection, Map<String, String> properties) {
    if (properties.isEmpty()) {
      throw new IllegalArgumentException("properties must not be empty");
    }
    return stub.call(MilvusServiceGrpc.getAlterCollectionMethod(), AlterCollectionRequest.newBuilder()
        .setCollectionName(name(collection)).addAllProperties(Props.toPairs(properties)).build()).then();
  }

  /** Removes collection properties by key. A write. */
  @Rpc(value = "AlterCollection", sdk = "dropCollectionProperties")
  public Mono<Void> dropProperties(String collection, Collection<String> keys) {
    return stub.call(MilvusServiceGrpc.getAlterCollectionMethod(), AlterCollectionRequest.newBuilder()
        .setCollectionName(name(collection)).addAllDeleteKeys(Props.names(keys, "property keys")).build()).then();
  }

  /** Sets properties of one field, for example {@code max_length} of a VarChar or {@code mmap.enabled}. A write. */
  @Rpc(value = "AlterCollectionField", sdk = "alterCollectionField")
  public Mono<Void> alterFieldProperties(String collection, String field, Map<String, String> properties) {
    if (properties.isEmpty()) {
      throw new IllegalArgumentException("properties must not be empty");
    }
    return changingSchema(collection, stub.call(MilvusServiceGrpc.getAlterCollectionFieldMethod(),
        AlterCollectionFieldRequest.newBuilder().setCollectionName(name(collection)).setFieldName(Props.requireName(field, "field"))
            .addAllProperties(Props.toPairs(properties)).build()));
  }

  /** Removes properties of one field by key. A write. */
  @Rpc(value = "AlterCollectionField", sdk = "dropCollectionFieldProperties")
  public Mono<Void> dropFieldProperties(String collection, String field, Collection<String> keys) {
    return changingSchema(collection, stub.call(MilvusServiceGrpc.getAlterCollectionFieldMethod(),
        AlterCollectionFieldRequest.newBuilder().setCollectionName(name(collection)).setFieldName(Props.requireName(field, "field"))
            .addAllDeleteKeys(Props.names(keys, "property keys")).build()));
  }

  /**
   * Adds a field to an existing collection (it must be nullable or have a default value: existing rows get
   * null or the default). A write.
   */
  @Rpc(value = "AddCollectionField", sdk = "addCollectionField")
  public Mono<Void> addField(String collection, Field field) {
    Objects.requireNonNull(field, "field");
    return changingSchema(collection, stub.call(MilvusServiceGrpc.getAddCollectionFieldMethod(), AddCollectionFieldRequest
        .newBuilder().setCollectionName(name(collection)).setSchema(field.toProto().toByteString()).build()));
  }

  /** Adds a function to the collection's schema. A write. */
  @Rpc(value = "AddCollectionFunction", sdk = "addCollectionFunction")
  public Mono<Void> addFunction(String collection, CollectionFunction function) {
    Objects.requireNonNull(function, "function");
    return changingSchema(collection, stub.call(MilvusServiceGrpc.getAddCollectionFunctionMethod(),
        AddCollectionFunctionRequest.newBuilder().setCollectionName(name(collection)).setFunctionSchema(function.toProto()).build()));
  }

  /** Replaces the collection function of the same name. A write. */
  @Rpc(value = "AlterCollectionFunction", sdk = "alterCollectionFunction")
  public Mono<Void> alterFunction(String collection, CollectionFunction function) {
    Objects.requireNonNull(function, "function");
    return changingSchema(collection, stub.call(MilvusServiceGrpc.getAlterCollectionFunctionMethod(),
        AlterCollectionFunctionRequest.newBuilder().setCollectionName(name(collection)).setFunctionName(function.name())
            .setFunctionSchema(function.toProto()).build()));
  }

  /** Drops the collection function {@code functionName}. A write. */
  @Rpc(value = "DropCollectionFunction", sdk = "dropCollectionFunction")
  public Mono<Void> dropFunction(String collection, String functionName) {
    return changingSchema(collection, stub.call(MilvusServiceGrpc.getDropCollectionFunctionMethod(),
        DropCollectionFunctionRequest.newBuilder().setCollectionName(name(collection))
            .setFunctionName(Props.requireName(functionName, "function name")).build()));
  }

  /** Loads the collection as {@code options} say; the server may answer before loading finished. A write. */
  @Rpc(value = "LoadCollection", sdk = "loadCollection")
  public Mono<Void> load(String collection, LoadOptions options) {
    return stub.call(MilvusServiceGrpc.getLoadCollectionMethod(), loadRequest(collection, options, false)).then();
  }

  /** Loads what was added to a loaded collection since (for example new segments after a bulk import). A write. */
  @Rpc(value = "LoadCollection", sdk = "refreshLoad")
  public Mono<Void> refreshLoad(String collection) {
    return stub.call(MilvusServiceGrpc.getLoadCollectionMethod(), loadRequest(collection, LoadOptions.DEFAULTS, true)).then();
  }

  private static LoadCollectionRequest loadRequest(String collection, LoadOptions options, boolean refresh) {
    Objects.requireNonNull(options, "options");
    return LoadCollectionRequest.newBuilder().setCollectionName(name(collection)).setReplicaNumber(options.replicas())
        .addAllResourceGroups(options.resourceGroups()).addAllLoadFields(options.loadFields())
        .setSkipLoadDynamicField(options.skipDynamicField()).setRefresh(refresh).build();
  }

  /** The collection's load state. A read. */
  @Rpc(value = "GetLoadState", sdk = {"getLoadState", "getLoadStateV2"})
  public Mono<LoadState> loadState(String collection) {
    return stub.call(MilvusServiceGrpc.getGetLoadStateMethod(),
        GetLoadStateRequest.newBuilder().setCollectionName(name(collection)).build())
        .map(r -> Responses.loadState(r.getStateValue()));
  }

  /** How much of the collection is loaded, in percent (100 once loaded). A read. */
  @Rpc(value = "GetLoadingProgress", sdk = {})
  public Mono<Long> loadingProgress(String collection) {
    return stub.call(MilvusServiceGrpc.getGetLoadingProgressMethod(),
        GetLoadingProgressRequest.newBuilder().setCollectionName(name(collection)).build()).map(r -> r.getProgress());
  }

  /** The replicas of a loaded collection, with their shards and nodes. A read. */
  @Rpc(value = "GetReplicas", sdk = "describeReplicas")
  public Mono<List<Replica>> describeReplicas(String collection) {
    return stub.call(MilvusServiceGrpc.getGetReplicasMethod(), GetReplicasRequest.newBuilder()
        .setCollectionName(name(collection)).setWithShardNodes(true).build())
        .map(r -> r.getReplicasList().stream().map(CollectionAdmin::replica).toList());
  }

  private static Replica replica(ReplicaInfo r) {
    return new Replica(r.getReplicaID(), r.getCollectionID(), r.getResourceGroupName(), r.getPartitionIdsList(),
        r.getNodeIdsList(), r.getShardReplicasList().stream().map(s -> new Shard(s.getDmChannelName(), s.getLeaderID(),
            s.getLeaderAddr(), s.getNodeIdsList())).toList());
  }

  /** The collection an alias points to; an unknown alias fails the Mono. A read. */
  @Rpc(value = "DescribeAlias", sdk = "describeAlias")
  public Mono<String> describeAlias(String alias) {
    return stub.call(MilvusServiceGrpc.getDescribeAliasMethod(),
        DescribeAliasRequest.newBuilder().setAlias(Props.requireName(alias, "alias")).build()).map(r -> r.getCollection());
  }

  private static String name(String collection) {
    return Props.requireName(collection, "collection");
  }
}
