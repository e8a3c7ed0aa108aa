package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.proto.FunctionType;
import org.junit.jupiter.api.Test;

/** What the schema and field builders accept, and what they refuse with a clear message. */
class SchemaBuilderTest {

  @Test
  void aFullSchemaKeepsEveryFieldProperty() {
    Schema schema = Schema.builder().description("docs").enableDynamicField(true)
        .field(Field.varChar("pk", 64).primaryKey())
        .field(Field.varChar("text", 1000).typeParam("enable_analyzer", "true"))
        .field(Field.builder("sparse", DataType.SparseFloatVector))
        .field(Field.floatVector("dense", 8))
        .field(Field.builder("tags", DataType.Array).elementType(DataType.VarChar, 5).maxLength(10))
        .field(Field.builder("tenant", DataType.Int64).partitionKey())
        .field(Field.builder("score", DataType.Float).nullable(true).defaultValue(0.5f))
        .bm25("text_bm25", "text", "sparse")
        .build();
    assertThat(schema.fields()).extracting(Field::name).containsExactly("pk", "text", "sparse", "dense", "tags", "tenant", "score");
    assertThat(schema.primaryKey().name()).isEqualTo("pk");
    assertThat(schema.field("tags").typeParams()).containsEntry("max_capacity", "5").containsEntry("max_length", "10");
    assertThat(schema.field("tenant").isPartitionKey()).isTrue();
    assertThat(schema.field("score").isNullable()).isTrue();
    assertThat(schema.functionNames()).containsExactly("text_bm25");
    var proto = schema.toProto("c");
    assertThat(proto.getName()).isEqualTo("c");
    assertThat(proto.getFunctions(0).getType()).isEqualTo(FunctionType.BM25);
    assertThat(proto.getFields(2).getIsFunctionOutput()).isTrue();
    assertThat(proto.getFields(6).getDefaultValue().getFloatData()).isEqualTo(0.5f);
  }

  @Test
  void missingParametersAndBadSchemasAreRefused() {
    assertThatThrownBy(() -> Field.builder("v", DataType.FloatVector).build()).hasMessageContaining("needs dim");
    assertThatThrownBy(() -> Field.builder("s", DataType.VarChar).build()).hasMessageContaining("needs maxLength");
    assertThatThrownBy(() -> Field.builder("a", DataType.Array).build()).hasMessageContaining("elementType");
    assertThatThrownBy(() -> Field.builder("d", DataType.Double).primaryKey().build()).hasMessageContaining("Int64 or VarChar");
    assertThatThrownBy(() -> Field.builder("i", DataType.Int32).defaultValue("x").build())
        .hasMessageContaining("must be a Integer");
    assertThatThrownBy(() -> Field.builder("b", DataType.Int8).defaultValue(1000).build())
        .hasMessageContaining("whole number in [-128, 127]");
    assertThatThrownBy(() -> Field.builder("l", DataType.Int64).defaultValue(1.5).build())
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> Field.floatVector("v", 0)).hasMessageContaining("dim must be positive");
    assertThatThrownBy(() -> Schema.builder().field(Field.floatVector("v", 2)).build()).hasMessageContaining("primary key");
    assertThatThrownBy(() -> Schema.builder().field(Field.int64("id").primaryKey()).build()).hasMessageContaining("vector field");
    assertThatThrownBy(() -> Schema.builder().field(Field.int64("id").primaryKey()).field(Field.int64("id")))
        .hasMessageContaining("duplicate field 'id'");
    assertThatThrownBy(() -> Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", 2))
        .bm25("f", "text", "v").build()).hasMessageContaining("unknown field 'text'");
  }

  @Test
  void writeOptionsRefuseNonPositiveBudgets() {
    assertThatThrownBy(() -> WriteOptions.DEFAULTS.withBatchRows(0)).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> WriteOptions.DEFAULTS.withMaxInFlight(-1)).hasMessageContaining("must be positive");
    assertThat(WriteOptions.DEFAULTS.withBatchBytes(1024).batchBytes()).isEqualTo(1024);
  }
}
