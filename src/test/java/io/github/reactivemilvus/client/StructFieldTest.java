package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.proto.CollectionSchema;
import io.github.reactivemilvus.proto.CreateCollectionRequest;
import io.github.reactivemilvus.proto.DescribeCollectionResponse;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.IDs;
import io.github.reactivemilvus.proto.InsertRequest;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.MutationResult;
import io.github.reactivemilvus.proto.QueryRequest;
import io.github.reactivemilvus.proto.QueryResults;
import io.github.reactivemilvus.proto.StructArrayFieldSchema;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.ScriptedRpcs;
import io.github.reactivemilvus.testing.TestVenv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Array-of-struct fields, end to end through the typed client: the schema builder, the CreateCollection
 * request, the rows written and the rows read. No test server has them (Milvus Lite 3.2.2 drops
 * {@code struct_array_fields} from the schema, Lite 2.5.1 and Milvus 2.3.5 predate them), so a fault
 * server takes the requests and answers as Milvus 2.6 does, and pymilvus (the test venv's, run without a
 * server) builds the same requests and decodes the same column: both must agree with this client.
 */
class StructFieldTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ScriptedRpcs SCRIPT = new ScriptedRpcs();
  private static FaultServer server;
  private static ReactiveConnections registry;
  private static MilvusClient client;

  /** The collection pymilvus_struct_requests.py builds too. */
  private static final Schema SCHEMA = Schema.builder()
      .field(Field.int64("id").primaryKey())
      .field(Field.floatVector("v", 2))
      .structField(StructField.builder("chunks", 4)
          .field(Field.varChar("text", 64))
          .field(Field.builder("n", DataType.Int32))
          .field(Field.floatVector("emb", 2)))
      .build();

  @BeforeAll
  static void start() {
    server = FaultServer.builder().interceptor(SCRIPT).start();
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("f", Map.of("uri", server.uri())).block(WAIT);
    client = MilvusClient.of(registry, "f");
  }

  @AfterAll
  static void stop() {
    // a failed start leaves nulls: its own error is the one to see
    if (registry != null) {
      registry.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void reset() {
    SCRIPT.reset();
    client.forgetSchema("c");
  }

  private static List<Map<String, Object>> rows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(row(1, List.of(0.5, 1.0), List.of(chunk("a", 5, List.of(1.0, 2.0)), chunk("b", 6, List.of(3.0, 4.0)))));
    rows.add(row(2, List.of(0.0, 1.0), List.of()));
    rows.add(row(3, List.of(1.0, 0.0), List.of(chunk("c", -7, List.of(5.0, 6.5)))));
    return rows;
  }

  private static Map<String, Object> row(long id, List<Double> v, List<Map<String, Object>> chunks) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("v", v);
    row.put("chunks", chunks);
    return row;
  }

  private static Map<String, Object> chunk(String text, int n, List<Double> emb) {
    Map<String, Object> chunk = new LinkedHashMap<>();
    chunk.put("text", text);
    chunk.put("n", n);
    chunk.put("emb", emb);
    return chunk;
  }

  /** The schema as Milvus 2.6 describes it: sub-fields named {@code struct[sub]}. */
  private static CollectionSchema described() {
    CollectionSchema.Builder schema = SCHEMA.toProto("c").toBuilder();
    for (int s = 0; s < schema.getStructArrayFieldsCount(); s++) {
      StructArrayFieldSchema.Builder struct = schema.getStructArrayFieldsBuilder(s);
      for (int f = 0; f < struct.getFieldsCount(); f++) {
        struct.getFieldsBuilder(f).setName(struct.getName() + "[" + struct.getFields(f).getName() + "]");
      }
    }
    return schema.build();
  }

  private static void scriptDescribeAndInsert() {
    SCRIPT.answer(MilvusServiceGrpc.getDescribeCollectionMethod(), r -> DescribeCollectionResponse.newBuilder()
            .setCollectionName("c").setCollectionID(7).setSchema(described()).build())
        .answer(MilvusServiceGrpc.getInsertMethod(), (InsertRequest r) -> {
          LongArray.Builder ids = LongArray.newBuilder();
          r.getFieldsData(0).getScalars().getLongData().getDataList().forEach(ids::addData);
          return MutationResult.newBuilder().setInsertCnt(r.getNumRows()).setIDs(IDs.newBuilder().setIntId(ids)).build();
        });
  }

  @Test
  void theCreateCollectionRequestDeclaresTheStructFieldAsPymilvusDoes() throws Exception {
    SCRIPT.answer(MilvusServiceGrpc.getCreateCollectionMethod(), r -> io.github.reactivemilvus.proto.Status.getDefaultInstance());
    client.createCollection("c", SCHEMA, List.of()).block(WAIT);
    CreateCollectionRequest sent = SCRIPT.lastRequest(CreateCollectionRequest.class);
    CreateCollectionRequest reference = CreateCollectionRequest.parseFrom(pymilvus(rows(), null).create());
    CollectionSchema ours = CollectionSchema.parseFrom(sent.getSchema());
    CollectionSchema theirs = CollectionSchema.parseFrom(reference.getSchema());
    assertThat(ours.getStructArrayFieldsList()).isEqualTo(theirs.getStructArrayFieldsList());
    assertThat(ours.getFieldsList()).isEqualTo(theirs.getFieldsList());
    assertThat(sent.getConsistencyLevel()).isEqualTo(reference.getConsistencyLevel());
    // what the wire holds, spelled out: one Array or ArrayOfVector per sub-field, each with max_capacity
    StructArrayFieldSchema chunks = ours.getStructArrayFields(0);
    assertThat(chunks.getFieldsList()).extracting(f -> f.getName() + ":" + f.getDataType() + "<" + f.getElementType() + ">")
        .containsExactly("text:Array<VarChar>", "n:Array<Int32>", "emb:ArrayOfVector<FloatVector>");
    assertThat(chunks.getFields(2).getTypeParamsList()).extracting(kv -> kv.getKey() + "=" + kv.getValue())
        .containsExactly("dim=2", "max_capacity=4");
  }

  @Test
  void aDescribedSchemaGivesTheStructFieldBackAsDeclared() {
    Schema back = Schema.fromProto(described());
    assertThat(back.fields()).extracting(Field::name).containsExactly("id", "v");
    StructField chunks = back.structFields().get(0);
    assertThat(chunks.name()).isEqualTo("chunks");
    assertThat(chunks.maxCapacity()).isEqualTo(4);
    assertThat(chunks.fields()).extracting(f -> f.name() + ":" + f.dataType() + ":" + f.typeParams())
        .containsExactly("text:VarChar:{max_length=64}", "n:Int32:{}", "emb:FloatVector:{dim=2}");
    assertThat(chunks.fields()).isEqualTo(SCHEMA.structFields().get(0).fields());
  }

  @Test
  void rowsAreWrittenAsPymilvusWritesThem() throws Exception {
    scriptDescribeAndInsert();
    List<WriteResult> written = client.insert("c", Flux.fromIterable(rows())).collectList().block(WAIT);
    assertThat(written).extracting(WriteResult::rows).containsExactly(3);
    InsertRequest ours = SCRIPT.lastRequest(InsertRequest.class);
    InsertRequest theirs = InsertRequest.parseFrom(pymilvus(rows(), null).insert());
    assertThat(ours.getNumRows()).isEqualTo(theirs.getNumRows());
    assertThat(ours.getFieldsDataList()).extracting(FieldData::getFieldName).containsExactly("id", "v", "chunks");
    assertThat(ours.getFieldsData(2)).isEqualTo(normalised(findColumn(theirs, "chunks")));
  }

  /**
   * pymilvus's column with the two redundancies it leaves out and the Java SDK sends (the element type of
   * each scalar sub-field's arrays, the dim of the ArrayOfVector column besides its vector_array's):
   * the server reads the one it needs, the rest is equal field by field.
   */
  private static FieldData normalised(FieldData pymilvus) {
    FieldData.Builder column = pymilvus.toBuilder();
    for (FieldData.Builder sub : column.getStructArraysBuilder().getFieldsBuilderList()) {
      if (sub.hasVectors()) {
        sub.getVectorsBuilder().setDim(sub.getVectors().getVectorArray().getDim());
      } else {
        StructArrayFieldSchema schema = SCHEMA.toProto("c").getStructArrayFields(0);
        schema.getFieldsList().stream().filter(f -> f.getName().equals(sub.getFieldName())).findFirst()
            .ifPresent(f -> sub.getScalarsBuilder().getArrayDataBuilder().setElementType(f.getElementType()));
      }
    }
    return column.build();
  }

  private static FieldData findColumn(InsertRequest request, String name) {
    return request.getFieldsDataList().stream().filter(f -> f.getFieldName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no column " + name + " in " + request));
  }

  @Test
  void rowsAreReadBackAsListsOfMapsAsPymilvusReadsThem() throws Exception {
    scriptDescribeAndInsert();
    client.insert("c", Flux.fromIterable(rows())).blockLast(WAIT);
    List<FieldData> columns = SCRIPT.lastRequest(InsertRequest.class).getFieldsDataList();
    FieldData served = served(columns.get(2));
    SCRIPT.answer(MilvusServiceGrpc.getQueryMethod(), (QueryRequest r) -> QueryResults.newBuilder().setCollectionName("c")
        .addFieldsData(columns.get(0)).addFieldsData(served).addOutputFields("id").addOutputFields("chunks").build());
    List<Map<String, Object>> read = client.query(Query.builder("c").filter("id > 0").outputFields("id", "chunks").build())
        .block(WAIT);
    assertThat(read).extracting(r -> r.get("id")).containsExactly(1L, 2L, 3L);
    JsonNode theirs = JSON.readTree(pymilvus(rows(), served).decoded());
    for (int i = 0; i < read.size(); i++) {
      assertThat(JSON.readTree(JSON.writeValueAsString(read.get(i).get("chunks")))).as("row %d", i).isEqualTo(theirs.get(i));
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> first = (List<Map<String, Object>>) read.get(0).get("chunks");
    assertThat(first).extracting(m -> m.get("text")).containsExactly("a", "b");
    assertThat((float[]) first.get(1).get("emb")).containsExactly(3f, 4f);
    assertThat(read.get(1).get("chunks")).isEqualTo(List.of());
  }

  /** The column as Milvus 2.6 returns it: sub-field columns named {@code struct[sub]}. */
  private static FieldData served(FieldData written) {
    FieldData.Builder column = written.toBuilder();
    for (FieldData.Builder sub : column.getStructArraysBuilder().getFieldsBuilderList()) {
      sub.setFieldName(written.getFieldName() + "[" + sub.getFieldName() + "]");
    }
    return column.build();
  }

  @Test
  void aMissingOrOversizedStructValueFailsItsRowBeforeAnythingIsSent() {
    scriptDescribeAndInsert();
    List<Map<String, Object>> missing = rows();
    missing.get(1).remove("chunks");
    StepVerifier.create(client.insert("c", Flux.fromIterable(missing)))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RowConversionException.class)
            .hasMessageContaining("row 1").hasMessageContaining("no value for array-of-struct field 'chunks'"))
        .verify(WAIT);
    List<Map<String, Object>> oversized = rows();
    oversized.get(2).put("chunks", List.of(chunk("a", 1, List.of(1.0, 1.0)), chunk("b", 1, List.of(1.0, 1.0)),
        chunk("c", 1, List.of(1.0, 1.0)), chunk("d", 1, List.of(1.0, 1.0)), chunk("e", 1, List.of(1.0, 1.0))));
    StepVerifier.create(client.insert("c", Flux.fromIterable(oversized)))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RowConversionException.class)
            .hasMessageContaining("row 2").hasMessageContaining("5 structs, more than max_capacity 4"))
        .verify(WAIT);
    List<Map<String, Object>> longText = rows();
    longText.get(1).put("chunks", List.of(chunk("x".repeat(65), 1, List.of(1.0, 1.0))));
    StepVerifier.create(client.insert("c", Flux.fromIterable(longText)))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(RowConversionException.class)
            .hasMessageContaining("row 1").hasMessageContaining("sub-field 'text'")
            .hasMessageContaining("65 UTF-8 bytes, more than max_length 64"))
        .verify(WAIT);
    assertThat(SCRIPT.requests()).noneMatch(InsertRequest.class::isInstance);
  }

  @Test
  void badStructFieldsAreRefusedNamingTheStructAndSubField() {
    assertThatThrownBy(() -> StructField.builder("s", 0)).hasMessageContaining("max_capacity of struct field 's' must be positive");
    assertThatThrownBy(() -> StructField.builder(" ", 3)).hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> StructField.builder("s", 3).build()).hasMessageContaining("'s' needs at least one sub-field");
    assertThatThrownBy(() -> StructField.builder("s", 3).field(Field.builder("j", DataType.JSON)))
        .hasMessageContaining("sub-field 'j' of struct field 's' is of type JSON");
    assertThatThrownBy(() -> StructField.builder("s", 3).field(Field.builder("a", DataType.Array).elementType(DataType.Int64, 2)))
        .hasMessageContaining("is of type Array");
    assertThatThrownBy(() -> StructField.builder("s", 3).field(Field.builder("sp", DataType.SparseFloatVector)))
        .hasMessageContaining("is of type SparseFloatVector");
    assertThatThrownBy(() -> StructField.builder("s", 3).field(Field.int64("k").primaryKey()))
        .hasMessageContaining("cannot be a primary, partition or clustering key");
    assertThatThrownBy(() -> StructField.builder("s", 3).field(Field.int64("k").nullable(true)))
        .hasMessageContaining("cannot be nullable");
    assertThatThrownBy(() -> StructField.builder("s", 3).field(Field.int64("k").defaultValue(1L)))
        .hasMessageContaining("nor have a default value");
    assertThatThrownBy(() -> StructField.builder("s", 3).field(Field.int64("k")).field(Field.varChar("k", 3)))
        .hasMessageContaining("duplicate sub-field 'k' of struct field 's'");
    assertThatThrownBy(() -> StructField.builder("s", 3).typeParam("max_capacity", "9")).hasMessageContaining("builder(name, maxCapacity)");
    assertThatThrownBy(() -> StructField.builder("s", 3).field(Field.int64("k").typeParam("max_capacity", "100")))
        .hasMessageContaining("sub-field 'k' of struct field 's' cannot have its own max_capacity");
    assertThatThrownBy(() -> StructField.builder("s", 3).field(Field.int64("k").elementType(DataType.Int64, 100)))
        .hasMessageContaining("cannot have its own max_capacity or element type");
    assertThatThrownBy(() -> StructField.builder("s", 3).field(Field.floatVector("v", 0))).hasMessageContaining("dim must be positive");
    assertThatThrownBy(() -> Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", 2))
        .structField(StructField.builder("v", 2).field(Field.int64("k")))).hasMessageContaining("duplicate field 'v'");
  }

  private record Reference(byte[] create, byte[] insert, String decoded) {}

  /** Runs differential/pymilvus_struct_requests.py under the test venv's Python. */
  private static Reference pymilvus(List<Map<String, Object>> rows, FieldData column) throws IOException, InterruptedException {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("rows", rows);
    spec.put("column", column == null ? null : Base64.getEncoder().encodeToString(column.toByteArray()));
    Path specFile = Files.createTempFile("struct-spec", ".json");
    Path script = Files.createTempFile("pymilvus_struct_requests", ".py");
    Path err = Files.createTempFile("struct-spec", ".err");
    Path out = Files.createTempFile("struct-spec", ".out");
    Process p = null;
    try (var in = StructFieldTest.class.getResourceAsStream("/differential/pymilvus_struct_requests.py")) {
      Files.write(script, in.readAllBytes());
      JSON.writeValue(specFile.toFile(), spec);
      // output to files, so that the wait below bounds a Python that hangs
      p = new ProcessBuilder(TestVenv.executable("python").toString(), script.toString(), specFile.toString())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("pymilvus failed: " + Files.readString(out) + Files.readString(err));
      }
      JsonNode node = JSON.readTree(out.toFile());
      return new Reference(Base64.getDecoder().decode(node.get("create").asText()),
          Base64.getDecoder().decode(node.get("insert").asText()), node.path("decoded").toString());
    } finally {
      if (p != null) {
        p.destroyForcibly();
      }
      Files.deleteIfExists(specFile);
      Files.deleteIfExists(script);
      Files.deleteIfExists(err);
      Files.deleteIfExists(out);
    }
  }
}
