package io.github.reactivemilvus.client;

import com.google.protobuf.ByteString;
import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.proto.AlterAliasRequest;
import io.github.reactivemilvus.proto.CollectionSchema;
import io.github.reactivemilvus.proto.CreateAliasRequest;
import io.github.reactivemilvus.proto.CreateCollectionRequest;
import io.github.reactivemilvus.proto.CreateDatabaseRequest;
import io.github.reactivemilvus.proto.CreateIndexRequest;
import io.github.reactivemilvus.proto.CreatePartitionRequest;
import io.github.reactivemilvus.proto.DataType;
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
import io.github.reactivemilvus.proto.DslType;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.FlushRequest;
import io.github.reactivemilvus.proto.GetLoadStateRequest;
import io.github.reactivemilvus.proto.HasCollectionRequest;
import io.github.reactivemilvus.proto.HybridSearchRequest;
import io.github.reactivemilvus.proto.IDs;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.ListAliasesRequest;
import io.github.reactivemilvus.proto.ListDatabasesRequest;
import io.github.reactivemilvus.proto.LoadCollectionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.MutationResult;
import io.github.reactivemilvus.proto.PlaceholderGroup;
import io.github.reactivemilvus.proto.PlaceholderType;
import io.github.reactivemilvus.proto.PlaceholderValue;
import io.github.reactivemilvus.proto.QueryRequest;
import io.github.reactivemilvus.proto.QueryResults;
import io.github.reactivemilvus.proto.ReleaseCollectionRequest;
import io.github.reactivemilvus.proto.RenameCollectionRequest;
import io.github.reactivemilvus.proto.SearchRequest;
import io.github.reactivemilvus.proto.SearchResultData;
import io.github.reactivemilvus.proto.SearchResults;
import io.github.reactivemilvus.proto.ShowCollectionsRequest;
import io.github.reactivemilvus.proto.ShowPartitionsRequest;
import io.github.reactivemilvus.proto.UpsertRequest;
import io.github.reactivemilvus.proto.InsertRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

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
 * row conversion runs there too, never blocking.
 *
 * <p>Writes, searches, queries and gets need the collection's schema: it is described once per
 * collection and cached in this client (dropping, renaming or creating a collection through this
 * client forgets it; {@link #forgetSchema(String)} does so after changes made elsewhere).
 * Immutable and thread-safe.
 */
public final class MilvusClient {
  private final MilvusStub stub;
  private final Map<String, Mono<RowCodec>> codecs = new ConcurrentHashMap<>();

  private MilvusClient(MilvusStub stub) {
    this.stub = stub;
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

  // ---- databases ----

  /**
   * Creates database {@code name}; the Mono completes empty once the server created it. A write: retried only
   * with {@code retry_writes}.
   */
  public Mono<Void> createDatabase(String name) {
    return stub.call(MilvusServiceGrpc.getCreateDatabaseMethod(), CreateDatabaseRequest.newBuilder().setDbName(name).build()).then();
  }

  /** The server's database names. A read, retried on {@code UNAVAILABLE} and rate limiting. */
  public Mono<List<String>> listDatabases() {
    return stub.call(MilvusServiceGrpc.getListDatabasesMethod(), ListDatabasesRequest.getDefaultInstance())
        .map(r -> List.copyOf(r.getDbNamesList()));
  }

  /** The database's properties (for example {@code database.replica.number}), by key. */
  public Mono<Map<String, String>> describeDatabase(String name) {
    return stub.call(MilvusServiceGrpc.getDescribeDatabaseMethod(), DescribeDatabaseRequest.newBuilder().setDbName(name).build())
        .map(r -> toMap(r.getPropertiesList()));
  }

  /**
   * Drops database {@code name} (the server refuses one that still holds collections); completes empty. A
   * write: retried only with {@code retry_writes}.
   */
  public Mono<Void> dropDatabase(String name) {
    return stub.call(MilvusServiceGrpc.getDropDatabaseMethod(), DropDatabaseRequest.newBuilder().setDbName(name).build()).then();
  }

  // ---- collections ----

  /**
   * The quick form: an Int64 primary key {@code id} (not auto-id), a FloatVector field
   * {@code vector} of {@code dimension}, the dynamic field enabled, an AUTOINDEX on the vector
   * with {@code metric} ({@code L2}, {@code IP} or {@code COSINE}), then loaded.
   */
  public Mono<Void> createCollection(String name, int dimension, String metric) {
    Schema schema = Schema.builder().enableDynamicField(true)
        .field(Field.int64("id").primaryKey()).field(Field.floatVector("vector", dimension)).build();
    return createCollection(name, schema, List.of(IndexParam.builder("vector").metricType(metric).build()))
        .then(loadCollection(name));
  }

  /** Creates the collection (not loaded) and then builds {@code indexes}, in order. */
  public Mono<Void> createCollection(String name, Schema schema, List<IndexParam> indexes) {
    Objects.requireNonNull(schema, "schema");
    List<IndexParam> indexList = List.copyOf(indexes);
    CreateCollectionRequest request = CreateCollectionRequest.newBuilder().setCollectionName(name)
        .setSchema(schema.toProto(name).toByteString()).build();
    return Mono.defer(() -> {
      codecs.remove(name);
      return stub.call(MilvusServiceGrpc.getCreateCollectionMethod(), request).then();
    }).thenMany(Flux.fromIterable(indexList).concatMap(index -> createIndex(name, index))).then();
  }

  /**
   * Whether the alias's database has collection {@code name}. A read, retried on {@code UNAVAILABLE} and rate
   * limiting.
   */
  public Mono<Boolean> hasCollection(String name) {
    return stub.call(MilvusServiceGrpc.getHasCollectionMethod(), HasCollectionRequest.newBuilder().setCollectionName(name).build())
        .map(r -> r.getValue());
  }

  /**
   * The server's description of collection {@code name} (schema, shards, aliases, properties); an unknown
   * collection fails the Mono. A read; the client's schema cache is neither used nor updated.
   */
  public Mono<CollectionDescription> describeCollection(String name) {
    return describe(name).map(r -> new CollectionDescription(r.getCollectionName(), r.getCollectionID(), r.getDbName(),
        Schema.fromProto(r.getSchema()), r.getShardsNum(), r.getAliasesList(), r.getConsistencyLevel().name(),
        toMap(r.getPropertiesList())));
  }

  private Mono<DescribeCollectionResponse> describe(String name) {
    return stub.call(MilvusServiceGrpc.getDescribeCollectionMethod(),
        DescribeCollectionRequest.newBuilder().setCollectionName(name).build());
  }

  /** Collection names of the alias's database. */
  public Mono<List<String>> listCollections() {
    return stub.call(MilvusServiceGrpc.getShowCollectionsMethod(), ShowCollectionsRequest.getDefaultInstance())
        .map(r -> List.copyOf(r.getCollectionNamesList()));
  }

  /**
   * Drops collection {@code name} and forgets its cached schema (on subscription); completes empty. A write:
   * retried only with {@code retry_writes}.
   */
  public Mono<Void> dropCollection(String name) {
    return Mono.defer(() -> {
      codecs.remove(name);
      return stub.call(MilvusServiceGrpc.getDropCollectionMethod(), DropCollectionRequest.newBuilder().setCollectionName(name).build());
    }).then();
  }

  /**
   * Renames a collection in the alias's database and forgets the cached schemas of both names (on
   * subscription); completes empty. A write: retried only with {@code retry_writes}.
   */
  public Mono<Void> renameCollection(String oldName, String newName) {
    return Mono.defer(() -> {
      codecs.remove(oldName);
      codecs.remove(newName);
      return stub.call(MilvusServiceGrpc.getRenameCollectionMethod(),
          RenameCollectionRequest.newBuilder().setOldName(oldName).setNewName(newName).build());
    }).then();
  }

  /**
   * Asks the server to load the collection. The server may answer before loading finished; see
   * {@link #getLoadState(String)} ({@code LoadStateLoaded}).
   */
  public Mono<Void> loadCollection(String name) {
    return stub.call(MilvusServiceGrpc.getLoadCollectionMethod(),
        LoadCollectionRequest.newBuilder().setCollectionName(name).build()).then();
  }

  /**
   * Releases collection {@code name} from memory (searches and queries then fail until it is loaded again);
   * completes empty. A write.
   */
  public Mono<Void> releaseCollection(String name) {
    return stub.call(MilvusServiceGrpc.getReleaseCollectionMethod(),
        ReleaseCollectionRequest.newBuilder().setCollectionName(name).build()).then();
  }

  /** {@code LoadStateNotExist}, {@code LoadStateNotLoad}, {@code LoadStateLoading} or {@code LoadStateLoaded}. */
  public Mono<String> getLoadState(String name) {
    return stub.call(MilvusServiceGrpc.getGetLoadStateMethod(), GetLoadStateRequest.newBuilder().setCollectionName(name).build())
        .map(r -> r.getState().name());
  }

  /** Seals the collection's growing segments (makes inserted data persistent). */
  public Mono<Void> flush(String name) {
    return stub.call(MilvusServiceGrpc.getFlushMethod(), FlushRequest.newBuilder().addCollectionNames(name).build()).then();
  }

  /** Forgets the cached schema of {@code collection}; the next write or read describes it again. */
  public void forgetSchema(String collection) {
    codecs.remove(collection);
  }

  // ---- partitions ----

  /**
   * Creates partition {@code partition} in {@code collection}; completes empty. A write: retried only with
   * {@code retry_writes}.
   */
  public Mono<Void> createPartition(String collection, String partition) {
    return stub.call(MilvusServiceGrpc.getCreatePartitionMethod(),
        CreatePartitionRequest.newBuilder().setCollectionName(collection).setPartitionName(partition).build()).then();
  }

  /** The partition names of {@code collection}, {@code _default} included. A read. */
  public Mono<List<String>> listPartitions(String collection) {
    return stub.call(MilvusServiceGrpc.getShowPartitionsMethod(), ShowPartitionsRequest.newBuilder().setCollectionName(collection).build())
        .map(r -> List.copyOf(r.getPartitionNamesList()));
  }

  /**
   * Drops partition {@code partition} of {@code collection} (the server refuses a loaded one); completes
   * empty. A write.
   */
  public Mono<Void> dropPartition(String collection, String partition) {
    return stub.call(MilvusServiceGrpc.getDropPartitionMethod(),
        DropPartitionRequest.newBuilder().setCollectionName(collection).setPartitionName(partition).build()).then();
  }

  // ---- indexes ----

  /**
   * Asks the server to build {@code index}; completes empty when the server accepted it, which may be before
   * the build finished (see {@link #describeIndexes(String)}). A write.
   */
  public Mono<Void> createIndex(String collection, IndexParam index) {
    CreateIndexRequest.Builder b = CreateIndexRequest.newBuilder().setCollectionName(collection)
        .setFieldName(index.fieldName()).setIndexName(index.indexName())
        .addExtraParams(kv("index_type", index.indexType()));
    if (!index.metricType().isEmpty()) {
      b.addExtraParams(kv("metric_type", index.metricType()));
    }
    if (!index.params().isEmpty()) {
      b.addExtraParams(kv("params", Json.write(index.params())));
    }
    return stub.call(MilvusServiceGrpc.getCreateIndexMethod(), b.build()).then();
  }

  /** The collection's indexes (all fields). */
  public Mono<List<IndexDescription>> describeIndexes(String collection) {
    return stub.call(MilvusServiceGrpc.getDescribeIndexMethod(), DescribeIndexRequest.newBuilder().setCollectionName(collection).build())
        .map(r -> {
          List<IndexDescription> out = new ArrayList<>();
          r.getIndexDescriptionsList().forEach(d -> out.add(new IndexDescription(d.getIndexName(), d.getFieldName(),
              toMap(d.getParamsList()), d.getState().name(), d.getIndexedRows(), d.getTotalRows(), d.getPendingIndexRows())));
          return List.copyOf(out);
        });
  }

  /** Drops the index named {@code indexName} (by default an index is named after its field). */
  public Mono<Void> dropIndex(String collection, String indexName) {
    return stub.call(MilvusServiceGrpc.getDropIndexMethod(),
        DropIndexRequest.newBuilder().setCollectionName(collection).setIndexName(indexName).build()).then();
  }

  // ---- collection aliases ----

  /**
   * Creates collection alias {@code alias} (a Milvus alias, not a registry alias) for {@code collection};
   * completes empty. A write.
   */
  public Mono<Void> createAlias(String collection, String alias) {
    return stub.call(MilvusServiceGrpc.getCreateAliasMethod(),
        CreateAliasRequest.newBuilder().setCollectionName(collection).setAlias(alias).build()).then();
  }

  /** Points an existing collection alias at {@code collection}. */
  public Mono<Void> alterAlias(String collection, String alias) {
    return Mono.defer(() -> {
      codecs.remove(alias);
      return stub.call(MilvusServiceGrpc.getAlterAliasMethod(),
          AlterAliasRequest.newBuilder().setCollectionName(collection).setAlias(alias).build());
    }).then();
  }

  /**
   * Drops collection alias {@code alias} and forgets a schema cached under that name (on subscription);
   * completes empty. A write.
   */
  public Mono<Void> dropAlias(String alias) {
    return Mono.defer(() -> {
      codecs.remove(alias);
      return stub.call(MilvusServiceGrpc.getDropAliasMethod(), DropAliasRequest.newBuilder().setAlias(alias).build());
    }).then();
  }

  /** The collection aliases pointing at {@code collection}. */
  public Mono<List<String>> listAliases(String collection) {
    return stub.call(MilvusServiceGrpc.getListAliasesMethod(), ListAliasesRequest.newBuilder().setCollectionName(collection).build())
        .map(r -> List.copyOf(r.getAliasesList()));
  }

  // ---- writes ----

  /** {@link #insert(String, Flux, WriteOptions)} with {@link WriteOptions#DEFAULTS}. */
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
  public Flux<WriteResult> insert(String collection, Flux<Map<String, Object>> rows, WriteOptions options) {
    return write(collection, rows, options, false);
  }

  /** {@link #upsert(String, Flux, WriteOptions)} with {@link WriteOptions#DEFAULTS}. */
  public Flux<WriteResult> upsert(String collection, Flux<Map<String, Object>> rows) {
    return upsert(collection, rows, WriteOptions.DEFAULTS);
  }

  /** As {@link #insert(String, Flux, WriteOptions)}, replacing rows with the same primary key. */
  public Flux<WriteResult> upsert(String collection, Flux<Map<String, Object>> rows, WriteOptions options) {
    return write(collection, rows, options, true);
  }

  private Flux<WriteResult> write(String collection, Flux<Map<String, Object>> rows, WriteOptions options, boolean upsert) {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(options, "options");
    return codec(collection).flatMapMany(codec -> Flux.defer(() -> {
      AtomicLong batches = new AtomicLong();
      return rows.index().bufferUntil(batchCut(options), true)
          .flatMapSequential(batch -> sendBatch(collection, codec, batch, batches.getAndIncrement(), options, upsert),
              options.maxInFlight(), 1);
    }));
  }

  /** Cuts before the row that would exceed the row or byte budget of the batch being filled. */
  private static Predicate<Tuple2<Long, Map<String, Object>>> batchCut(WriteOptions options) {
    long[] state = new long[2]; // rows, bytes of the batch being filled (one subscription)
    return indexed -> {
      long size = RowCodec.estimateBytes(indexed.getT2());
      if (state[0] > 0 && (state[0] + 1 > options.batchRows() || state[1] + size > options.batchBytes())) {
        state[0] = 1;
        state[1] = size;
        return true;
      }
      state[0]++;
      state[1] += size;
      return false;
    };
  }

  private Mono<WriteResult> sendBatch(String collection, RowCodec codec, List<Tuple2<Long, Map<String, Object>>> batch,
      long batchIndex, WriteOptions options, boolean upsert) {
    return Mono.defer(() -> {
      long first = batch.get(0).getT1();
      List<Map<String, Object>> rows = new ArrayList<>(batch.size());
      batch.forEach(t -> rows.add(t.getT2()));
      List<FieldData> columns = codec.encode(rows, first, upsert);
      Mono<MutationResult> call = upsert
          ? stub.call(MilvusServiceGrpc.getUpsertMethod(), UpsertRequest.newBuilder().setCollectionName(collection)
              .setPartitionName(options.partition()).addAllFieldsData(columns).setNumRows(rows.size()).build())
          : stub.call(MilvusServiceGrpc.getInsertMethod(), InsertRequest.newBuilder().setCollectionName(collection)
              .setPartitionName(options.partition()).addAllFieldsData(columns).setNumRows(rows.size()).build());
      return call.map(r -> new WriteResult(batchIndex, first, rows.size(), ids(r.getIDs()), r.getInsertCnt(), r.getUpsertCnt(),
          r.getDeleteCnt(), r.getTimestamp()));
    });
  }

  /** Deletes rows by primary key; the Mono holds the count the server reports. */
  public Mono<Long> delete(String collection, Collection<?> ids) {
    List<Object> idList = List.copyOf(ids);
    return codec(collection).flatMap(codec -> deleteWhere(collection, idFilter(codec, idList)));
  }

  /** Deletes the rows matching {@code filter}; the Mono holds the count the server reports. */
  public Mono<Long> deleteWhere(String collection, String filter) {
    Objects.requireNonNull(filter, "filter");
    if (filter.isBlank()) {
      return Mono.error(new IllegalArgumentException("a delete needs a filter; use dropCollection to delete everything"));
    }
    return stub.call(MilvusServiceGrpc.getDeleteMethod(), DeleteRequest.newBuilder().setCollectionName(collection).setExpr(filter).build())
        .map(MutationResult::getDeleteCnt);
  }

  // ---- reads ----

  /** The hits of each query vector, best first, in the order of {@link Search.Builder#vector}. */
  public Mono<List<List<Hit>>> search(Search search) {
    Objects.requireNonNull(search, "search");
    return codec(search.collection).flatMap(codec -> stub.call(MilvusServiceGrpc.getSearchMethod(), searchRequest(codec, search))
        .map(r -> hits(codec, r)));
  }

  /**
   * A hybrid search: each {@link Search} (same collection, usually different vector fields) is
   * run, and the lists are merged by the ranker: {@code rrf} with parameter {@code k}, or
   * {@code weighted} with one weight per request ({@link #hybridSearchWeighted}). Output fields,
   * limit and filter of the merged result come from {@code limit} and {@code outputFields}.
   */
  public Mono<List<List<Hit>>> hybridSearchRrf(List<Search> searches, int k, int limit, String... outputFields) {
    return hybrid(searches, Map.of("strategy", "rrf", "params", Map.of("k", k)), limit, outputFields);
  }

  /** A hybrid search ranked by a weighted sum of the normalised scores, one weight per search. */
  public Mono<List<List<Hit>>> hybridSearchWeighted(List<Search> searches, List<Double> weights, int limit, String... outputFields) {
    if (weights.size() != searches.size()) {
      return Mono.error(new IllegalArgumentException(searches.size() + " searches need as many weights, got " + weights.size()));
    }
    return hybrid(searches, Map.of("strategy", "weighted", "params", Map.of("weights", weights)), limit, outputFields);
  }

  private Mono<List<List<Hit>>> hybrid(List<Search> searches, Map<String, Object> ranker, int limit, String... outputFields) {
    if (searches.isEmpty()) {
      return Mono.error(new IllegalArgumentException("a hybrid search needs at least one search"));
    }
    String collection = searches.get(0).collection;
    return codec(collection).flatMap(codec -> {
      HybridSearchRequest.Builder b = HybridSearchRequest.newBuilder().setCollectionName(collection)
          .addAllOutputFields(List.of(outputFields)).setUseDefaultConsistency(true);
      for (Search s : searches) {
        b.addRequests(searchRequest(codec, s));
      }
      b.addRankParams(kv("strategy", String.valueOf(ranker.get("strategy"))))
          .addRankParams(kv("params", Json.write(ranker.get("params"))))
          .addRankParams(kv("limit", Integer.toString(limit)))
          .addRankParams(kv("round_decimal", "-1"));
      return stub.call(MilvusServiceGrpc.getHybridSearchMethod(), b.build()).map(r -> hits(codec, r));
    });
  }

  /** The matching rows (all of them up to the limit) with the requested fields. */
  public Mono<List<Map<String, Object>>> query(Query query) {
    Objects.requireNonNull(query, "query");
    return stub.call(MilvusServiceGrpc.getQueryMethod(), queryRequest(query, query.filter, query.limit, query.offset, false))
        .map(MilvusClient::rows);
  }

  /** The rows with these primary keys (those that exist), with {@code outputFields} ({@code "*"}: all). */
  public Mono<List<Map<String, Object>>> get(String collection, Collection<?> ids, String... outputFields) {
    List<Object> idList = List.copyOf(ids);
    return codec(collection).flatMap(codec -> query(Query.builder(collection).filter(idFilter(codec, idList))
        .outputFields(outputFields).build()));
  }

  /**
   * All rows matching the query, fetched in pages of {@code pageSize} ordered by primary key,
   * a page only when downstream asks for a row the previous pages did not hold, one page at a
   * time; cancelling stops paging and cancels the page in flight. The query's limit (if any)
   * bounds the total; its offset is not supported here.
   */
  public Flux<Map<String, Object>> queryIterator(Query query, int pageSize) {
    Objects.requireNonNull(query, "query");
    if (pageSize <= 0 || pageSize > 16_384) {
      return Flux.error(new IllegalArgumentException("pageSize must be 1 to 16384, was " + pageSize));
    }
    if (query.offset != 0) {
      return Flux.error(new IllegalArgumentException("queryIterator does not support an offset"));
    }
    Flux<Map<String, Object>> rows = codec(query.collection).flatMapMany(codec -> {
      FieldSchema pk = codec.requirePrimary();
      return Paging.<Object, Map<String, Object>>flux(NO_CURSOR, last -> {
        String filter = and(query.filter, last == NO_CURSOR ? "" : pk.getName() + " > " + literal(pk, last));
        return stub.call(MilvusServiceGrpc.getQueryMethod(), queryRequest(query, filter, pageSize, 0, true)).map(r -> {
          List<Map<String, Object>> page = new ArrayList<>(rows(r));
          page.sort(Comparator.comparing(row -> (Comparable<Object>) comparable(row.get(pk.getName()))));
          Object next = page.size() < pageSize ? null : page.get(page.size() - 1).get(pk.getName());
          return new Paging.Page<>(page, next);
        });
      });
    });
    return query.limit > 0 ? rows.take(query.limit, true) : rows;
  }

  /**
   * The hits of one query vector in pages of {@code pageSize}, best first, up to {@code limit}
   * of the search: each next page is a range search starting at the last page's worst score
   * (excluding the keys already returned at that score), fetched only when downstream asks for
   * more; cancelling stops paging. The metric must be given ({@link Search.Builder#metricType}).
   */
  public Flux<Hit> searchIterator(Search search, int pageSize) {
    Objects.requireNonNull(search, "search");
    if (search.vectors.size() != 1) {
      return Flux.error(new IllegalArgumentException("searchIterator takes one query vector, got " + search.vectors.size()));
    }
    if (search.metricType.isEmpty()) {
      return Flux.error(new IllegalArgumentException("searchIterator needs the metric type (L2, IP or COSINE)"));
    }
    if (pageSize <= 0 || pageSize > 16_384) {
      return Flux.error(new IllegalArgumentException("pageSize must be 1 to 16384, was " + pageSize));
    }
    if (search.offset != 0) {
      return Flux.error(new IllegalArgumentException("searchIterator does not support an offset"));
    }
    boolean smallerIsBetter = search.metricType.equalsIgnoreCase("L2") || search.metricType.equalsIgnoreCase("HAMMING")
        || search.metricType.equalsIgnoreCase("JACCARD");
    return codec(search.collection).flatMapMany(codec -> {
      FieldSchema pk = codec.requirePrimary();
      Flux<Hit> hits = Paging.<SearchCursor, Hit>flux(null, cursor -> {
        Search.Builder page = search.toBuilder().limit(pageSize).offset(0);
        if (cursor != null) {
          page.filter(and(search.filter, pk.getName() + " not in " + listLiteral(pk, cursor.idsAtBound)));
          page.param("range_filter", cursor.bound);
          // the caller's radius still bounds the far side; without one, the pages run to the end
          page.param("radius", search.params.getOrDefault("radius", smallerIsBetter ? Float.MAX_VALUE : -Float.MAX_VALUE));
        }
        return stub.call(MilvusServiceGrpc.getSearchMethod(), searchRequest(codec, page.build())).map(r -> {
          List<Hit> list = hits(codec, r).get(0);
          if (list.size() < pageSize) {
            return new Paging.Page<SearchCursor, Hit>(list, null);
          }
          float bound = list.get(list.size() - 1).score();
          List<Object> ids = new ArrayList<>(cursor != null && cursor.bound == bound ? cursor.idsAtBound : List.of());
          list.stream().filter(h -> h.score() == bound).forEach(h -> ids.add(h.id()));
          return new Paging.Page<>(list, new SearchCursor(bound, ids));
        });
      });
      return hits.take(search.limit, true);
    });
  }

  private record SearchCursor(float bound, List<Object> idsAtBound) {}

  private static final Object NO_CURSOR = new Object();

  // ---- request building ----

  /**
   * The collection's codec, looked up when subscribed (so a chain that recreates the collection first
   * sees the new schema) and described once; a failed description is not kept.
   */
  private Mono<RowCodec> codec(String collection) {
    Objects.requireNonNull(collection, "collection");
    return Mono.defer(() -> codecs.computeIfAbsent(collection, this::describedCodec));
  }

  private Mono<RowCodec> describedCodec(String collection) {
    AtomicReference<Mono<RowCodec>> self = new AtomicReference<>();
    Mono<RowCodec> codec = describe(collection).map(r -> new RowCodec(r.getSchema()))
        .doOnError(e -> codecs.remove(collection, self.get())).cache();
    self.set(codec);
    return codec;
  }

  private static SearchRequest searchRequest(RowCodec codec, Search s) {
    FieldSchema field = vectorField(codec.schema(), s.annsField);
    SearchRequest.Builder b = SearchRequest.newBuilder().setCollectionName(s.collection)
        .addAllPartitionNames(s.partitions).setDsl(s.filter).setDslType(DslType.BoolExprV1)
        .addAllOutputFields(s.outputFields).setNq(s.vectors.size())
        .setPlaceholderGroup(placeholders(field, s.vectors))
        .addSearchParams(kv("anns_field", field.getName()))
        .addSearchParams(kv("topk", Integer.toString(s.limit)))
        .addSearchParams(kv("offset", Integer.toString(s.offset)))
        .addSearchParams(kv("params", Json.write(s.params)))
        .addSearchParams(kv("round_decimal", "-1"));
    if (!s.metricType.isEmpty()) {
      b.addSearchParams(kv("metric_type", s.metricType));
    }
    if (s.consistency == null) {
      b.setUseDefaultConsistency(true);
    } else {
      b.setConsistencyLevel(s.consistency);
    }
    return b.build();
  }

  private static FieldSchema vectorField(CollectionSchema schema, String name) {
    List<FieldSchema> vectors = new ArrayList<>();
    for (FieldSchema f : schema.getFieldsList()) {
      if (f.getDataType().getNumber() >= 100 && f.getDataType().getNumber() < 200) {
        if (f.getName().equals(name)) {
          return f;
        }
        vectors.add(f);
      }
    }
    if (!name.isEmpty()) {
      throw new IllegalArgumentException("collection '" + schema.getName() + "' has no vector field '" + name + "'");
    }
    if (vectors.size() != 1) {
      throw new IllegalArgumentException("collection '" + schema.getName() + "' has " + vectors.size()
          + " vector fields: name one with annsField");
    }
    return vectors.get(0);
  }

  private static ByteString placeholders(FieldSchema field, List<Object> vectors) {
    // the vectors are encoded as one column of the field's type, then split per vector
    FieldSchema column = field.toBuilder().setNullable(false).clearDefaultValue().build();
    RowCodec codec = new RowCodec(CollectionSchema.newBuilder().addFields(column).build());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Object v : vectors) {
      rows.add(Map.of(field.getName(), v));
    }
    FieldData data;
    try {
      data = codec.encode(rows, 0, true).get(0);
    } catch (RowConversionException e) {
      String message = String.valueOf(e.getMessage()); // "row N, field 'f': ...", never null
      throw new IllegalArgumentException("query vector " + e.rowIndex() + " for field '" + field.getName() + "': "
          + message.substring(message.indexOf(": ") + 2), e);
    }
    PlaceholderValue.Builder value = PlaceholderValue.newBuilder().setTag("$0");
    int dim = RowCodec.intParam(field, "dim", 0);
    switch (field.getDataType()) {
      case FloatVector -> {
        value.setType(PlaceholderType.FloatVector);
        List<Float> floats = data.getVectors().getFloatVector().getDataList();
        for (int i = 0; i < vectors.size(); i++) {
          ByteBuffer b = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
          for (int k = 0; k < dim; k++) {
            b.putFloat(floats.get(i * dim + k));
          }
          value.addValues(ByteString.copyFrom(b.array()));
        }
      }
      case BinaryVector -> {
        value.setType(PlaceholderType.BinaryVector);
        split(value, data.getVectors().getBinaryVector(), dim / 8, vectors.size());
      }
      case Float16Vector -> {
        value.setType(PlaceholderType.Float16Vector);
        split(value, data.getVectors().getFloat16Vector(), 2 * dim, vectors.size());
      }
      case BFloat16Vector -> {
        value.setType(PlaceholderType.BFloat16Vector);
        split(value, data.getVectors().getBfloat16Vector(), 2 * dim, vectors.size());
      }
      case SparseFloatVector -> {
        value.setType(PlaceholderType.SparseFloatVector);
        value.addAllValues(data.getVectors().getSparseFloatVector().getContentsList());
      }
      default -> throw new IllegalArgumentException("cannot search field type " + field.getDataType());
    }
    return PlaceholderGroup.newBuilder().addPlaceholders(value).build().toByteString();
  }

  private static void split(PlaceholderValue.Builder value, ByteString all, int size, int count) {
    for (int i = 0; i < count; i++) {
      value.addValues(all.substring(i * size, (i + 1) * size));
    }
  }

  private static QueryRequest queryRequest(Query q, String filter, long limit, long offset, boolean iterator) {
    QueryRequest.Builder b = QueryRequest.newBuilder().setCollectionName(q.collection).setExpr(filter)
        .addAllOutputFields(q.outputFields).addAllPartitionNames(q.partitions);
    if (limit > 0) {
      b.addQueryParams(kv("limit", Long.toString(limit)));
    }
    if (offset > 0) {
      b.addQueryParams(kv("offset", Long.toString(offset)));
    }
    if (iterator) {
      // asks the server for pages in primary key order, as pymilvus's query iterator does
      b.addQueryParams(kv("iterator", "True")).addQueryParams(kv("reduce_stop_for_best", "True"));
    }
    if (q.consistency == null) {
      b.setUseDefaultConsistency(true);
    } else {
      b.setConsistencyLevel(q.consistency);
    }
    return b.build();
  }

  private static List<Map<String, Object>> rows(QueryResults r) {
    int count = 0;
    for (FieldData fd : r.getFieldsDataList()) {
      if (!fd.getIsDynamic()) {
        count = Math.max(count, countOf(fd));
      }
    }
    if (count == 0 && r.getFieldsDataCount() > 0) {
      count = countOf(r.getFieldsData(0));
    }
    return RowCodec.decode(r.getFieldsDataList(), count);
  }

  private static int countOf(FieldData fd) {
    return fd.getValidDataCount() > 0 ? fd.getValidDataCount() : RowCodec.size(fd);
  }

  private static List<List<Hit>> hits(RowCodec codec, SearchResults r) {
    SearchResultData d = r.getResults();
    List<Object> ids = ids(d.getIds());
    int total = ids.size();
    List<Map<String, Object>> fields = RowCodec.decode(d.getFieldsDataList(), total);
    List<List<Hit>> out = new ArrayList<>();
    int at = 0;
    for (int q = 0; q < d.getNumQueries(); q++) {
      int n = q < d.getTopksCount() ? (int) d.getTopks(q) : 0;
      List<Hit> list = new ArrayList<>(n);
      FieldSchema pk = codec.primary();
      for (int i = 0; i < n; i++, at++) {
        Map<String, Object> row = fields.get(at);
        row.remove(pk == null ? "" : pk.getName());
        list.add(new Hit(ids.get(at), d.getScores(at), row));
      }
      out.add(List.copyOf(list));
    }
    return List.copyOf(out);
  }

  private static List<Object> ids(IDs ids) {
    List<Object> out = new ArrayList<>();
    if (ids.hasIntId()) {
      out.addAll(ids.getIntId().getDataList());
    } else if (ids.hasStrId()) {
      out.addAll(ids.getStrId().getDataList());
    }
    return out;
  }

  private static String idFilter(RowCodec codec, List<Object> ids) {
    FieldSchema pk = codec.requirePrimary();
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("no ids given");
    }
    return pk.getName() + " in " + listLiteral(pk, ids);
  }

  private static String listLiteral(FieldSchema pk, List<Object> values) {
    StringBuilder b = new StringBuilder("[");
    for (Object v : values) {
      b.append(b.length() > 1 ? "," : "").append(literal(pk, v));
    }
    return b.append(']').toString();
  }

  /** A primary key as an expression literal; strings quoted and escaped. */
  private static String literal(FieldSchema pk, Object v) {
    if (pk.getDataType() == DataType.Int64) {
      if (!(v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
        throw new IllegalArgumentException("primary key '" + pk.getName() + "' is Int64; got a " + Json.typeName(v));
      }
      return v.toString();
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("primary key '" + pk.getName() + "' is VarChar; got a " + Json.typeName(v));
    }
    return Json.write(s);
  }

  private static Object comparable(@Nullable Object v) {
    return v instanceof Comparable<?> ? v : String.valueOf(v);
  }

  private static String and(String a, String b) {
    if (a.isBlank()) {
      return b;
    }
    if (b.isBlank()) {
      return a;
    }
    return "(" + a + ") and (" + b + ")";
  }

  private static KeyValuePair kv(String key, String value) {
    return KeyValuePair.newBuilder().setKey(key).setValue(value).build();
  }

  private static Map<String, String> toMap(List<KeyValuePair> pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    pairs.forEach(kv -> m.put(kv.getKey(), kv.getValue()));
    return m;
  }
}
