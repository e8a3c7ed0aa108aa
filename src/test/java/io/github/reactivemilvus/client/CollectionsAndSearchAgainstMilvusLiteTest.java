package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.FailureKind;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusLiteExtension;
import io.github.reactivemilvus.testing.MilvusLiteServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The typed client's collection, index, search, query, get and delete operations on Milvus Lite. */
@ExtendWith(MilvusLiteExtension.class)
class CollectionsAndSearchAgainstMilvusLiteTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  private ReactiveConnections registry;
  private MilvusClient client;
  private final List<String> created = new ArrayList<>();

  @BeforeEach
  void setUp(MilvusLiteServer server) {
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("lite", Map.of("uri", server.uri())).block(WAIT);
    client = MilvusClient.of(registry, "lite");
  }

  @AfterEach
  void tearDown() {
    for (String name : created) {
      client.dropCollection(name).onErrorComplete().block(WAIT);
    }
    registry.close();
  }

  static String name(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  private String collection(String prefix) {
    String name = name(prefix);
    created.add(name);
    return name;
  }

  static float[] randomVector(Random random, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = random.nextFloat() * 2 - 1;
    }
    return v;
  }

  @Test
  void quickCreateMakesALoadedCollectionThatIsListedDescribedAndDropped() {
    String name = collection("quick");
    client.createCollection(name, 8, "L2").block(WAIT);
    assertThat(client.hasCollection(name).block(WAIT)).isTrue();
    assertThat(client.listCollections().block(WAIT)).contains(name);
    CollectionDescription d = client.describeCollection(name).block(WAIT);
    assertThat(d.name()).isEqualTo(name);
    assertThat(d.schema().primaryKey().name()).isEqualTo("id");
    assertThat(d.schema().field("vector").typeParams()).containsEntry("dim", "8");
    assertThat(d.schema().dynamicFieldEnabled()).isTrue();
    assertThat(client.getLoadState(name).block(WAIT)).isEqualTo(LoadState.LOADED);
    assertThat(client.describeIndexes(name).block(WAIT)).extracting(IndexDescription::fieldName).containsExactly("vector");
    client.releaseCollection(name).block(WAIT);
    assertThat(client.getLoadState(name).block(WAIT)).isEqualTo(LoadState.NOT_LOAD);
    client.dropCollection(name).block(WAIT);
    assertThat(client.hasCollection(name).block(WAIT)).isFalse();
  }

  @Test
  void aCallMadeBeforeItsCollectionExistsReadsTheSchemaWhenSubscribedAndDoesNotKeepAFailure() {
    String name = collection("later");
    Mono<List<WriteResult>> insert = client.insert(name, Flux.just(Map.<String, Object>of("id", 1L, "vector", new float[] {1, 2, 3, 4})))
        .collectList();
    // assembled before the collection exists: the first subscription fails, a later one succeeds
    StepVerifier.create(insert).expectError().verify(WAIT);
    StepVerifier.create(client.createCollection(name, 4, "L2").then(insert))
        .assertNext(results -> assertThat(results).isNotEmpty())
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void aFlatSearchReturnsExactlyTheBruteForceNeighbours() {
    String name = collection("flat");
    int dim = 16;
    Schema schema = Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", dim))
        .field(Field.varChar("tag", 16)).build();
    client.createCollection(name, schema, List.of(IndexParam.builder("v").indexType("FLAT").metricType("L2").build())).block(WAIT);
    client.loadCollection(name).block(WAIT);
    Random random = new Random(42);
    List<float[]> vectors = IntStream.range(0, 500).mapToObj(i -> randomVector(random, dim)).toList();
    List<WriteResult> results = client.insert(name, Flux.range(0, 500).map(i -> Map.<String, Object>of(
        "id", (long) i, "v", vectors.get(i), "tag", i % 2 == 0 ? "even" : "odd")), WriteOptions.DEFAULTS.withBatchRows(128))
        .collectList().block(WAIT);
    assertThat(results).hasSize(4);
    assertThat(results.stream().mapToLong(WriteResult::insertCount).sum()).isEqualTo(500);
    float[] q1 = randomVector(random, dim);
    float[] q2 = randomVector(random, dim);
    List<List<Hit>> hits = client.search(Search.builder(name).vector(q1).vector(q2).limit(10).metricType("L2")
        .outputFields("tag").consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
    assertThat(hits).hasSize(2);
    assertThat(hits.get(0)).extracting(Hit::id).containsExactlyElementsOf(bruteForce(vectors, q1, 10, i -> true));
    assertThat(hits.get(1)).extracting(Hit::id).containsExactlyElementsOf(bruteForce(vectors, q2, 10, i -> true));
    Hit best = hits.get(0).get(0);
    assertThat(best.score()).isCloseTo(l2(vectors.get(((Long) best.id()).intValue()), q1), org.assertj.core.data.Offset.offset(1e-3f));
    assertThat(best.fields()).containsEntry("tag", ((Long) best.id()) % 2 == 0 ? "even" : "odd");

    List<List<Hit>> filtered = client.search(Search.builder(name).vector(q1).limit(5).filter("tag == \"odd\"")
        .consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
    assertThat(filtered.get(0)).extracting(Hit::id).containsExactlyElementsOf(bruteForce(vectors, q1, 5, i -> i % 2 == 1));
  }

  @Test
  void aChosenCodecSchedulerEncodesTheWritesAndDecodesTheResults() {
    String name = collection("codec");
    Schema schema = Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", 4)).build();
    client.createCollection(name, schema, List.of(IndexParam.builder("v").indexType("FLAT").metricType("L2").build())).block(WAIT);
    client.loadCollection(name).block(WAIT);
    Scheduler codec = Schedulers.newSingle("codec-test");
    try {
      MilvusClient onCodec = client.withCodecScheduler(codec);
      Set<String> encodedOn = ConcurrentHashMap.newKeySet();
      // the encoder reads each element of a List<Number> vector with floatValue(): the first records its thread
      Flux<Map<String, Object>> rows = Flux.range(0, 10).map(i -> Map.<String, Object>of("id", (long) i, "v", List.<Number>of(
          new Number() {
            @Override
            public float floatValue() {
              encodedOn.add(Thread.currentThread().getName());
              return i;
            }

            @Override
            public double doubleValue() {
              return floatValue();
            }

            @Override
            public int intValue() {
              return i;
            }

            @Override
            public long longValue() {
              return i;
            }
          }, 0f, 0f, 0f)));
      assertThat(onCodec.insert(name, rows, WriteOptions.DEFAULTS.withBatchRows(4)).count().block(WAIT)).isEqualTo(3);
      assertThat(encodedOn).isNotEmpty().allMatch(t -> t.startsWith("codec-test"));
      String decodedOn = onCodec.search(Search.builder(name).vector(new float[] {2, 0, 0, 0}).limit(3).metricType("L2")
          .outputFields("v").consistency(ConsistencyLevel.STRONG).build()).map(hits -> {
            assertThat(hits.get(0)).hasSize(3).first().extracting(Hit::id).isEqualTo(2L); // 1 and 3 tie
            assertThat((float[]) hits.get(0).get(0).fields().get("v")).containsExactly(2, 0, 0, 0);
            return Thread.currentThread().getName();
          }).block(WAIT);
      assertThat(decodedOn).startsWith("codec-test");
      // the client it was made from still decodes on the thread completing the call
      String plainOn = client.search(Search.builder(name).vector(new float[] {2, 0, 0, 0}).limit(3).metricType("L2")
          .consistency(ConsistencyLevel.STRONG).build()).map(hits -> Thread.currentThread().getName()).block(WAIT);
      assertThat(plainOn).doesNotStartWith("codec-test");
    } finally {
      codec.dispose();
    }
  }

  static List<Object> bruteForce(List<float[]> vectors, float[] q, int k, java.util.function.IntPredicate keep) {
    return IntStream.range(0, vectors.size()).filter(keep).boxed()
        .sorted(Comparator.comparingDouble(i -> l2(vectors.get(i), q)))
        .limit(k).map(i -> (Object) (long) i).collect(Collectors.toList());
  }

  static float l2(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      float d = a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  @Test
  void queryGetAndDeleteSeeTheWrittenRows() {
    String name = collection("rows");
    client.createCollection(name, 4, "COSINE").block(WAIT);
    client.insert(name, Flux.range(0, 50).map(i -> Map.<String, Object>of("id", (long) i, "vector", new float[] {1, i, 2, 3},
        "color", i < 10 ? "red" : "blue"))).blockLast(WAIT);
    assertThat(client.query(Query.builder(name).filter("id < 5").outputFields("color").consistency(ConsistencyLevel.STRONG).build())
        .block(WAIT)).extracting(r -> r.get("id")).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L);
    List<Map<String, Object>> got = client.get(name, List.of(7L, 12L, 999L), "*").block(WAIT);
    assertThat(got).hasSize(2);
    Map<String, Object> seven = got.stream().filter(r -> r.get("id").equals(7L)).findFirst().orElseThrow();
    assertThat(seven).containsEntry("color", "red");
    assertThat((float[]) seven.get("vector")).containsExactly(1, 7, 2, 3);
    assertThat(client.delete(name, List.of(7L, 8L)).block(WAIT)).isEqualTo(2);
    client.deleteWhere(name, "color == \"blue\"").block(WAIT);
    assertThat(client.query(Query.builder(name).filter("id >= 0").consistency(ConsistencyLevel.STRONG).build()).block(WAIT))
        .extracting(r -> r.get("id")).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 9L);
  }

  /** Every type Milvus Lite 3.2.2 accepts, plus a nullable field and one with a default value. */
  static final Schema LITE_TYPES = Schema.builder()
      .enableDynamicField(true)
      .field(Field.int64("id").primaryKey())
      .field(Field.builder("b", DataType.Bool))
      .field(Field.builder("i8", DataType.Int8))
      .field(Field.builder("i16", DataType.Int16))
      .field(Field.builder("i32", DataType.Int32))
      .field(Field.builder("f", DataType.Float))
      .field(Field.builder("d", DataType.Double))
      .field(Field.varChar("s", 64))
      .field(Field.builder("j", DataType.JSON))
      .field(Field.builder("arr", DataType.Array).elementType(DataType.Int64, 8))
      .field(Field.builder("sarr", DataType.Array).elementType(DataType.VarChar, 4).maxLength(16))
      .field(Field.floatVector("fv", 4))
      .field(Field.builder("sp", DataType.SparseFloatVector))
      .field(Field.builder("opt", DataType.Int32).nullable(true))
      .field(Field.builder("dflt", DataType.Double).defaultValue(1.5))
      .build();

  static Map<String, Object> liteRow(long id) {
    Map<String, Object> r = RowCodecTest.row(id);
    r.remove("bv");
    r.remove("f16");
    r.remove("bf16");
    if (id % 2 == 0) {
      r.put("opt", null);
    } else {
      r.put("opt", (int) id);
      r.put("dflt", id * 2.0);
    }
    return r;
  }

  @Test
  void everyTypeIsWrittenAndReadBackEqual() {
    String name = collection("types");
    client.createCollection(name, LITE_TYPES, List.of(
        IndexParam.builder("fv").indexType("FLAT").metricType("L2").build(),
        IndexParam.builder("sp").indexType("SPARSE_INVERTED_INDEX").metricType("IP").build())).block(WAIT);
    client.loadCollection(name).block(WAIT);
    List<Map<String, Object>> rows = List.of(liteRow(1), liteRow(2), liteRow(3));
    client.insert(name, Flux.fromIterable(rows)).blockLast(WAIT);
    List<Map<String, Object>> back = client.query(Query.builder(name).filter("id > 0").outputFields("*")
        .consistency(ConsistencyLevel.STRONG).build()).block(WAIT);
    back.sort(Comparator.comparing(r -> (Long) r.get("id")));
    assertThat(back).hasSize(3);
    for (int i = 0; i < 3; i++) {
      Map<String, Object> expected = new HashMap<>(rows.get(i));
      expected.put("j", Map.of("k", (long) (i + 1), "tags", List.of("a", "b")));
      expected.putIfAbsent("dflt", 1.5);
      assertThat(back.get(i)).usingRecursiveComparison().isEqualTo(expected);
    }
  }

  @Test
  void milvusLiteRejectsBinaryAndHalfPrecisionVectors() {
    for (DataType type : List.of(DataType.BinaryVector, DataType.Float16Vector, DataType.BFloat16Vector)) {
      String name = collection("reject");
      Schema schema = Schema.builder().field(Field.int64("id").primaryKey()).field(Field.builder("v", type).dim(16)).build();
      StepVerifier.create(client.createCollection(name, schema, List.of()))
          .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining(type.name()).hasMessageContaining("does not support"))
          .verify(WAIT);
    }
  }

  @Test
  void serverErrorsCarryCodeReasonAliasAndCollection() {
    String missing = name("missing");
    StepVerifier.create(client.describeCollection(missing))
        .expectErrorSatisfies(e -> {
          MilvusConnectionException m = (MilvusConnectionException) e;
          assertThat(m.kind()).isEqualTo(FailureKind.SERVER_STATUS);
          assertThat(m.serverCode()).isEqualTo(100);
          assertThat(m.getMessage()).contains("alias 'lite'", "collection '" + missing + "'", "does not exist");
        })
        .verify(WAIT);
    String name = collection("errors");
    client.createCollection(name, 4, "L2").block(WAIT);
    StepVerifier.create(client.search(Search.builder(name).vector(new float[] {1, 2, 3}).build()))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("3 elements for dim 4"))
        .verify(WAIT);
    StepVerifier.create(client.insert(name, Flux.just(Map.of("id", 1L))))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RowConversionException.class)
            .hasMessageContaining("row 0, field 'vector': missing"))
        .verify(WAIT);
    // the server's own checks, bypassing the client's conversion: wrong dimension, missing field
    io.github.reactivemilvus.proto.FieldData ids = io.github.reactivemilvus.proto.FieldData.newBuilder().setFieldName("id")
        .setType(io.github.reactivemilvus.proto.DataType.Int64).setScalars(io.github.reactivemilvus.proto.ScalarField.newBuilder()
            .setLongData(io.github.reactivemilvus.proto.LongArray.newBuilder().addData(1))).build();
    io.github.reactivemilvus.proto.FieldData wrongDim = io.github.reactivemilvus.proto.FieldData.newBuilder().setFieldName("vector")
        .setType(io.github.reactivemilvus.proto.DataType.FloatVector)
        .setVectors(io.github.reactivemilvus.proto.VectorField.newBuilder().setDim(3)
            .setFloatVector(io.github.reactivemilvus.proto.FloatArray.newBuilder().addData(1).addData(2).addData(3))).build();
    for (List<io.github.reactivemilvus.proto.FieldData> columns : List.of(List.of(ids, wrongDim), List.of(ids))) {
      StepVerifier.create(registry.stub("lite").call(io.github.reactivemilvus.proto.MilvusServiceGrpc.getInsertMethod(),
              io.github.reactivemilvus.proto.InsertRequest.newBuilder().setCollectionName(name).setNumRows(1)
                  .addAllFieldsData(columns).build()))
          .expectErrorSatisfies(e -> {
            MilvusConnectionException m = (MilvusConnectionException) e;
            assertThat(m.kind()).isEqualTo(FailureKind.SERVER_STATUS);
            assertThat(m.serverCode()).isNotZero();
            assertThat(m.getMessage()).contains("alias 'lite'", "collection '" + name + "'", "vector");
          })
          .verify(WAIT);
    }
  }

  @Test
  void aSearchOnAFieldOfAnotherTypeFailsBeforeSending() {
    String name = collection("notype");
    Schema schema = Schema.builder().field(Field.varChar("pk", 32).primaryKey()).field(Field.floatVector("v", 2))
        .field(Field.builder("n", DataType.Int32)).build();
    client.createCollection(name, schema, List.of(IndexParam.builder("v").indexType("FLAT").metricType("IP").build())).block(WAIT);
    StepVerifier.create(client.search(Search.builder(name).annsField("n").vector(new float[] {1, 2}).build()))
        .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("no vector field 'n'"))
        .verify(WAIT);
  }
}
