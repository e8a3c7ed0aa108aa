package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.proto.FieldData;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Rows to columns and back, and what a bad row says. */
class RowCodecTest {
  static final Schema ALL_TYPES = allTypes();

  private static Schema allTypes() {
    return Schema.builder()
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
      .field(Field.builder("bv", DataType.BinaryVector).dim(16))
      .field(Field.builder("f16", DataType.Float16Vector).dim(3))
      .field(Field.builder("bf16", DataType.BFloat16Vector).dim(3))
      .field(Field.builder("sp", DataType.SparseFloatVector))
      .build();
  }

  static Map<String, Object> row(long id) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", id);
    r.put("b", id % 2 == 0);
    r.put("i8", (int) (id % 100));
    r.put("i16", (int) (id * 3));
    r.put("i32", (int) (id * 1000));
    r.put("f", id + 0.5f);
    r.put("d", id + 0.25);
    r.put("s", "row-" + id);
    r.put("j", Map.of("k", id, "tags", List.of("a", "b")));
    r.put("arr", List.of(id, id + 1));
    r.put("sarr", List.of("x" + id));
    r.put("fv", new float[] {id, 1, 2, 3});
    r.put("bv", new byte[] {(byte) id, 7});
    r.put("f16", new float[] {0.5f, -2f, id});
    r.put("bf16", new float[] {1.5f, 256f, -id});
    r.put("sp", new TreeMap<>(Map.of(3L, 0.5f, 100L + id, 1.25f)));
    r.put("extra", "dynamic-" + id);
    return r;
  }

  @Test
  void everyTypeSurvivesARoundTrip() {
    RowEncoder codec = new RowEncoder(ALL_TYPES.toProto("c"));
    List<Map<String, Object>> rows = List.of(row(1), row(2), row(3));
    List<FieldData> columns = codec.encode(rows, 0, false);
    List<Map<String, Object>> back = RowDecoder.decode(columns, 3);
    for (int i = 0; i < 3; i++) {
      Map<String, Object> expected = new HashMap<>(rows.get(i));
      // JSON numbers come back as Long; Int8/16/32 as Integer
      expected.put("j", Map.of("k", (long) (i + 1), "tags", List.of("a", "b")));
      assertThat(back.get(i)).usingRecursiveComparison().isEqualTo(expected);
    }
  }

  @Test
  void theDynamicFieldIsOneJsonColumnMarkedDynamic() {
    List<FieldData> columns = new RowEncoder(ALL_TYPES.toProto("c")).encode(List.of(row(1)), 0, false);
    FieldData meta = columns.get(columns.size() - 1);
    assertThat(meta.getIsDynamic()).isTrue();
    assertThat(meta.getFieldName()).isEqualTo("$meta");
    assertThat(meta.getScalars().getJsonData().getData(0).toStringUtf8()).isEqualTo("{\"extra\":\"dynamic-1\"}");
  }

  @Test
  void nullableValuesAreSentAsValidityAndCompactData() {
    Schema schema = Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", 2))
        .field(Field.builder("n", DataType.Int32).nullable(true)).build();
    Map<String, Object> withNull = new HashMap<>(Map.of("id", 2L, "v", new float[] {1, 2}));
    withNull.put("n", null);
    List<FieldData> columns = new RowEncoder(schema.toProto("c"))
        .encode(List.of(Map.of("id", 1L, "v", new float[] {1, 2}, "n", 5), withNull, Map.of("id", 3L, "v", new float[] {0, 0})), 0, false);
    FieldData n = columns.get(2);
    assertThat(n.getValidDataList()).containsExactly(true, false, false);
    assertThat(n.getScalars().getIntData().getDataList()).containsExactly(5);
    assertThat(RowDecoder.decode(List.of(n), 3)).extracting(r -> r.get("n")).containsExactly(5, null, null);
  }

  @Test
  void aWrongTypeNamesRowFieldAndExpectedType() {
    RowEncoder codec = new RowEncoder(ALL_TYPES.toProto("c"));
    Map<String, Object> bad = row(7);
    bad.put("fv", new float[] {1, 2});
    assertThatThrownBy(() -> codec.encode(List.of(row(5), row(6), bad), 100, false))
        .isInstanceOfSatisfying(RowConversionException.class, e -> {
          assertThat(e.rowIndex()).isEqualTo(102);
          assertThat(e.field()).isEqualTo("fv");
          assertThat(e.expected()).contains("4 elements");
          assertThat(e.getMessage()).contains("row 102", "'fv'", "2 elements for dim 4");
        });
  }

  @Test
  void aMissingRequiredFieldAnIntOutOfRangeAndALongStringFail() {
    RowEncoder codec = new RowEncoder(ALL_TYPES.toProto("c"));
    Map<String, Object> missing = row(1);
    missing.remove("d");
    assertThatThrownBy(() -> codec.encode(List.of(missing), 0, false)).hasMessageContaining("field 'd': missing");
    Map<String, Object> range = row(1);
    range.put("i8", 300);
    assertThatThrownBy(() -> codec.encode(List.of(range), 0, false)).hasMessageContaining("'i8'").hasMessageContaining("out of range");
    Map<String, Object> text = row(1);
    text.put("s", "x".repeat(65));
    assertThatThrownBy(() -> codec.encode(List.of(text), 0, false)).hasMessageContaining("max_length 64");
    Map<String, Object> wrongType = row(1);
    wrongType.put("id", "one");
    assertThatThrownBy(() -> codec.encode(List.of(wrongType), 0, false))
        .hasMessageContaining("field 'id': a java.lang.String; expected Byte, Short, Integer or Long");
  }

  @Test
  void anUnknownKeyWithoutDynamicFieldAndAnAutoIdValueFail() {
    Schema schema = Schema.builder().field(Field.int64("id").primaryKey().autoId(true)).field(Field.floatVector("v", 2)).build();
    RowEncoder codec = new RowEncoder(schema.toProto("c"));
    assertThatThrownBy(() -> codec.encode(List.of(Map.of("v", new float[] {1, 2}, "x", 1)), 0, false))
        .hasMessageContaining("field 'x': unknown field");
    assertThatThrownBy(() -> codec.encode(List.of(Map.of("id", 1L, "v", new float[] {1, 2})), 0, false))
        .hasMessageContaining("auto_id");
    assertThat(codec.encode(List.of(Map.of("v", new float[] {1, 2})), 0, false)).hasSize(1);
    assertThat(codec.encode(List.of(Map.of("id", 1L, "v", new float[] {1, 2})), 0, true)).hasSize(2);
  }

  @Test
  void halfFloatsRoundToNearestEven() {
    assertThat(HalfFloats.fromFloat16(HalfFloats.toFloat16(1.0f))).isEqualTo(1.0f);
    assertThat(HalfFloats.fromFloat16(HalfFloats.toFloat16(65504f))).isEqualTo(65504f);
    assertThat(HalfFloats.fromFloat16(HalfFloats.toFloat16(1e6f))).isInfinite();
    assertThat(HalfFloats.toFloat16(1.0f + 1f / 2048)).isEqualTo(HalfFloats.toFloat16(1.0f)); // tie to even
    assertThat(HalfFloats.fromFloat16(HalfFloats.toFloat16(6e-8f))).isEqualTo(5.9604645e-8f); // subnormal
    assertThat(HalfFloats.fromBFloat16(HalfFloats.toBFloat16(3.140625f))).isEqualTo(3.140625f);
    assertThat(HalfFloats.fromBFloat16(HalfFloats.toBFloat16(1.00390625f))).isEqualTo(1.0f); // tie to even
  }

  @Test
  void jsonReadsWhatItWrites() {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("s", "q\"uote\\\n\u0001");
    value.put("n", 12L);
    value.put("x", 1.5);
    value.put("l", List.of(true, false));
    value.put("z", null);
    assertThat(Json.read(Json.write(value))).isEqualTo(value);
    assertThatThrownBy(() -> Json.read("{\"a\":}")).hasMessageContaining("invalid JSON");
  }
}
