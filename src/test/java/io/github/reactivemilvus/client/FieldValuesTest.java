package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.ScalarField;
import io.github.reactivemilvus.proto.StructArrayFieldSchema;
import io.github.reactivemilvus.proto.VectorField;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The 2.6 field values: what is accepted, what goes on the wire, what comes back. */
class FieldValuesTest {

  @Test
  void timestamptzIsSentAsIsoTextAndReadBackAsAnOffsetDateTime() {
    assertThat(FieldValues.timestamptz(Instant.parse("2025-01-02T00:00:00Z"))).isEqualTo("2025-01-02T00:00:00Z");
    assertThat(FieldValues.timestamptz(OffsetDateTime.parse("2025-01-02T01:00:00+01:00"))).isEqualTo("2025-01-02T01:00:00+01:00");
    assertThat(FieldValues.timestamptz("2025-01-02T00:00:00")).isEqualTo("2025-01-02T00:00:00");
    assertThatThrownBy(() -> FieldValues.timestamptz("yesterday")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("yesterday");
    assertThatThrownBy(() -> FieldValues.timestamptz(5L)).hasMessageContaining("Long");
    assertThat(FieldValues.timestamptzRead("2025-01-02T00:00:00Z")).isEqualTo(OffsetDateTime.parse("2025-01-02T00:00:00Z"));
    assertThat(FieldValues.timestamptzRead("2025-01-02 00:00:00+08:00")).isEqualTo(OffsetDateTime.parse("2025-01-02T00:00:00+08:00"));
    assertThat(FieldValues.timestamptzRead("not a time")).isEqualTo("not a time");
    assertThat(FieldValues.timestamptzRead(1_735_776_000_000_001L))
        .isEqualTo(OffsetDateTime.of(2025, 1, 2, 0, 0, 0, 1_000, ZoneOffset.UTC));
  }

  @Test
  void geometryTakesWktAndGoesAsWktData() {
    assertThat(FieldValues.geometry("POINT (2 2)")).isEqualTo("POINT (2 2)");
    assertThat(FieldValues.geometry("SRID=4326;polygon ((0 0, 1 0, 1 1, 0 0))")).startsWith("SRID");
    assertThat(FieldValues.geometry("GEOMETRYCOLLECTION EMPTY")).isNotEmpty();
    assertThatThrownBy(() -> FieldValues.geometry("{\"type\":\"Point\"}")).hasMessageContaining("not WKT");
    ScalarField column = FieldValues.stringColumn(DataType.Geometry, List.of("POINT (1 1)"));
    assertThat(column.getGeometryWktData().getDataList()).containsExactly("POINT (1 1)");
    assertThat(FieldValues.read(DataType.Geometry, column, 0)).isEqualTo("POINT (1 1)");
    assertThat(FieldValues.stringColumn(DataType.Text, List.of("t")).getStringData().getDataList()).containsExactly("t");
  }

  @Test
  void int8VectorsTakeBytesIntsOrNumbersInRange() {
    assertThat(FieldValues.int8Vector(new byte[] {1, -2, 3}, 3)).containsExactly(1, -2, 3);
    assertThat(FieldValues.int8Vector(new int[] {127, -128, 0}, 3)).containsExactly(127, -128, 0);
    assertThat(FieldValues.int8Vector(List.of(1, 2L, (short) 3), 3)).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> FieldValues.int8Vector(new int[] {128, 0, 0}, 3)).hasMessageContaining("out of range");
    assertThatThrownBy(() -> FieldValues.int8Vector(List.of(1.5, 0, 0), 3))
        .hasMessageContaining("element 0 is a").hasMessageContaining("Double");
    assertThatThrownBy(() -> FieldValues.int8Vector(new byte[2], 3)).hasMessage("2 elements for dim 3");
    VectorField v = VectorField.newBuilder().setDim(2).setInt8Vector(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4}))
        .build();
    assertThat(FieldValues.int8VectorRead(v, 1)).containsExactly(3, 4);
  }

  @Test
  void defaultValuesAreCheckedAgainstTheFieldType() {
    assertThat(FieldValues.defaultValue(DataType.Int64, 7).getLongData()).isEqualTo(7L);
    assertThat(FieldValues.defaultValue(DataType.VarChar, "x").getStringData()).isEqualTo("x");
    assertThat(FieldValues.defaultValue(DataType.Bool, true).getBoolData()).isTrue();
    assertThatThrownBy(() -> FieldValues.defaultValue(DataType.Int8, 300)).hasMessageContaining("out of range");
    assertThatThrownBy(() -> FieldValues.defaultValue(DataType.JSON, "{}")).hasMessageContaining("cannot have a default");
    FieldSchema f = FieldSchema.newBuilder().setDataType(DataType.Int64).setDefaultValue(FieldValues.defaultValue(DataType.Int64, 7))
        .build();
    assertThat(FieldValues.defaultValueRead(f)).isEqualTo(7L);
    assertThat(FieldValues.defaultValueRead(FieldSchema.getDefaultInstance())).isNull();
  }

  @Test
  void aTypeThisClientDoesNotKnowComesBackRawWithItsTypeNamed() {
    FieldData unknown = FieldData.newBuilder().setTypeValue(301).setFieldName("future")
        .setScalars(ScalarField.newBuilder().setLongData(LongArray.newBuilder().addData(5).addData(6))).build();
    assertThat(FieldValues.raw(unknown, 1)).isEqualTo(new RawValue("DataType(301)", 6L));
    assertThat(FieldValues.raw(unknown, 1).toString()).isEqualTo("RawValue[type=DataType(301), value=Long]");
  }

  @Test
  void structArraysRoundTripWithScalarAndVectorSubFields() {
    StructArrayFieldSchema schema = StructArrayFieldSchema.newBuilder().setName("chunks")
        .addTypeParams(KeyValuePair.newBuilder().setKey("max_capacity").setValue("4"))
        .addFields(FieldSchema.newBuilder().setName("chunks[text]").setDataType(DataType.Array).setElementType(DataType.VarChar)
            .addTypeParams(KeyValuePair.newBuilder().setKey("max_length").setValue("64")))
        .addFields(FieldSchema.newBuilder().setName("chunks[emb]").setDataType(DataType.ArrayOfVector)
            .setElementType(DataType.FloatVector).addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue("2")))
        .build();
    List<Object> rows = new ArrayList<>();
    rows.add(List.of(Map.of("text", "a", "emb", new float[] {1, 2}), Map.of("text", "b", "emb", List.of(3, 4))));
    rows.add(List.of());
    rows.add(List.of(Map.of("text", "c", "emb", new double[] {5, 6})));
    FieldData column = StructArrays.encode(schema, rows);
    assertThat(column.getType()).isEqualTo(DataType.ArrayOfStruct);
    assertThat(column.getStructArrays().getFieldsList()).extracting(FieldData::getFieldName)
        .containsExactly("text", "emb"); // plain sub-field names, as pymilvus writes them
    List<Map<String, Object>> first = StructArrays.decode(column, 0);
    assertThat(first).hasSize(2);
    assertThat(first.get(1).get("text")).isEqualTo("b");
    assertThat((float[]) first.get(1).get("emb")).containsExactly(3, 4);
    assertThat(StructArrays.decode(column, 1)).isEmpty();
    assertThat(Arrays.toString((float[]) StructArrays.decode(column, 2).get(0).get("emb"))).isEqualTo("[5.0, 6.0]");
    assertThatThrownBy(() -> StructArrays.encode(schema, List.of(List.of(Map.of("text", "a")))))
        .hasMessageContaining("without a value for 'emb'");
    assertThatThrownBy(() -> StructArrays.encode(schema, List.of(List.of(Map.of("text", "a", "emb", new float[] {1})))))
        .hasMessageContaining("sub-field 'emb': 1 elements for dim 2");
    assertThatThrownBy(() -> StructArrays.encode(schema, List.of(List.of(Map.of("text", "a", "emb", new float[] {1, 2},
        "x", 1))))).hasMessageContaining("unknown sub-field 'x'");
  }
}
