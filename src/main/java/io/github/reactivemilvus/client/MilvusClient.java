package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.RpcKind;
import io.github.reactivemilvus.ServerHealth;
import io.github.reactivemilvus.proto.AlterAliasRequest;
import io.github.reactivemilvus.proto.CreateAliasRequest;
import io.github.reactivemilvus.proto.CreateCollectionRequest;
import io.github.reactivemilvus.proto.CreateDatabaseRequest;
import io.github.reactivemilvus.proto.CreatePartitionRequest;
import io.github.reactivemilvus.proto.DeleteRequest;
import io.github.reactivemilvus.proto.DescribeCollectionRequest;
import io.github.reactivemilvus.proto.DescribeCollectionResponse;
import io.github.reactivemilvus.proto.DescribeDatabaseRequest;
import io.github.reactivemilvus.proto.DescribeIndexRequest;
import io.github.reactivemilvus.proto.DropAliasRequest;
import io.github.reactivemilvus.proto.DropCollectionRequest;
import io.github.reactivemilvus.proto.DropDatabaseRequest;
import io.github.reactivemilvus.proto.DropIndexRequest;
import io.github.reactivemilvus.proto.DropPartitionRequest;
import io.github.reactivemilvus.proto.FlushRequest;
import io.github.reactivemilvus.proto.GetFlushStateRequest;
import io.github.reactivemilvus.proto.GetLoadStateRequest;
import io.github.reactivemilvus.proto.HasCollectionRequest;
import io.github.reactivemilvus.proto.ListAliasesRequest;
import io.github.reactivemilvus.proto.ListDatabasesRequest;
import io.github.reactivemilvus.proto.LoadCollectionRequest;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.MutationResult;
import io.github.reactivemilvus.proto.ReleaseCollectionRequest;
import io.github.reactivemilvus.proto.RenameCollectionRequest;
import io.github.reactivemilvus.proto.ShowCollectionsRequest;
import io.github.reactivemilvus.proto.ShowPartitionsRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A typed reactive Milvus client for one alias of a {@link ReactiveConnections} registry. Rows
 * are {@code Map<String, Object>} (the Java types per Milvus type are listed in docs/client.md).
 *
 * <p>Every operation returns a cold {@link Mono} or {@link Flux}: nothing is sent before
 * subscription, cancelling cancels the RPC in flight (and stops a write stream or an iterator from
 * pulling more). Each RPC goes through {@link MilvusStub#call}, so it carries the alias's headers
 * (its database: a collection made through an alias lives in that alias's database), deadline and
 * call limits, and is retried as {@link io.github.reactivemilvus.MilvusRpcs} classifies it (reads
 * on UNAVAILABLE and rate limiting; writes only with {@code retry_writes}). A non-success status
 * fails with {@link io.github.reactivemilvus.MilvusConnectionException} carrying the Milvus code
 * and reason, the alias and the collection. Signals arrive on the channel's callback executor;
 * row conversion runs there too, never blocking, unless {@link #withCodecScheduler(Scheduler)}
 * moves it to a scheduler of the application's.
 *
 * <p>Writes, searches, queries and gets need the collection's schema: it is described once per
 * collection and cached in this client (dropping, renaming or creating a collection through this
 * client forgets it; {@link #forgetSchema(String)} does so after changes made elsewhere). A call
 * that fails because the collection changed on the server (dropped and re-created elsewhere, with
 * another dimension or fields) describes it again and is retried once with the new schema.
 *
 * <p>Loading, index builds and flushes complete when the server reports the work done, polled
 * with backoff on the registry's scheduler up to a timeout ({@link WaitOptions}; the Java SDK
 * waits the same way); {@link WaitOptions#NO_WAIT} completes once the server accepted the request.
 * Immutable and thread-safe.
 */
public final class MilvusClient {
  private final MilvusStub stub;
  private final Scheduler scheduler;
  private final SchemaCache schemas;
  private final Writes writes;
  private final Iterators iterators;
  private final WriteClock clock;
  private final Databases databases;
  private final CollectionAdmin collectionAdmin;
  private final Indexes indexes;
  private final Partitions partitions;
  private final Rbac rbac;
  private final ResourceGroups resourceGroups;
  private final Maintenance maintenance;
  private final Replication replication;
  /** Where rows are encoded and results decoded; null: the thread that completes the call (the event loop). */
  private final @Nullable Scheduler codecScheduler;

  private MilvusClient(MilvusStub stub) {
    this.stub = stub;
    this.scheduler = stub.scheduler();
    this.codecScheduler = null;
    this.clock = new WriteClock();
    this.schemas = new SchemaCache(this::describe);
    this.writes = new Writes(stub, schemas, clock, null);
    this.iterators = new Iterators(stub, schemas);
    this.databases = new Databases(stub);
    this.collectionAdmin = new CollectionAdmin(stub, schemas::forget);
    this.indexes = new Indexes(stub);
    this.partitions = new Partitions(stub);
    this.rbac = new Rbac(stub);
    this.resourceGroups = new ResourceGroups(stub);
    this.maintenance = new Maintenance(stub, stub.scheduler());
    this.replication = new Replication(stub);
  }

  /** {@code from}'s connection, schema cache, session timestamps and operation groups; its own codec scheduler. */
  private MilvusClient(MilvusClient from, Scheduler codecScheduler) {
    this.stub = from.stub;
    this.scheduler = from.scheduler;
    this.codecScheduler = codecScheduler;
    this.schemas = from.schemas;
    this.clock = from.clock;
    this.writes = new Writes(stub, schemas, clock, codecScheduler);
    this.iterators = from.iterators;
    this.databases = from.databases;
    this.collectionAdmin = from.collectionAdmin;
    this.indexes = from.indexes;
    this.partitions = from.partitions;
    this.rbac = from.rbac;
    this.resourceGroups = from.resourceGroups;
    this.maintenance = from.maintenance;
    this.replication = from.replication;
  }

  /**
   * A client on the same connection, sharing this one's schema cache and session timestamps, whose
   * row encoding and result decoding run on {@code scheduler}: each insert or upsert batch is
   * encoded and sent from it, and each search, hybrid search and query answer is decoded on it
   * (and its {@code Mono} completes there). This client is unchanged.
   *
   * <p>By default both run on the thread that asks for the batch or completes the call: the
   * channel's event loop. That costs no thread hop and suits the usual small batches and results
   * (a top-10 search, a few hundred rows). While the event loop encodes or decodes, though, every
   * other call of that channel waits; with large batches or results (thousands of vectors, output
   * fields with vectors) and many calls in flight, a scheduler such as {@code Schedulers.parallel()}
   * keeps the event loop moving bytes and spreads the conversion over one thread per core, at the
   * cost of a hop per batch or answer. Conversion is CPU work: a scheduler with one thread per core
   * fits it; {@code Schedulers.boundedElastic()} works but only adds threads. Iterators keep
   * converting on the event loop.
   */
  public MilvusClient withCodecScheduler(Scheduler scheduler) {
    return new MilvusClient(this, Objects.requireNonNull(scheduler, "scheduler"));
  }

  /** {@code answer} delivered on the codec scheduler, if this client has one. */
  private <T> Mono<T> decodeOn(Mono<T> answer) {
    return codecScheduler == null ? answer : answer.publishOn(codecScheduler);
  }

  // ---- operation groups (all over this client's stub) ----

  /** Database properties and descriptions. */
  public Databases databases() {
    return databases;
  }

  /**
   * Collection properties, field and function changes, truncation, statistics, load state and options,
   * replicas, aliases by name; schema changes made through it make this client forget the cached schema.
   */
  public CollectionAdmin collectionAdmin() {
    return collectionAdmin;
  }

  /** Index properties and names. */
  public Indexes indexes() {
    return indexes;
  }

  /** Partitions: has, load, release, statistics, load state. */
  public Partitions partitions() {
    return partitions;
  }

  /** Users, roles, privileges, privilege groups, user tags and row policies. */
  public Rbac rbac() {
    return rbac;
  }

  /** Resource groups and node and replica transfers. */
  public ResourceGroups resourceGroups() {
    return resourceGroups;
  }

  /** Flush, segments, compaction, the analyzer, server build, health and metrics. */
  public Maintenance maintenance() {
    return maintenance;
  }

  /** Cross-cluster replication and the WAL dump stream. */
  public Replication replication() {
    return replication;
  }

  /** A client for {@code alias}; an unknown alias fails each operation, not this call. */
  public static MilvusClient of(ReactiveConnections registry, String alias) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(alias, "alias");
    return new MilvusClient(registry.stub(alias));
  }

  /** A client whose RPCs use {@code stub} (for example one with its own deadline). */
  public static MilvusClient of(MilvusStub stub) {
    return new MilvusClient(Objects.requireNonNull(stub, "stub"));
  }

  /** The registry alias whose connection this client uses. */
  public String alias() {
    return stub.alias();
  }

  /** The server's health (Milvus 2.3+; a server without CheckHealth fails with UNIMPLEMENTED). A read. */
  @Rpc(value = "CheckHealth", sdk = "checkHealth")
  public Mono<ServerHealth> checkHealth() {
    return stub.checkHealth();
  }

  // ---- databases ----

  /**
   * Creates database {@code name}; the Mono completes empty once the server created it. A write: retried only
   * with {@code retry_writes}.
   */
  @Rpc(value = "CreateDatabase", sdk = "createDatabase")
  public Mono<Void> createDatabase(String name) {
    return stub.call(MilvusServiceGrpc.getCreateDatabaseMethod(), CreateDatabaseRequest.newBuilder().setDbName(name).build()).then();
  }

  /** The server's database names. A read, retried on {@code UNAVAILABLE} and rate limiting. */
  @Rpc(value = "ListDatabases", sdk = "listDatabases")
  public Mono<List<String>> listDatabases() {
    return stub.call(MilvusServiceGrpc.getListDatabasesMethod(), ListDatabasesRequest.getDefaultInstance())
        .map(r -> List.copyOf(r.getDbNamesList()));
  }

  /** The database's properties (for example {@code database.replica.number}), by key. */
  @Rpc(value = "DescribeDatabase", sdk = {})
  public Mono<Map<String, String>> describeDatabase(String name) {
    return stub.call(MilvusServiceGrpc.getDescribeDatabaseMethod(), DescribeDatabaseRequest.newBuilder().setDbName(name).build())
        .map(r -> Responses.toMap(r.getPropertiesList()));
  }

  /**
   * Drops database {@code name} (the server refuses one that still holds collections); completes empty. A
   * write: retried only with {@code retry_writes}.
   */
  @Rpc(value = "DropDatabase", sdk = "dropDatabase")
  public Mono<Void> dropDatabase(String name) {
    return stub.call(MilvusServiceGrpc.getDropDatabaseMethod(), DropDatabaseRequest.newBuilder().setDbName(name).build()).then();
  }

  // ---- collections ----

  /**
   * The quick form: an Int64 primary key {@code id} (not auto-id), a FloatVector field
   * {@code vector} of {@code dimension}, the dynamic field enabled, an AUTOINDEX on the vector
   * with {@code metric} ({@code L2}, {@code IP} or {@code COSINE}), then loaded.
   */
  @Rpc(value = {"CreateCollection", "CreateIndex", "LoadCollection"}, sdk = "createCollection")
  public Mono<Void> createCollection(String name, int dimension, MetricType metric) {
    return createCollection(name, dimension, Objects.requireNonNull(metric, "metric").name());
  }

  /** As {@link #createCollection(String, int, MetricType)}, the metric given by name. */
  @Rpc(value = {"CreateCollection", "CreateIndex", "LoadCollection"}, sdk = "createCollection")
  public Mono<Void> createCollection(String name, int dimension, String metric) {
    Schema schema = Schema.builder().enableDynamicField(true)
        .field(Field.int64("id").primaryKey()).field(Field.floatVector("vector", dimension)).build();
    return createCollection(name, schema, List.of(IndexParam.builder("vector").metricType(metric).build()))
        .then(loadCollection(name));
  }

  /**
   * {@link #createCollection(String, Schema, List, ConsistencyLevel, WaitOptions)} with consistency
   * level {@link ConsistencyLevel#BOUNDED} (as the Java SDK and pymilvus do; the protocol's default
   * would be Strong), waiting as {@link WaitOptions#DEFAULTS} says for each index build.
   */
  @Rpc(value = {"CreateCollection", "CreateIndex", "LoadCollection"}, sdk = "createCollection")
  public Mono<Void> createCollection(String name, Schema schema, List<IndexParam> indexes) {
    return createCollection(name, schema, indexes, ConsistencyLevel.BOUNDED, WaitOptions.DEFAULTS);
  }

  /**
   * {@link #createCollection(String, Schema, List, ConsistencyLevel, WaitOptions)} with consistency
   * level {@link ConsistencyLevel#BOUNDED}.
   */
  @Rpc(value = {"CreateCollection", "CreateIndex", "DescribeIndex"}, sdk = "createCollection")
  public Mono<Void> createCollection(String name, Schema schema, List<IndexParam> indexes, WaitOptions wait) {
    return createCollection(name, schema, indexes, ConsistencyLevel.BOUNDED, wait);
  }

  /**
   * {@link #createCollection(String, Schema, List, ConsistencyLevel, WaitOptions)} waiting as
   * {@link WaitOptions#DEFAULTS} says for each index build.
   */
  @Rpc(value = {"CreateCollection", "CreateIndex", "DescribeIndex"}, sdk = "createCollection")
  public Mono<Void> createCollection(String name, Schema schema, List<IndexParam> indexes, ConsistencyLevel consistency) {
    return createCollection(name, schema, indexes, consistency, WaitOptions.DEFAULTS);
  }

  /**
   * Creates the collection (not loaded) with {@code consistency} as the level of reads that name
   * none (Session reads wait for this client's last write to the collection), and then builds
   * {@code indexes}, in order, each waited for as {@code wait} says
   * ({@link #createIndex(String, IndexParam, WaitOptions)}).
   */
  @Rpc(value = {"CreateCollection", "CreateIndex", "DescribeIndex"}, sdk = "createCollection")
  public Mono<Void> createCollection(String name, Schema schema, List<IndexParam> indexes, ConsistencyLevel consistency,
      WaitOptions wait) {
    Objects.requireNonNull(consistency, "consistency");
    List<IndexParam> indexList = List.copyOf(indexes);
    Objects.requireNonNull(wait, "wait");
    return createCollectionOnly(name, schema, consistency)
        .thenMany(Flux.fromIterable(indexList).concatMap(index -> createIndex(name, index, wait))).then();
  }

  private Mono<Void> createCollectionOnly(String name, Schema schema, ConsistencyLevel consistency) {
    Objects.requireNonNull(schema, "schema");
    CreateCollectionRequest request = CreateCollectionRequest.newBuilder().setCollectionName(name)
        .setSchema(schema.toProto(name).toByteString()).setConsistencyLevelValue(consistency.code()).build();
    return Mono.defer(() -> {
      schemas.forget(name);
      return stub.call(MilvusServiceGrpc.getCreateCollectionMethod(), request).then();
    });
  }

  /** {@link #createCollectionIfNotExists(String, Schema, List, WaitOptions)} with {@link WaitOptions#DEFAULTS}. */
  @Rpc(value = {"HasCollection", "CreateCollection", "CreateIndex", "DescribeIndex"}, sdk = {})
  public Mono<Boolean> createCollectionIfNotExists(String name, Schema schema, List<IndexParam> indexes) {
    return createCollectionIfNotExists(name, schema, indexes, WaitOptions.DEFAULTS);
  }

  /**
   * Creates the collection and builds its indexes, as {@link #createCollection(String, Schema, List,
   * WaitOptions)}, unless a collection of that name exists: then nothing is changed (its schema is
   * not compared). The Mono holds whether this call created it. Safe to run from several service
   * instances at once: a create that fails while another instance created the collection (the
   * collection exists when asked again) counts as "exists", whatever the server's code for it
   * (Lite answers code 1, Milvus succeeds for an identical schema).
   */
  @Rpc(value = {"HasCollection", "CreateCollection", "CreateIndex", "DescribeIndex"}, sdk = {})
  public Mono<Boolean> createCollectionIfNotExists(String name, Schema schema, List<IndexParam> indexes, WaitOptions wait) {
    List<IndexParam> indexList = List.copyOf(indexes);
    Objects.requireNonNull(wait, "wait");
    Mono<Boolean> create = createCollectionOnly(name, schema, ConsistencyLevel.BOUNDED).thenReturn(true)
        .onErrorResume(e -> hasCollection(name).onErrorResume(again -> Mono.error(e))
            .flatMap(exists -> exists ? Mono.just(false) : Mono.error(e)));
    return hasCollection(name).flatMap(exists -> exists ? Mono.just(false) : create)
        .flatMap(created -> created
            ? Flux.fromIterable(indexList).concatMap(index -> createIndex(name, index, wait)).then(Mono.just(true))
            : Mono.just(false));
  }

  /**
   * Whether the alias's database has collection {@code name}. A read, retried on {@code UNAVAILABLE} and rate
   * limiting.
   */
  @Rpc(value = "HasCollection", sdk = "hasCollection")
  public Mono<Boolean> hasCollection(String name) {
    return stub.call(MilvusServiceGrpc.getHasCollectionMethod(), HasCollectionRequest.newBuilder().setCollectionName(name).build())
        .map(r -> r.getValue());
  }

  /**
   * The server's description of collection {@code name} (schema, shards, aliases, properties); an unknown
   * collection fails the Mono. A read; the client's schema cache is neither used nor updated.
   */
  @Rpc(value = "DescribeCollection", sdk = "describeCollection")
  public Mono<CollectionDescription> describeCollection(String name) {
    return describe(name).map(Responses::collection);
  }

  private Mono<DescribeCollectionResponse> describe(String name) {
    return stub.call(MilvusServiceGrpc.getDescribeCollectionMethod(),
        DescribeCollectionRequest.newBuilder().setCollectionName(name).build());
  }

  /** Collection names of the alias's database. */
  @Rpc(value = "ShowCollections", sdk = "listCollections")
  public Mono<List<String>> listCollections() {
    return stub.call(MilvusServiceGrpc.getShowCollectionsMethod(), ShowCollectionsRequest.getDefaultInstance())
        .map(r -> List.copyOf(r.getCollectionNamesList()));
  }

  /**
   * Drops collection {@code name} and forgets its cached schema (on subscription); completes empty. A write:
   * retried only with {@code retry_writes}.
   */
  @Rpc(value = "DropCollection", sdk = "dropCollection")
  public Mono<Void> dropCollection(String name) {
    return Mono.defer(() -> {
      schemas.forget(name);
      clock.forget(name);
      return stub.call(MilvusServiceGrpc.getDropCollectionMethod(), DropCollectionRequest.newBuilder().setCollectionName(name).build());
    }).then();
  }

  /**
   * Renames a collection in the alias's database and forgets the cached schemas of both names (on
   * subscription); completes empty. A write: retried only with {@code retry_writes}.
   */
  @Rpc(value = "RenameCollection", sdk = "renameCollection")
  public Mono<Void> renameCollection(String oldName, String newName) {
    return Mono.defer(() -> {
      schemas.forget(oldName);
      schemas.forget(newName);
      return stub.call(MilvusServiceGrpc.getRenameCollectionMethod(),
          RenameCollectionRequest.newBuilder().setOldName(oldName).setNewName(newName).build());
    }).then();
  }

  /** {@link #loadCollection(String, WaitOptions)} with {@link WaitOptions#DEFAULTS}: waits until loaded. */
  @Rpc(value = "LoadCollection", sdk = "loadCollection")
  public Mono<Void> loadCollection(String name) {
    return loadCollection(name, WaitOptions.DEFAULTS);
  }

  /**
   * Loads the collection; completes when {@link #getLoadState(String)} reports
   * {@link LoadState#LOADED} (polled as {@code wait} says), or when the server accepted the request
   * with {@link WaitOptions#NO_WAIT}. A server without GetLoadState (gRPC UNIMPLEMENTED) is taken
   * at its word; a collection that disappears while loading fails the Mono.
   */
  @Rpc(value = {"LoadCollection", "GetLoadState"}, sdk = "loadCollection")
  public Mono<Void> loadCollection(String name, WaitOptions wait) {
    Objects.requireNonNull(wait, "wait");
    return stub.call(MilvusServiceGrpc.getLoadCollectionMethod(), LoadCollectionRequest.newBuilder().setCollectionName(name).build())
        .then(Polling.until(() -> getLoadState(name).flatMap(state -> switch (state) {
          case LOADED -> Mono.just(Polling.Probe.finished());
          case NOT_EXIST -> Mono.error(new IllegalStateException("collection '" + name + "' disappeared while loading"));
          default -> Mono.just(Polling.Probe.pending(state.name()));
        }).onErrorResume(MilvusClient::unimplemented, e -> Mono.just(Polling.Probe.finished())),
            wait, scheduler, "loading collection '" + name + "'"));
  }

  private static boolean unimplemented(Throwable e) {
    if (!(e instanceof MilvusConnectionException m)) {
      return false;
    }
    io.grpc.Status status = m.grpcStatus();
    return status != null && status.getCode() == io.grpc.Status.Code.UNIMPLEMENTED;
  }

  /**
   * Releases collection {@code name} from memory (searches and queries then fail until it is loaded again);
   * completes empty. A write.
   */
  @Rpc(value = "ReleaseCollection", sdk = "releaseCollection")
  public Mono<Void> releaseCollection(String name) {
    return stub.call(MilvusServiceGrpc.getReleaseCollectionMethod(),
        ReleaseCollectionRequest.newBuilder().setCollectionName(name).build()).then();
  }

  /** Whether collection {@code name} is loaded, loading, not loaded, or does not exist. A read. */
  @Rpc(value = "GetLoadState", sdk = {"getLoadState", "getLoadStateV2"})
  public Mono<LoadState> getLoadState(String name) {
    return stub.call(MilvusServiceGrpc.getGetLoadStateMethod(), GetLoadStateRequest.newBuilder().setCollectionName(name).build())
        .map(r -> Responses.loadState(r.getStateValue()));
  }

  /** {@link #flush(String, WaitOptions)} with {@link WaitOptions#DEFAULTS}: waits until flushed. */
  @Rpc(value = "Flush", sdk = {})
  public Mono<Void> flush(String name) {
    return flush(name, WaitOptions.DEFAULTS);
  }

  /**
   * Seals the collection's growing segments (makes inserted data persistent); completes when
   * GetFlushState reports the sealed segments flushed (polled as {@code wait} says), or when the
   * server accepted the request with {@link WaitOptions#NO_WAIT}. A server that names no segments
   * or has no GetFlushState (gRPC UNIMPLEMENTED) is taken at its word.
   */
  @Rpc(value = {"Flush", "GetFlushState"}, sdk = {})
  public Mono<Void> flush(String name, WaitOptions wait) {
    Objects.requireNonNull(wait, "wait");
    return stub.call(MilvusServiceGrpc.getFlushMethod(), FlushRequest.newBuilder().addCollectionNames(name).build())
        .flatMap(r -> {
          List<Long> segments = r.getCollSegIDsOrDefault(name, LongArray.getDefaultInstance()).getDataList();
          long flushTs = r.getCollFlushTsOrDefault(name, 0L);
          if (segments.isEmpty() || flushTs == 0) {
            return Mono.empty();
          }
          GetFlushStateRequest state = GetFlushStateRequest.newBuilder().setCollectionName(name).addAllSegmentIDs(segments)
              .setFlushTs(flushTs).build();
          return Polling.until(() -> stub.call(MilvusServiceGrpc.getGetFlushStateMethod(), state, RpcKind.READ)
              .map(s -> s.getFlushed() ? Polling.Probe.finished() : Polling.Probe.pending("not flushed"))
              .onErrorResume(MilvusClient::unimplemented, e -> Mono.just(Polling.Probe.finished())),
              wait, scheduler, "flushing collection '" + name + "'");
        });
  }

  /** Forgets the cached schema of {@code collection}; the next write or read describes it again. */
  public void forgetSchema(String collection) {
    schemas.forget(collection);
  }

  // ---- partitions ----

  /**
   * Creates partition {@code partition} in {@code collection}; completes empty. A write: retried only with
   * {@code retry_writes}.
   */
  @Rpc(value = "CreatePartition", sdk = {})
  public Mono<Void> createPartition(String collection, String partition) {
    return stub.call(MilvusServiceGrpc.getCreatePartitionMethod(),
        CreatePartitionRequest.newBuilder().setCollectionName(collection).setPartitionName(partition).build()).then();
  }

  /** The partition names of {@code collection}, {@code _default} included. A read. */
  @Rpc(value = "ShowPartitions", sdk = {})
  public Mono<List<String>> listPartitions(String collection) {
    return stub.call(MilvusServiceGrpc.getShowPartitionsMethod(), ShowPartitionsRequest.newBuilder().setCollectionName(collection).build())
        .map(r -> List.copyOf(r.getPartitionNamesList()));
  }

  /**
   * Drops partition {@code partition} of {@code collection} (the server refuses a loaded one); completes
   * empty. A write.
   */
  @Rpc(value = "DropPartition", sdk = {})
  public Mono<Void> dropPartition(String collection, String partition) {
    return stub.call(MilvusServiceGrpc.getDropPartitionMethod(),
        DropPartitionRequest.newBuilder().setCollectionName(collection).setPartitionName(partition).build()).then();
  }

  // ---- indexes ----

  /** {@link #createIndex(String, IndexParam, WaitOptions)} with {@link WaitOptions#DEFAULTS}: waits until built. */
  @Rpc(value = "CreateIndex", sdk = "createIndex")
  public Mono<Void> createIndex(String collection, IndexParam index) {
    return createIndex(collection, index, WaitOptions.DEFAULTS);
  }

  /**
   * Builds {@code index}; completes when DescribeIndex reports it {@link IndexState#FINISHED}
   * (polled as {@code wait} says), or when the server accepted the request with
   * {@link WaitOptions#NO_WAIT}. A build the server reports {@link IndexState#FAILED} fails the Mono
   * with its reason. A write.
   */
  @Rpc(value = {"CreateIndex", "DescribeIndex"}, sdk = "createIndex")
  public Mono<Void> createIndex(String collection, IndexParam index, WaitOptions wait) {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(wait, "wait");
    DescribeIndexRequest describe = DescribeIndexRequest.newBuilder().setCollectionName(collection)
        .setFieldName(index.fieldName()).setIndexName(index.indexName()).build();
    String what = "index on '" + collection + "." + index.fieldName() + "'";
    return stub.call(MilvusServiceGrpc.getCreateIndexMethod(), Requests.createIndexRequest(collection, index))
        .then(Polling.until(() -> stub.call(MilvusServiceGrpc.getDescribeIndexMethod(), describe).map(Responses::indexes)
            .flatMap(list -> {
              IndexDescription d = list.stream().filter(i -> i.fieldName().equals(index.fieldName())
                  && (index.indexName().isEmpty() || i.indexName().equals(index.indexName()))).findFirst().orElse(null);
              if (d == null) {
                return Mono.just(Polling.Probe.pending("not described yet"));
              }
              if (d.state() == IndexState.FAILED) {
                return Mono.error(new IllegalStateException("building the " + what + " failed: " + d.failReason()));
              }
              return Mono.just(d.state() == IndexState.FINISHED ? Polling.Probe.finished() : Polling.Probe.pending(d.state().name()));
            }), wait, scheduler, "building the " + what));
  }

  /** The collection's indexes (all fields). */
  @Rpc(value = "DescribeIndex", sdk = "describeIndex")
  public Mono<List<IndexDescription>> describeIndexes(String collection) {
    return stub.call(MilvusServiceGrpc.getDescribeIndexMethod(), DescribeIndexRequest.newBuilder().setCollectionName(collection).build())
        .map(Responses::indexes);
  }

  /** Drops the index named {@code indexName} (by default an index is named after its field). */
  @Rpc(value = "DropIndex", sdk = "dropIndex")
  public Mono<Void> dropIndex(String collection, String indexName) {
    return stub.call(MilvusServiceGrpc.getDropIndexMethod(),
        DropIndexRequest.newBuilder().setCollectionName(collection).setIndexName(indexName).build()).then();
  }

  // ---- collection aliases ----

  /**
   * Creates collection alias {@code alias} (a Milvus alias, not a registry alias) for {@code collection};
   * completes empty. A write.
   */
  @Rpc(value = "CreateAlias", sdk = "createAlias")
  public Mono<Void> createAlias(String collection, String alias) {
    return stub.call(MilvusServiceGrpc.getCreateAliasMethod(),
        CreateAliasRequest.newBuilder().setCollectionName(collection).setAlias(alias).build()).then();
  }

  /** Points an existing collection alias at {@code collection}. */
  @Rpc(value = "AlterAlias", sdk = "alterAlias")
  public Mono<Void> alterAlias(String collection, String alias) {
    return Mono.defer(() -> {
      schemas.forget(alias);
      return stub.call(MilvusServiceGrpc.getAlterAliasMethod(),
          AlterAliasRequest.newBuilder().setCollectionName(collection).setAlias(alias).build());
    }).then();
  }

  /**
   * Drops collection alias {@code alias} and forgets a schema cached under that name (on subscription);
   * completes empty. A write.
   */
  @Rpc(value = "DropAlias", sdk = "dropAlias")
  public Mono<Void> dropAlias(String alias) {
    return Mono.defer(() -> {
      schemas.forget(alias);
      return stub.call(MilvusServiceGrpc.getDropAliasMethod(), DropAliasRequest.newBuilder().setAlias(alias).build());
    }).then();
  }

  /** The collection aliases pointing at {@code collection}. */
  @Rpc(value = "ListAliases", sdk = "listAliases")
  public Mono<List<String>> listAliases(String collection) {
    return stub.call(MilvusServiceGrpc.getListAliasesMethod(), ListAliasesRequest.newBuilder().setCollectionName(collection).build())
        .map(r -> List.copyOf(r.getAliasesList()));
  }

  // ---- writes ----

  /** {@link #insert(String, Flux, WriteOptions)} with {@link WriteOptions#DEFAULTS}. */
  @Rpc(value = {"Insert", "DescribeCollection"}, sdk = "insert")
  public Flux<WriteResult> insert(String collection, Flux<Map<String, Object>> rows) {
    return insert(collection, rows, WriteOptions.DEFAULTS);
  }

  /**
   * Inserts the rows, batched as {@code options} says, one {@link WriteResult} per batch in
   * stream order. Rows are pulled only as batches are answered, so at most about
   * {@code (maxInFlight + 1) * batchRows} rows are held at once. A row that does not fit the
   * schema fails the Flux with a {@link RowConversionException} before anything of its batch is
   * sent (earlier batches stay written). Inserts are writes: not retried unless the alias's
   * policy has {@code retry_writes} (a retried insert may write twice).
   */
  @Rpc(value = {"Insert", "DescribeCollection"}, sdk = "insert")
  public Flux<WriteResult> insert(String collection, Flux<Map<String, Object>> rows, WriteOptions options) {
    return writes.write(collection, rows, options, false);
  }

  /** {@link #upsert(String, Flux, WriteOptions)} with {@link WriteOptions#DEFAULTS}. */
  @Rpc(value = {"Upsert", "DescribeCollection"}, sdk = "upsert")
  public Flux<WriteResult> upsert(String collection, Flux<Map<String, Object>> rows) {
    return upsert(collection, rows, WriteOptions.DEFAULTS);
  }

  /** As {@link #insert(String, Flux, WriteOptions)}, replacing rows with the same primary key. */
  @Rpc(value = {"Upsert", "DescribeCollection"}, sdk = "upsert")
  public Flux<WriteResult> upsert(String collection, Flux<Map<String, Object>> rows, WriteOptions options) {
    return writes.write(collection, rows, options, true);
  }

  /**
   * The whole insert stream summed up in one value, the way to answer an upload: the rows the
   * server acknowledged, the batches, and the first failure (a row that does not fit, a refused
   * batch, the row source's own error). It completes once every sent batch has finished, so
   * {@link WriteSummary#rows()} is exactly what Milvus holds from this stream; it fails only when
   * the collection's schema cannot be read. Batching as {@code options} says.
   */
  @Rpc(value = {"Insert", "DescribeCollection"}, sdk = "insert")
  public Mono<WriteSummary> insertAll(String collection, Flux<Map<String, Object>> rows, WriteOptions options) {
    return writes.summary(collection, rows, options, false);
  }

  /** As {@link #insertAll(String, Flux, WriteOptions)}, replacing rows with the same primary key. */
  @Rpc(value = {"Upsert", "DescribeCollection"}, sdk = "upsert")
  public Mono<WriteSummary> upsertAll(String collection, Flux<Map<String, Object>> rows, WriteOptions options) {
    return writes.summary(collection, rows, options, true);
  }

  /** Deletes rows by primary key; the Mono holds the count the server reports. */
  @Rpc(value = {"Delete", "DescribeCollection"}, sdk = "delete")
  public Mono<Long> delete(String collection, Collection<?> ids) {
    List<Object> idList = List.copyOf(ids);
    return schemas.withSchema(collection, codec -> deleteWhere(collection, Requests.idFilter(codec, idList)));
  }

  /** Deletes the rows matching {@code filter}; the Mono holds the count the server reports. */
  @Rpc(value = "Delete", sdk = "delete")
  public Mono<Long> deleteWhere(String collection, String filter) {
    Objects.requireNonNull(filter, "filter");
    if (filter.isBlank()) {
      return Mono.error(new IllegalArgumentException("a delete needs a filter; use dropCollection to delete everything"));
    }
    return stub.call(MilvusServiceGrpc.getDeleteMethod(), DeleteRequest.newBuilder().setCollectionName(collection).setExpr(filter).build())
        .doOnNext(r -> clock.written(collection, r.getTimestamp()))
        .map(MutationResult::getDeleteCnt);
  }

  // ---- reads ----

  /** The hits of each query vector, best first, in the order of {@link Search.Builder#vector}. */
  @Rpc(value = {"Search", "DescribeCollection"}, sdk = {"search", "searchAsync"})
  public Mono<List<List<Hit>>> search(Search search) {
    Objects.requireNonNull(search, "search");
    return schemas.withSchema(search.collection, codec -> decodeOn(stub.call(MilvusServiceGrpc.getSearchMethod(),
        SessionReads.apply(Requests.searchRequest(codec, search), clock)))
        .map(r -> Responses.hits(codec, r, search.groupByField, search.outputFields)));
  }

  /**
   * A single-vector (or single-text) search whose hits are emitted one by one, best first; a search
   * with several query vectors fails with {@link IllegalArgumentException}.
   */
  @Rpc(value = {"Search", "DescribeCollection"}, sdk = {"search", "searchAsync"})
  public Flux<Hit> searchHits(Search search) {
    Objects.requireNonNull(search, "search");
    if (search.vectors.size() != 1) {
      return Flux.error(new IllegalArgumentException("searchHits takes a search of one query vector or text, got "
          + search.vectors.size() + "; use search"));
    }
    return search(search).flatMapIterable(lists -> lists.isEmpty() ? List.of() : lists.get(0));
  }

  /**
   * A hybrid search: each {@link Search} of the {@link HybridSearch} is run and the hit lists are fused
   * by its ranker (RRF or weighted); group-by, limit, offset and output fields apply to the fused result.
   */
  @Rpc(value = {"HybridSearch", "DescribeCollection"}, sdk = {"hybridSearch", "hybridSearchAsync"})
  public Mono<List<List<Hit>>> hybridSearch(HybridSearch hybrid) {
    Objects.requireNonNull(hybrid, "hybrid");
    return schemas.withSchema(hybrid.collection, codec -> decodeOn(stub.call(MilvusServiceGrpc.getHybridSearchMethod(),
        SessionReads.apply(Requests.hybridRequest(codec, hybrid), clock)))
        .map(r -> Responses.hits(codec, r, hybrid.groupByField, hybrid.outputFields)));
  }

  /** A hybrid search fused by RRF with parameter {@code k}: {@link #hybridSearch} with {@link HybridSearch.Builder#rrf}. */
  @Rpc(value = {"HybridSearch", "DescribeCollection"}, sdk = {"hybridSearch", "hybridSearchAsync"})
  public Mono<List<List<Hit>>> hybridSearchRrf(List<Search> searches, int k, int limit, String... outputFields) {
    return Mono.defer(() -> hybridSearch(hybrid(searches, limit, outputFields).rrf(k).build()));
  }

  /** A hybrid search ranked by a weighted sum of the normalised scores, one weight per search. */
  @Rpc(value = {"HybridSearch", "DescribeCollection"}, sdk = {"hybridSearch", "hybridSearchAsync"})
  public Mono<List<List<Hit>>> hybridSearchWeighted(List<Search> searches, List<Double> weights, int limit, String... outputFields) {
    return Mono.defer(() -> {
      double[] w = new double[weights.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = weights.get(i);
      }
      return hybridSearch(hybrid(searches, limit, outputFields).weighted(w).build());
    });
  }

  private static HybridSearch.Builder hybrid(List<Search> searches, int limit, String... outputFields) {
    if (searches.isEmpty()) {
      throw new IllegalArgumentException("a hybrid search needs at least one search");
    }
    HybridSearch.Builder b = HybridSearch.builder(searches.get(0).collection).limit(limit).outputFields(outputFields);
    searches.forEach(b::search);
    return b;
  }

  /** The matching rows (all of them up to the limit) with the requested fields. */
  @Rpc(value = {"Query", "DescribeCollection"}, sdk = {"query", "queryAsync"})
  public Mono<List<Map<String, Object>>> query(Query query) {
    Objects.requireNonNull(query, "query");
    return decodeOn(stub.call(MilvusServiceGrpc.getQueryMethod(),
        SessionReads.apply(Requests.queryRequest(query, query.filter, query.limit, query.offset, false), clock)))
        .map(Responses::rows);
  }

  /** As {@link #query(Query)}, each row mapped by {@code mapper} (for example {@link Rows#as(Class)}). */
  @Rpc(value = {"Query", "DescribeCollection"}, sdk = {"query", "queryAsync"})
  public <T> Mono<List<T>> query(Query query, Function<? super Map<String, Object>, ? extends T> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return query(query).map(rows -> mapAll(rows, mapper));
  }

  /** The rows with these primary keys (those that exist), with {@code outputFields} ({@code "*"}: all). */
  @Rpc(value = {"Query", "DescribeCollection"}, sdk = {"get", "getAsync"})
  public Mono<List<Map<String, Object>>> get(String collection, Collection<?> ids, String... outputFields) {
    List<Object> idList = List.copyOf(ids);
    return schemas.withSchema(collection, codec -> query(Query.builder(collection).filter(Requests.idFilter(codec, idList))
        .outputFields(outputFields).build()));
  }

  /** As {@link #get(String, Collection, String...)}, each row mapped by {@code mapper}. */
  @Rpc(value = {"Query", "DescribeCollection"}, sdk = {"get", "getAsync"})
  public <T> Mono<List<T>> get(String collection, Collection<?> ids, Function<? super Map<String, Object>, ? extends T> mapper,
      String... outputFields) {
    Objects.requireNonNull(mapper, "mapper");
    return get(collection, ids, outputFields).map(rows -> mapAll(rows, mapper));
  }

  private static <T> List<T> mapAll(List<Map<String, Object>> rows, Function<? super Map<String, Object>, ? extends T> mapper) {
    List<T> out = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) {
      out.add(mapper.apply(row));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * All rows matching the query, fetched in pages of {@code pageSize} ordered by primary key,
   * a page only when downstream asks for a row the previous pages did not hold, one page at a
   * time; cancelling stops paging and cancels the page in flight. The query's limit (if any)
   * bounds the total; its offset is not supported here.
   */
  @Rpc(value = {"Query", "DescribeCollection"}, sdk = "queryIterator")
  public Flux<Map<String, Object>> queryIterator(Query query, int pageSize) {
    return iterators.queryIterator(query, pageSize);
  }

  /** As {@link #queryIterator(Query, int)}, each row mapped by {@code mapper} (for example {@link Rows#as(Class)}). */
  @Rpc(value = {"Query", "DescribeCollection"}, sdk = "queryIterator")
  public <T> Flux<T> queryIterator(Query query, int pageSize, Function<? super Map<String, Object>, ? extends T> mapper) {
    Objects.requireNonNull(mapper, "mapper");
    return queryIterator(query, pageSize).map(mapper);
  }

  /**
   * The hits of one query vector in pages of {@code pageSize}, best first, up to {@code limit}
   * of the search (default 10, as for a search: set it to the total wanted), each page fetched only
   * when downstream asks for more; cancelling stops paging and cancels the page in flight.
   *
   * <p>Which iterator runs is decided per subscription by one probe search of one hit (as pymilvus
   * decides): a server with the server-side Search Iterator V2 (Milvus 2.5 and later; pymilvus names
   * 2.5.2) keeps the iterator, every page carries its token and the last page's worst score, and all
   * pages read the snapshot of the probe's session timestamp (the client's clock when the server
   * gives none); the iterator ends at the first empty page. Any other server (Milvus before 2.5,
   * Milvus Lite) gets range searches: each next page starts at the last
   * page's worst score, excluding the keys already returned at that score, and the metric must be
   * given ({@link Search.Builder#metricType}).
   */
  @Rpc(value = {"Search", "DescribeCollection"}, sdk = {"searchIterator", "searchIteratorV2"})
  public Flux<Hit> searchIterator(Search search, int pageSize) {
    return iterators.searchIterator(search, pageSize);
  }
}
