package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.reactivemilvus.client.CollectionAdmin;
import io.github.reactivemilvus.client.ConsistencyLevel;
import io.github.reactivemilvus.client.Databases;
import io.github.reactivemilvus.client.Field;
import io.github.reactivemilvus.client.HybridSearch;
import io.github.reactivemilvus.client.IndexParam;
import io.github.reactivemilvus.client.Indexes;
import io.github.reactivemilvus.client.Maintenance;
import io.github.reactivemilvus.client.MetricType;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.Partitions;
import io.github.reactivemilvus.client.Query;
import io.github.reactivemilvus.client.Rbac;
import io.github.reactivemilvus.client.Replication;
import io.github.reactivemilvus.client.ResourceGroups;
import io.github.reactivemilvus.client.Rows;
import io.github.reactivemilvus.client.Schema;
import io.github.reactivemilvus.client.Search;
import io.github.reactivemilvus.client.WaitOptions;
import io.github.reactivemilvus.client.WriteOptions;
import io.github.reactivemilvus.client.WriteSummary;
import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionConfigException;
import io.github.reactivemilvus.config.NamedConfig;
import io.github.reactivemilvus.proto.DumpMessagesRequest;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.HasCollectionRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ReplicateRequest;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Every public {@code Mono}/{@code Flux} of the API is cold: assembling it does nothing, each
 * subscription does the work again (a call per subscription, counted by a gRPC proxy in front of
 * Milvus Lite), and {@code retry(1)} after a failed first subscription makes a fresh attempt. The
 * API's publisher methods are found by reflection, so that a new one without a case here fails
 * {@link #everyPublicPublisherMethodHasACase()}.
 */
@ExtendWith(MilvusLiteExtension.class)
class PublishersAreColdTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String C = "cold_" + Long.toHexString(System.nanoTime());
  /** The name every generic argument of an operation group gets: no such collection, database, user, role... */
  private static final String NONE = "cold_none";
  private static CountingProxy proxy;
  private static MilvusLiteServer lite;
  private static ReactiveConnections registry;
  private static MilvusClient client;
  private static MilvusStub stub;

  @BeforeAll
  static void setUp(MilvusLiteServer server) throws IOException {
    lite = server;
    proxy = new CountingProxy(server.target());
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("cold", Map.of("uri", proxy.uri())).block(WAIT);
    client = MilvusClient.of(registry, "cold");
    stub = registry.stub("cold");
    client.createCollection(C, 4, "L2").block(WAIT);
    client.insert(C, Flux.range(0, 10).map(PublishersAreColdTest::row)).blockLast(WAIT);
    client.flush(C).block(WAIT);
    await().atMost(WAIT).until(() -> client.query(Query.builder(C).filter("id >= 0").build()).block(WAIT).size() == 10);
  }

  @AfterAll
  static void tearDown() {
    if (registry != null) {
      client.dropCollection(C).onErrorResume(e -> Mono.empty()).block(WAIT);
      for (String name : List.of("cold_tmp_" + C, "cold_tmp2_" + C, "cold_tmp3_" + C, "cold_tmp4_" + C, "cold_tmp5_" + C,
          "cold_tmp6_" + C, "cold_tmp7_" + C)) {
        client.dropCollection(name).onErrorResume(e -> Mono.empty()).block(WAIT);
      }
      client.dropDatabase("cold_db").onErrorResume(e -> Mono.empty()).block(WAIT);
      client.dropDatabase(NONE).onErrorResume(e -> Mono.empty()).block(WAIT);
      registry.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private static Map<String, Object> row(int id) {
    return Map.of("id", (long) id, "vector", new float[] {id, id + 1, id + 2, id + 3});
  }

  // ---- the table: every public publisher method, with what one subscription calls on the server

  /** A publisher method made with test arguments, and the RPC each of its subscriptions sends. */
  private record Case(String signature, MethodDescriptor<?, ?> rpc, boolean read, Function<Void, Publisher<?>> make) {}

  private static Case read(String signature, MethodDescriptor<?, ?> rpc, Function<Void, Publisher<?>> make) {
    return new Case(signature, rpc, true, make);
  }

  private static Case write(String signature, MethodDescriptor<?, ?> rpc, Function<Void, Publisher<?>> make) {
    return new Case(signature, rpc, false, make);
  }

  private static Search search() {
    return Search.builder(C).vector(new float[] {1, 2, 3, 4}).limit(3).metricType("L2").build();
  }

  private static List<Case> calls() {
    String tmp = "cold_tmp_" + C;
    String tmp2 = "cold_tmp2_" + C;
    Schema schema = Schema.builder().field(io.github.reactivemilvus.client.Field.int64("id").primaryKey())
        .field(io.github.reactivemilvus.client.Field.floatVector("vector", 4)).build();
    IndexParam index = IndexParam.builder("vector").metricType("L2").build();
    Query query = Query.builder(C).filter("id >= 0 and id < 10").outputFields("id").build();
    return List.of(
        read("MilvusStub#getVersion()", MilvusServiceGrpc.getGetVersionMethod(), v -> stub.getVersion()),
        read("MilvusStub#checkHealth()", MilvusServiceGrpc.getCheckHealthMethod(), v -> stub.checkHealth()),
        read("MilvusStub#listDatabases()", MilvusServiceGrpc.getListDatabasesMethod(), v -> stub.listDatabases()),
        read("MilvusStub#showCollections()", MilvusServiceGrpc.getShowCollectionsMethod(), v -> stub.showCollections()),
        read("MilvusStub#hasCollection(String)", MilvusServiceGrpc.getHasCollectionMethod(), v -> stub.hasCollection(C)),
        write("MilvusStub#createDatabase(String)", MilvusServiceGrpc.getCreateDatabaseMethod(), v -> stub.createDatabase("cold_db")),
        write("MilvusStub#dropDatabase(String)", MilvusServiceGrpc.getDropDatabaseMethod(), v -> stub.dropDatabase("cold_db")),
        read("MilvusStub#call(MethodDescriptor,Object)", MilvusServiceGrpc.getGetVersionMethod(),
            v -> stub.call(MilvusServiceGrpc.getGetVersionMethod(), GetVersionRequest.getDefaultInstance())),
        write("MilvusStub#serverStream(MethodDescriptor,Object)", MilvusServiceGrpc.getDumpMessagesMethod(),
            v -> stub.serverStream(MilvusServiceGrpc.getDumpMessagesMethod(), DumpMessagesRequest.newBuilder().setPchannel(NONE).build())),
        write("MilvusStub#bidiStream(MethodDescriptor,Publisher)", MilvusServiceGrpc.getCreateReplicateStreamMethod(),
            v -> stub.bidiStream(MilvusServiceGrpc.getCreateReplicateStreamMethod(), Flux.<ReplicateRequest>empty())),
        read("MilvusStub#call(MethodDescriptor,Object,RpcKind)", MilvusServiceGrpc.getHasCollectionMethod(),
            v -> stub.call(MilvusServiceGrpc.getHasCollectionMethod(), HasCollectionRequest.newBuilder().setCollectionName(C).build(),
                RpcKind.READ)),

        read("MilvusClient#checkHealth()", MilvusServiceGrpc.getCheckHealthMethod(), v -> client.checkHealth()),
        write("MilvusClient#createDatabase(String)", MilvusServiceGrpc.getCreateDatabaseMethod(), v -> client.createDatabase("cold_db")),
        read("MilvusClient#listDatabases()", MilvusServiceGrpc.getListDatabasesMethod(), v -> client.listDatabases()),
        read("MilvusClient#describeDatabase(String)", MilvusServiceGrpc.getDescribeDatabaseMethod(),
            v -> client.describeDatabase("default")),
        write("MilvusClient#dropDatabase(String)", MilvusServiceGrpc.getDropDatabaseMethod(), v -> client.dropDatabase("cold_db")),
        write("MilvusClient#createCollection(String,int,String)", MilvusServiceGrpc.getCreateCollectionMethod(),
            v -> client.createCollection(tmp, 4, "L2")),
        write("MilvusClient#createCollection(String,int,MetricType)", MilvusServiceGrpc.getCreateCollectionMethod(),
            v -> client.createCollection("cold_tmp3_" + C, 4, MetricType.L2)),
        write("MilvusClient#createCollection(String,Schema,List)", MilvusServiceGrpc.getCreateCollectionMethod(),
            v -> client.createCollection(tmp2, schema, List.of(index))),
        write("MilvusClient#createCollection(String,Schema,List,WaitOptions)", MilvusServiceGrpc.getCreateCollectionMethod(),
            v -> client.createCollection("cold_tmp5_" + C, schema, List.of(index), WaitOptions.NO_WAIT)),
        write("MilvusClient#createCollection(String,Schema,List,ConsistencyLevel)", MilvusServiceGrpc.getCreateCollectionMethod(),
            v -> client.createCollection("cold_tmp6_" + C, schema, List.of(index), ConsistencyLevel.values()[0])),
        write("MilvusClient#createCollection(String,Schema,List,ConsistencyLevel,WaitOptions)",
            MilvusServiceGrpc.getCreateCollectionMethod(),
            v -> client.createCollection("cold_tmp7_" + C, schema, List.of(index), ConsistencyLevel.values()[0], WaitOptions.NO_WAIT)),
        write("MilvusClient#createCollectionIfNotExists(String,Schema,List)", MilvusServiceGrpc.getHasCollectionMethod(),
            v -> client.createCollectionIfNotExists("cold_tmp4_" + C, schema, List.of(index))),
        write("MilvusClient#createCollectionIfNotExists(String,Schema,List,WaitOptions)", MilvusServiceGrpc.getHasCollectionMethod(),
            v -> client.createCollectionIfNotExists("cold_tmp4_" + C, schema, List.of(index), WaitOptions.DEFAULTS)),
        read("MilvusClient#hasCollection(String)", MilvusServiceGrpc.getHasCollectionMethod(), v -> client.hasCollection(C)),
        read("MilvusClient#describeCollection(String)", MilvusServiceGrpc.getDescribeCollectionMethod(), v -> client.describeCollection(C)),
        read("MilvusClient#listCollections()", MilvusServiceGrpc.getShowCollectionsMethod(), v -> client.listCollections()),
        write("MilvusClient#dropCollection(String)", MilvusServiceGrpc.getDropCollectionMethod(), v -> client.dropCollection(tmp)),
        write("MilvusClient#renameCollection(String,String)", MilvusServiceGrpc.getRenameCollectionMethod(),
            v -> client.renameCollection("cold_none_" + C, "cold_other_" + C)),
        write("MilvusClient#loadCollection(String)", MilvusServiceGrpc.getLoadCollectionMethod(), v -> client.loadCollection(C)),
        write("MilvusClient#loadCollection(String,WaitOptions)", MilvusServiceGrpc.getLoadCollectionMethod(),
            v -> client.loadCollection(C, WaitOptions.NO_WAIT)),
        write("MilvusClient#releaseCollection(String)", MilvusServiceGrpc.getReleaseCollectionMethod(),
            v -> client.releaseCollection(tmp2)),
        read("MilvusClient#getLoadState(String)", MilvusServiceGrpc.getGetLoadStateMethod(), v -> client.getLoadState(C)),
        write("MilvusClient#flush(String)", MilvusServiceGrpc.getFlushMethod(), v -> client.flush(C)),
        write("MilvusClient#flush(String,WaitOptions)", MilvusServiceGrpc.getFlushMethod(),
            v -> client.flush(C, WaitOptions.upTo(Duration.ofSeconds(30)))),
        write("MilvusClient#createPartition(String,String)", MilvusServiceGrpc.getCreatePartitionMethod(),
            v -> client.createPartition(C, "p_cold")),
        read("MilvusClient#listPartitions(String)", MilvusServiceGrpc.getShowPartitionsMethod(), v -> client.listPartitions(C)),
        write("MilvusClient#dropPartition(String,String)", MilvusServiceGrpc.getDropPartitionMethod(),
            v -> client.dropPartition(C, "p_none")),
        write("MilvusClient#createIndex(String,IndexParam)", MilvusServiceGrpc.getCreateIndexMethod(), v -> client.createIndex(C, index)),
        write("MilvusClient#createIndex(String,IndexParam,WaitOptions)", MilvusServiceGrpc.getCreateIndexMethod(),
            v -> client.createIndex(C, index, WaitOptions.NO_WAIT)),
        read("MilvusClient#describeIndexes(String)", MilvusServiceGrpc.getDescribeIndexMethod(), v -> client.describeIndexes(C)),
        write("MilvusClient#dropIndex(String,String)", MilvusServiceGrpc.getDropIndexMethod(), v -> client.dropIndex(tmp2, "none")),
        write("MilvusClient#createAlias(String,String)", MilvusServiceGrpc.getCreateAliasMethod(), v -> client.createAlias(C, "a_" + C)),
        write("MilvusClient#alterAlias(String,String)", MilvusServiceGrpc.getAlterAliasMethod(), v -> client.alterAlias(C, "a_" + C)),
        write("MilvusClient#dropAlias(String)", MilvusServiceGrpc.getDropAliasMethod(), v -> client.dropAlias("none_" + C)),
        read("MilvusClient#listAliases(String)", MilvusServiceGrpc.getListAliasesMethod(), v -> client.listAliases(C)),
        write("MilvusClient#insert(String,Flux)", MilvusServiceGrpc.getInsertMethod(),
            v -> client.insert(C, Flux.just(row(100), row(101)))),
        write("MilvusClient#insert(String,Flux,WriteOptions)", MilvusServiceGrpc.getInsertMethod(),
            v -> client.insert(C, Flux.just(row(102), row(103)), WriteOptions.DEFAULTS.withBatchRows(1))),
        write("MilvusClient#upsert(String,Flux)", MilvusServiceGrpc.getUpsertMethod(), v -> client.upsert(C, Flux.just(row(100)))),
        write("MilvusClient#upsert(String,Flux,WriteOptions)", MilvusServiceGrpc.getUpsertMethod(),
            v -> client.upsert(C, Flux.just(row(101)), WriteOptions.DEFAULTS)),
        write("MilvusClient#delete(String,Collection)", MilvusServiceGrpc.getDeleteMethod(), v -> client.delete(C, List.of(-1L))),
        write("MilvusClient#deleteWhere(String,String)", MilvusServiceGrpc.getDeleteMethod(), v -> client.deleteWhere(C, "id < 0")),
        read("MilvusClient#search(Search)", MilvusServiceGrpc.getSearchMethod(), v -> client.search(search())),
        read("MilvusClient#searchHits(Search)", MilvusServiceGrpc.getSearchMethod(), v -> client.searchHits(search())),
        read("MilvusClient#hybridSearch(HybridSearch)", MilvusServiceGrpc.getHybridSearchMethod(),
            v -> client.hybridSearch(HybridSearch.builder(C).search(search()).rrf(60).limit(3).build())),
        read("MilvusClient#hybridSearchRrf(List,int,int,String[])", MilvusServiceGrpc.getHybridSearchMethod(),
            v -> client.hybridSearchRrf(List.of(search()), 60, 3)),
        read("MilvusClient#hybridSearchWeighted(List,List,int,String[])", MilvusServiceGrpc.getHybridSearchMethod(),
            v -> client.hybridSearchWeighted(List.of(search()), List.of(1.0), 3)),
        read("MilvusClient#query(Query)", MilvusServiceGrpc.getQueryMethod(), v -> client.query(query)),
        read("MilvusClient#get(String,Collection,String[])", MilvusServiceGrpc.getQueryMethod(),
            v -> client.get(C, List.of(1L, 2L), "id")),
        read("MilvusClient#query(Query,Function)", MilvusServiceGrpc.getQueryMethod(), v -> client.query(query, Rows.as(Object.class))),
        read("MilvusClient#get(String,Collection,Function,String[])", MilvusServiceGrpc.getQueryMethod(),
            v -> client.get(C, List.of(1L, 2L), row -> row.get("id"), "id")),
        read("MilvusClient#queryIterator(Query,int)", MilvusServiceGrpc.getQueryMethod(), v -> client.queryIterator(query, 4)),
        read("MilvusClient#queryIterator(Query,int,Function)", MilvusServiceGrpc.getQueryMethod(),
            v -> client.queryIterator(query, 4, row -> row.get("id"))),
        read("MilvusClient#searchIterator(Search,int)", MilvusServiceGrpc.getSearchMethod(), v -> client.searchIterator(search(), 2)));
  }

  /** Publisher methods of the registry, each with a test of its own below. */
  private static final Map<String, String> REGISTRY_METHODS = Map.of(
      "ReactiveConnections#addConnections(Flux)", "addConnectionsReadsItsSourceAgainOnEverySubscription",
      "ReactiveConnections#addConnection(String,ConnectionConfig)", "addConnectionRegistersAgainOnEverySubscription",
      "ReactiveConnections#addConnection(String,Map)", "addConnectionRegistersAgainOnEverySubscription",
      "ReactiveConnections#channel(String)", "channelAndConnectConnectAgainOnASubscriptionAfterADisconnect",
      "ReactiveConnections#connect(String)", "channelAndConnectConnectAgainOnASubscriptionAfterADisconnect",
      "ReactiveConnections#disconnect(String)", "disconnectAndRemoveConnectionActOnTheAliasAsItIsWhenSubscribed",
      "ReactiveConnections#removeConnection(String)", "disconnectAndRemoveConnectionActOnTheAliasAsItIsWhenSubscribed",
      "ReactiveConnections#events()", "everySubscriptionOfEventsIsItsOwn",
      "ReactiveConnections#closeGracefully()", "closeGracefullyClosesOnSubscriptionOnlyAndAnswersEverySubscription");

  /** Publisher methods that report a failure as a value (so retry(1) has nothing to retry), each with a test of its own. */
  private static final Map<String, String> SUMMARY_METHODS = Map.of(
      "MilvusClient#insertAll(String,Flux,WriteOptions)", "insertAllAndUpsertAllWriteAgainOnEverySubscription",
      "MilvusClient#upsertAll(String,Flux,WriteOptions)", "insertAllAndUpsertAllWriteAgainOnEverySubscription");

  @Test
  void everyPublicPublisherMethodHasACase() {
    Set<String> found = new TreeSet<>();
    for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.github.reactivemilvus")) {
      String pkg = type.getPackageName();
      // generated protocol classes (their Reactor stubs are reactor-grpc's) and internals are not API
      if (!type.getModifiers().contains(JavaModifier.PUBLIC) || pkg.contains(".proto") || pkg.contains(".internal")) {
        continue;
      }
      for (Method m : type.reflect().getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && Publisher.class.isAssignableFrom(m.getReturnType())) {
          found.add(signature(m));
        }
      }
    }
    Set<String> covered = new TreeSet<>(REGISTRY_METHODS.keySet());
    covered.addAll(SUMMARY_METHODS.keySet());
    calls().forEach(c -> covered.add(c.signature()));
    groupMethods().forEach(m -> covered.add(signature(m)));
    assertThat(found).as("public methods returning a Publisher").isNotEmpty();
    assertThat(covered).as("cases for exactly the public publisher methods").containsExactlyElementsOf(found);
  }

  private static String signature(Method m) {
    return m.getDeclaringClass().getSimpleName() + "#" + m.getName()
        + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")"));
  }

  /** Waits for the outcome of one subscription: the values (or the one value) and the failure, if any. */
  private static Outcome outcome(Publisher<?> publisher) {
    List<Object> values = new CopyOnWriteArrayList<>();
    Throwable[] failure = new Throwable[1];
    Flux.from(publisher).doOnNext(values::add).then().onErrorResume(e -> {
      failure[0] = e;
      return Mono.empty();
    }).block(WAIT);
    return new Outcome(List.copyOf(values), failure[0]);
  }

  private record Outcome(List<Object> values, Throwable failure) {
    boolean succeeded() {
      return failure == null;
    }
  }

  @TestFactory
  Stream<DynamicTest> eachSubscriptionOfACallIsACallOfItsOwn() {
    return calls().stream().map(c -> DynamicTest.dynamicTest(c.signature(), () -> {
      String rpc = c.rpc().getFullMethodName();
      int before = proxy.calls(rpc);
      Publisher<?> publisher = c.make().apply(null);
      int assembled = proxy.calls(rpc);
      Outcome first = outcome(publisher);
      int afterFirst = proxy.calls(rpc);
      Outcome second = outcome(publisher);
      int afterSecond = proxy.calls(rpc);
      System.out.printf("%s: %d call(s) to %s per subscription, %s then %s%n", c.signature(), afterFirst - assembled,
          c.rpc().getBareMethodName(), first.succeeded() ? "ok" : "failed", second.succeeded() ? "ok" : "failed");
      assertThat(assembled).as("calls when assembled").isEqualTo(before);
      assertThat(afterFirst - assembled).as("calls of the first subscription").isPositive();
      assertThat(afterSecond - afterFirst).as("calls of the second subscription").isEqualTo(afterFirst - assembled);
      if (c.read()) {
        assertThat(first.succeeded()).as("a read of the fixture succeeds: %s", first.failure()).isTrue();
        assertThat(second.values()).as("a read subscribed again reads again, from the start")
            .usingRecursiveComparison().isEqualTo(first.values());
      }

      // a first subscription that fails, then retry(1): a fresh attempt, whose call reaches the server
      proxy.failNext(rpc, 1);
      Outcome retried = outcome(Flux.from(c.make().apply(null)).retry(1));
      int afterRetry = proxy.calls(rpc);
      // the failed attempt made one call or, where it sends calls concurrently (a write stream's batches), up to all of them
      int perSubscription = afterFirst - assembled;
      assertThat(afterRetry - afterSecond).as("calls under retry(1) after a failed attempt")
          .isBetween(perSubscription + 1, 2 * perSubscription);
      assertThat(retried.failure()).as("the injected failure is not what retry(1) ends with")
          .satisfiesAnyOf(f -> assertThat(f).isNull(), f -> assertThat(f.getMessage()).doesNotContain(CountingProxy.INJECTED));
      if (c.read()) {
        assertThat(retried.values()).usingRecursiveComparison().isEqualTo(first.values());
      }
    }));
  }

  @Test
  void insertAllAndUpsertAllWriteAgainOnEverySubscription() {
    String insert = MilvusServiceGrpc.getInsertMethod().getFullMethodName();
    String upsert = MilvusServiceGrpc.getUpsertMethod().getFullMethodName();
    WriteOptions twoBatches = WriteOptions.DEFAULTS.withBatchRows(1);
    for (boolean isUpsert : new boolean[] {false, true}) {
      String rpc = isUpsert ? upsert : insert;
      Function<Void, Mono<WriteSummary>> make = v -> isUpsert ? client.upsertAll(C, Flux.just(row(110), row(111)), twoBatches)
          : client.insertAll(C, Flux.just(row(112), row(113)), twoBatches);
      int before = proxy.calls(rpc);
      Mono<WriteSummary> all = make.apply(null);
      assertThat(proxy.calls(rpc)).as("calls when assembled").isEqualTo(before);
      WriteSummary first = all.block(WAIT);
      assertThat(first.failure()).isNull();
      assertThat(first.rows()).isEqualTo(2);
      assertThat(proxy.calls(rpc)).as("calls of the first subscription").isEqualTo(before + 2);
      WriteSummary second = all.block(WAIT);
      assertThat(second).usingRecursiveComparison().isEqualTo(first);
      assertThat(proxy.calls(rpc)).as("calls of the second subscription").isEqualTo(before + 4);

      // a batch failure is reported in the summary, not as an error; turned into one, retry(1) writes everything again
      proxy.failNext(rpc, 1);
      WriteSummary failed = make.apply(null).block(WAIT);
      assertThat(failed.failure()).as("the injected failure, as a value").isNotNull().hasMessageContaining(CountingProxy.INJECTED);
      assertThat(failed.rows()).isLessThan(2);
      int afterFailed = proxy.calls(rpc);
      assertThat(afterFailed).isBetween(before + 5, before + 6);
      proxy.failNext(rpc, 1);
      WriteSummary retried = make.apply(null)
          .flatMap(summary -> summary.failure() == null ? Mono.just(summary) : Mono.<WriteSummary>error(summary.failure()))
          .retry(1).block(WAIT);
      assertThat(retried.failure()).isNull();
      assertThat(retried.rows()).as("the fresh attempt wrote every row").isEqualTo(2);
      assertThat(proxy.calls(rpc) - afterFailed).as("calls under retry(1) after a failed attempt").isBetween(3, 4);
    }
  }

  // ---- the operation groups (client.databases(), client.rbac()...): every public publisher method, driven generically

  /** The operation groups of a client, each as the client hands it out. */
  private static final Map<Class<?>, Function<MilvusClient, Object>> GROUPS = Map.of(
      Databases.class, MilvusClient::databases,
      CollectionAdmin.class, MilvusClient::collectionAdmin,
      Indexes.class, MilvusClient::indexes,
      Partitions.class, MilvusClient::partitions,
      Rbac.class, MilvusClient::rbac,
      ResourceGroups.class, MilvusClient::resourceGroups,
      Maintenance.class, MilvusClient::maintenance,
      Replication.class, MilvusClient::replication);

  private static List<Method> groupMethods() {
    return GROUPS.keySet().stream().flatMap(type -> Arrays.stream(type.getDeclaredMethods()))
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && Publisher.class.isAssignableFrom(m.getReturnType()))
        .sorted(Comparator.comparing(PublishersAreColdTest::signature)).toList();
  }

  /** An argument of the given type made generically: names that exist nowhere, one-element collections, records made of those. */
  private static Object argument(Type type) {
    Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    Type[] typeArgs = type instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
    if (raw == String.class) {
      return NONE;
    } else if (raw == int.class || raw == Integer.class) {
      return 1;
    } else if (raw == long.class || raw == Long.class) {
      return 1L;
    } else if (raw == double.class || raw == Double.class) {
      return 1.0;
    } else if (raw == boolean.class || raw == Boolean.class) {
      return false;
    } else if (raw == Duration.class) {
      return Duration.ofSeconds(1);
    } else if (raw == Field.class) {
      return Field.int64(NONE).nullable(true).build();
    } else if (raw == Replication.MessageId.class) {
      // the WAL kind must be one the protocol names: a made-up one is refused when the request is built
      return new Replication.MessageId(NONE, "RocksMQ");
    } else if (raw.isEnum()) {
      return raw.getEnumConstants()[0];
    } else if (raw.isArray()) {
      return java.lang.reflect.Array.newInstance(raw.getComponentType(), 0);
    } else if (raw == Set.class) {
      return typeArgs.length == 1 && argument(typeArgs[0]) instanceof Enum<?> e ? Set.of(e) : Set.of();
    } else if (Collection.class.isAssignableFrom(raw)) {
      return typeArgs.length == 1 ? List.of(argument(typeArgs[0])) : List.of(NONE);
    } else if (raw == Map.class) {
      return typeArgs.length == 2 ? Map.of(argument(typeArgs[0]), argument(typeArgs[1])) : Map.of();
    } else if (raw.isRecord()) {
      RecordComponent[] components = raw.getRecordComponents();
      try {
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new);
        Constructor<?> canonical = raw.getDeclaredConstructor(types);
        return canonical.newInstance(Arrays.stream(components).map(c -> argument(c.getGenericType())).toArray());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("no generic " + raw.getSimpleName() + ": add a case for it in argument(Type)", e);
      }
    }
    throw new IllegalStateException("no generic " + raw.getSimpleName() + ": add a case for it in argument(Type)");
  }

  /**
   * Each public publisher method of an operation group, with generic arguments: assembling sends nothing, the first
   * subscription sends its call(s), the second as many again. Milvus Lite answers many of these RPCs UNIMPLEMENTED or
   * with an error status (no such database, user, role...): a failure is fine, the call reached the server.
   */
  @TestFactory
  Stream<DynamicTest> eachSubscriptionOfAnOperationGroupMethodIsACallOfItsOwn() {
    return groupMethods().stream().map(m -> DynamicTest.dynamicTest(signature(m), () -> {
      Object group = GROUPS.get(m.getDeclaringClass()).apply(client);
      Object[] args = Arrays.stream(m.getGenericParameterTypes()).map(PublishersAreColdTest::argument).toArray();
      int before = proxy.total();
      Publisher<?> publisher;
      try {
        publisher = (Publisher<?>) m.invoke(group, args);
      } catch (InvocationTargetException e) {
        throw new AssertionError(signature(m) + " threw at assembly instead of failing the publisher", e.getCause());
      }
      int assembled = proxy.total();
      Outcome first = outcome(publisher);
      int afterFirst = proxy.total();
      Outcome second = outcome(publisher);
      int afterSecond = proxy.total();
      System.out.printf("%s: %d call(s) per subscription, %s then %s%n", signature(m), afterFirst - assembled,
          first.succeeded() ? "ok" : "failed (" + first.failure() + ")", second.succeeded() ? "ok" : "failed");
      assertThat(assembled).as("calls when assembled").isEqualTo(before);
      assertThat(afterFirst - assembled).as("calls of the first subscription (%s)", first.failure()).isPositive();
      assertThat(afterSecond - afterFirst).as("calls of the second subscription").isEqualTo(afterFirst - assembled);
    }));
  }

  // ---- the registry's publishers

  @Test
  void addConnectionsReadsItsSourceAgainOnEverySubscription() {
    AtomicInteger subscriptions = new AtomicInteger();
    // the first subscription of the source yields a bad config, the later ones a good one
    Flux<NamedConfig> source = Flux.defer(() -> Flux.just(subscriptions.incrementAndGet() == 1
        ? NamedConfig.of("fresh", Map.of("uri", "ftp://nope"))
        : NamedConfig.of("fresh", Map.of("uri", lite.uri()))));
    Mono<Void> add = registry.addConnections(source);
    assertThat(subscriptions).as("nothing read at assembly").hasValue(0);
    Outcome first = outcome(add);
    assertThat(first.failure()).isInstanceOf(ConnectionConfigException.class).hasMessageContaining("ftp");
    assertThat(registry.getConnectionAddr("fresh")).isEmpty();
    Outcome second = outcome(add);
    assertThat(second.failure()).as("the second subscription does not replay the first one's problems").isNull();
    assertThat(registry.getConnectionAddr("fresh")).isPresent();
    registry.removeConnection("fresh").block(WAIT);

    subscriptions.set(0);
    assertThat(outcome(registry.addConnections(source).retry(1)).failure()).isNull();
    assertThat(subscriptions).hasValue(2);
    assertThat(registry.getConnectionAddr("fresh")).isPresent();
    registry.removeConnection("fresh").block(WAIT);
  }

  @Test
  void twoConcurrentSubscriptionsOfAddConnectionsEachHaveTheirOwnBatch() {
    AtomicInteger subscriptions = new AtomicInteger();
    Flux<NamedConfig> source = Flux.defer(() -> {
      int n = subscriptions.incrementAndGet();
      // the second subscription's batch is bad from its first config on: the first's must not be
      return Flux.range(0, 500).map(i -> n == 2 && i == 0 ? NamedConfig.of("bad-" + i, Map.of("uri", "ftp://nope"))
          : NamedConfig.of("s" + n + "-" + i, Map.of("uri", lite.uri())));
    });
    Mono<Void> add = registry.addConnections(source);
    Mono<Outcome> oneSubscription = Mono.fromCallable(() -> outcome(add)).subscribeOn(Schedulers.boundedElastic());
    List<Outcome> outcomes = Flux.merge(oneSubscription, oneSubscription).collectList().block(WAIT);
    assertThat(outcomes).filteredOn(Outcome::succeeded).hasSize(1);
    assertThat(outcomes).filteredOn(o -> !o.succeeded()).singleElement()
        .satisfies(o -> assertThat(((ConnectionConfigException) o.failure()).problems()).hasSize(1));
    List<String> registered = registry.listConnections().stream().map(ConnectionStatus::alias).filter(a -> a.startsWith("s")).toList();
    assertThat(registered).hasSize(500).allMatch(a -> a.startsWith("s1-"));
    Flux.fromIterable(registered).flatMap(registry::removeConnection).blockLast(WAIT);
  }

  @Test
  void addConnectionRegistersAgainOnEverySubscription() {
    List<ConnectionEvent> added = new CopyOnWriteArrayList<>();
    Disposable events = registry.events().filter(e -> e.type() == ConnectionEvent.Type.ADDED).subscribe(added::add);
    try {
      for (Mono<Void> add : List.of(registry.addConnection("again", ConnectionConfig.builder().uri(lite.uri()).build()),
          registry.addConnection("again", Map.of("uri", lite.uri())))) {
        assertThat(registry.getConnectionAddr("again")).as("nothing registered at assembly").isEmpty();
        add.block(WAIT);
        assertThat(registry.getConnectionAddr("again")).isPresent();
        registry.removeConnection("again").block(WAIT);
        add.block(WAIT);
        assertThat(registry.getConnectionAddr("again")).as("registered again by the second subscription").isPresent();
        add.retry(1).block(WAIT);
        registry.removeConnection("again").block(WAIT);
      }
      await().atMost(WAIT).until(() -> added.size() == 4);
    } finally {
      events.dispose();
    }
  }

  @Test
  void channelAndConnectConnectAgainOnASubscriptionAfterADisconnect() {
    registry.addConnection("chan", Map.of("uri", proxy.uri())).block(WAIT);
    String connect = MilvusServiceGrpc.getConnectMethod().getFullMethodName();
    try {
      for (Mono<ManagedChannel> channel : List.of(registry.channel("chan"), registry.connect("chan"))) {
        int before = proxy.calls(connect);
        ManagedChannel first = channel.block(WAIT);
        assertThat(proxy.calls(connect)).isEqualTo(before + 1);
        registry.disconnect("chan").block(WAIT);
        ManagedChannel second = channel.block(WAIT);
        assertThat(second).isNotSameAs(first);
        assertThat(proxy.calls(connect)).isEqualTo(before + 2);
        registry.disconnect("chan").block(WAIT);

        // a connect refused for good, then retry(1): a new connect
        proxy.failNext(connect, 1);
        assertThat(channel.retry(1).block(WAIT)).isNotNull();
        assertThat(proxy.calls(connect)).isEqualTo(before + 4);
        registry.disconnect("chan").block(WAIT);
      }
    } finally {
      registry.removeConnection("chan").block(WAIT);
    }
  }

  @Test
  void disconnectAndRemoveConnectionActOnTheAliasAsItIsWhenSubscribed() {
    registry.addConnection("gone", Map.of("uri", proxy.uri())).block(WAIT);
    Mono<Void> disconnect = registry.disconnect("gone");
    Mono<Void> remove = registry.removeConnection("gone");
    registry.channel("gone").block(WAIT);
    assertThat(registry.hasConnection("gone")).as("nothing disconnected at assembly").isTrue();
    disconnect.block(WAIT);
    assertThat(registry.hasConnection("gone")).isFalse();
    registry.channel("gone").block(WAIT);
    disconnect.block(WAIT);
    assertThat(registry.hasConnection("gone")).as("disconnected again by the second subscription").isFalse();

    assertThat(registry.getConnectionAddr("gone")).as("nothing removed at assembly").isPresent();
    remove.block(WAIT);
    assertThat(registry.getConnectionAddr("gone")).isEmpty();
    registry.addConnection("gone", Map.of("uri", proxy.uri())).block(WAIT);
    remove.retry(1).block(WAIT);
    assertThat(registry.getConnectionAddr("gone")).as("removed again by the second subscription").isEmpty();
  }

  @Test
  void everySubscriptionOfEventsIsItsOwn() {
    Flux<ConnectionEvent> events = registry.events().filter(e -> e.alias().startsWith("ev-"));
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();
    Disposable a = events.subscribe(e -> first.add(e.alias()));
    Disposable b = events.retry(1).subscribe(e -> second.add(e.alias()));
    registry.addConnection("ev-1", Map.of("uri", lite.uri())).block(WAIT);
    await().atMost(WAIT).until(() -> first.size() == 1 && second.size() == 1);
    a.dispose();
    registry.addConnection("ev-2", Map.of("uri", lite.uri())).block(WAIT);
    await().atMost(WAIT).until(() -> second.size() == 2);
    List<String> third = new CopyOnWriteArrayList<>();
    Disposable c = events.subscribe(e -> third.add(e.alias()));
    registry.addConnection("ev-3", Map.of("uri", lite.uri())).block(WAIT);
    await().atMost(WAIT).until(() -> second.size() == 3 && third.size() == 1);
    assertThat(first).containsExactly("ev-1");
    assertThat(second).containsExactly("ev-1", "ev-2", "ev-3");
    assertThat(third).containsExactly("ev-3");
    b.dispose();
    c.dispose();
    Flux.just("ev-1", "ev-2", "ev-3").flatMap(registry::removeConnection).blockLast(WAIT);
  }

  @Test
  void closeGracefullyClosesOnSubscriptionOnlyAndAnswersEverySubscription() {
    ReactiveConnections own = ReactiveConnections.builder().environment(Map.of()).build();
    try {
      own.addConnection("x", Map.of("uri", proxy.uri())).block(WAIT);
      Mono<Void> close = own.closeGracefully();
      own.channel("x").block(WAIT);
      assertThat(own.hasConnection("x")).as("nothing closed at assembly").isTrue();
      close.block(WAIT);
      assertThat(own.hasConnection("x")).isFalse();
      assertThat(outcome(close).failure()).isNull();
      assertThat(outcome(close.retry(1)).failure()).isNull();
    } finally {
      own.close();
    }
  }

  /**
   * A transparent gRPC proxy (grpc-java, 127.0.0.1, free port) that counts calls per method and
   * can fail the next calls of a method with {@code PERMISSION_DENIED} (not retried by the library).
   */
  static final class CountingProxy implements AutoCloseable {
    static final String INJECTED = "failed by the counting proxy";
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
    private final ManagedChannel backend;
    private final Server server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    CountingProxy(String backendTarget) throws IOException {
      backend = ManagedChannelBuilder.forTarget(backendTarget).usePlaintext().build();
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .fallbackHandlerRegistry(new HandlerRegistry() {
            @Override
            public ServerMethodDefinition<?, ?> lookupMethod(String name, String authority) {
              MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                  .setType(MethodDescriptor.MethodType.UNKNOWN).setFullMethodName(name)
                  .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
              return ServerMethodDefinition.create(method, CountingProxy.this::forward);
            }
          })
          .build().start();
    }

    String uri() {
      return "http://127.0.0.1:" + server.getPort();
    }

    int total() {
      return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int calls(String fullMethodName) {
      AtomicInteger n = calls.get(fullMethodName);
      return n == null ? 0 : n.get();
    }

    void failNext(String fullMethodName, int n) {
      failures.computeIfAbsent(fullMethodName, k -> new AtomicInteger()).set(n);
    }

    private ServerCall.Listener<byte[]> forward(ServerCall<byte[], byte[]> serverCall, Metadata headers) {
      String name = serverCall.getMethodDescriptor().getFullMethodName();
      calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      AtomicInteger fail = failures.get(name);
      if (fail != null && fail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        serverCall.close(Status.PERMISSION_DENIED.withDescription(INJECTED), new Metadata());
        return new ServerCall.Listener<>() { };
      }
      ClientCall<byte[], byte[]> clientCall = backend.newCall(serverCall.getMethodDescriptor(), CallOptions.DEFAULT);
      clientCall.start(new ClientCall.Listener<>() {
        @Override
        public void onHeaders(Metadata responseHeaders) {
          serverCall.sendHeaders(responseHeaders);
        }

        @Override
        public void onMessage(byte[] message) {
          serverCall.sendMessage(message);
          clientCall.request(1);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          serverCall.close(status, trailers);
        }
      }, headers);
      clientCall.request(1);
      serverCall.request(1);
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(byte[] message) {
          clientCall.sendMessage(message);
          serverCall.request(1);
        }

        @Override
        public void onHalfClose() {
          clientCall.halfClose();
        }

        @Override
        public void onCancel() {
          clientCall.cancel("the proxy's client cancelled", null);
        }
      };
    }

    @Override
    public void close() {
      server.shutdownNow();
      backend.shutdownNow();
      try {
        server.awaitTermination(10, TimeUnit.SECONDS);
        backend.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
