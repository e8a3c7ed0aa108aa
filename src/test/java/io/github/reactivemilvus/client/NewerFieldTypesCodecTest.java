package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.proto.CollectionSchema;
import io.github.reactivemilvus.proto.ConsistencyLevel;
import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.QueryRequest;
import io.github.reactivemilvus.proto.ScalarField;
import io.github.reactivemilvus.proto.StringArray;
import io.github.reactivemilvus.proto.StructArrayFieldSchema;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 2.6 field types through the row encoder and decoder (Int8Vector and arrays of structs have no
 * test server: Milvus Lite 3.2.2 and 2.5.1 reject Int8Vector, neither has struct arrays), types
 * this client does not know, and the Session timestamp of reads.
 */
class NewerFieldTypesCodecTest {
  private static KeyValuePair kv(String k, String v) {
    return KeyValuePair.newBuilder().setKey(k).setValue(v).build();
  }

  private static final CollectionSchema SCHEMA = CollectionSchema.newBuilder().setName("c")
      .addFields(FieldSchema.newBuilder().setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
      .addFields(FieldSchema.newBuilder().setName("q").setDataType(DataType.Int8Vector).addTypeParams(kv("dim", "3")))
      .addFields(FieldSchema.newBuilder().setName("at").setDataType(DataType.Timestamptz).setNullable(true))
      .addFields(FieldSchema.newBuilder().setName("body").setDataType(DataType.Text))
      .addStructArrayFields(StructArrayFieldSchema.newBuilder().setName("chunks").addTypeParams(kv("max_capacity", "4"))
          .addFields(FieldSchema.newBuilder().setName("chunks[n]").setDataType(DataType.Array).setElementType(DataType.Int32))
          .addFields(FieldSchema.newBuilder().setName("chunks[e]").setDataType(DataType.ArrayOfVector)
              .setElementType(DataType.FloatVector).addTypeParams(kv("dim", "2"))))
      .build();

  @Test
  void int8VectorsTimestampsTextAndStructArraysRoundTrip() {
    Map<String, Object> row = Map.of("id", 1L, "q", new int[] {1, -2, 3}, "at", OffsetDateTime.parse("2025-01-02T00:00:00Z"),
        "body", "text", "chunks", List.of(Map.of("n", 5, "e", new float[] {1, 2}), Map.of("n", 6, "e", new float[] {3, 4})));
    List<FieldData> columns = new RowEncoder(SCHEMA).encode(List.of(row), 0, false);
    assertThat(columns).extracting(FieldData::getFieldName).containsExactly("id", "q", "at", "body", "chunks");
    assertThat(columns.get(2).getScalars().getStringData().getDataList()).containsExactly("2025-01-02T00:00:00Z");
    Map<String, Object> back = RowDecoder.decode(columns, 1).get(0);
    assertThat((byte[]) back.get("q")).containsExactly(1, -2, 3);
    assertThat(back.get("at")).isEqualTo(OffsetDateTime.parse("2025-01-02T00:00:00Z"));
    assertThat(back.get("body")).isEqualTo("text");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> chunks = (List<Map<String, Object>>) back.get("chunks");
    assertThat(chunks).extracting(m -> m.get("n")).containsExactly(5, 6);
    assertThat((float[]) chunks.get(1).get("e")).containsExactly(3, 4);
  }

  @Test
  void aWrongStructValueNamesTheRowBeforeAnythingIsSent() {
    Map<String, Object> good = Map.of("id", 1L, "q", new byte[3], "body", "x", "chunks", List.of());
    Map<String, Object> bad = Map.of("id", 2L, "q", new byte[3], "body", "x", "chunks", List.of(Map.of("n", 1)));
    assertThatThrownBy(() -> new RowEncoder(SCHEMA).encode(List.of(good, bad), 10, false))
        .isInstanceOf(RowConversionException.class).hasMessageContaining("row 11").hasMessageContaining("without a value for 'e'");
  }

  @Test
  void aTypeThisClientDoesNotKnowIsReadRawAndRefusedOnWrite() {
    FieldData future = FieldData.newBuilder().setFieldName("f").setTypeValue(301)
        .setScalars(ScalarField.newBuilder().setStringData(StringArray.newBuilder().addData("a").addData("b"))).build();
    FieldData ids = FieldData.newBuilder().setFieldName("id").setType(DataType.Int64)
        .setScalars(ScalarField.newBuilder().setLongData(LongArray.newBuilder().addData(1).addData(2))).build();
    List<Map<String, Object>> rows = RowDecoder.decode(List.of(ids, future), 2);
    assertThat(rows.get(1)).containsEntry("id", 2L).containsEntry("f", new RawValue("DataType(301)", "b"));

    CollectionSchema withFuture = SCHEMA.toBuilder()
        .addFields(FieldSchema.newBuilder().setName("f").setDataTypeValue(301).setNullable(true)).build();
    assertThatThrownBy(() -> new RowEncoder(withFuture).encode(List.of(Map.of("id", 1L)), 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("field 'f' is of type DataType(301), which this client cannot write");
  }

  @Test
  void sessionReadsCarryTheCollectionsLastWriteTimestamp() {
    WriteClock clock = new WriteClock();
    QueryRequest session = QueryRequest.newBuilder().setCollectionName("c").setConsistencyLevel(ConsistencyLevel.Session).build();
    assertThat(SessionReads.apply(session, clock).getGuaranteeTimestamp()).isEqualTo(WriteClock.EVENTUALLY);
    clock.written("c", 450_000_000_000_000_000L);
    clock.written("c", 449_000_000_000_000_000L);
    assertThat(SessionReads.apply(session, clock).getGuaranteeTimestamp()).isEqualTo(450_000_000_000_000_000L);
    QueryRequest byDefault = QueryRequest.newBuilder().setCollectionName("c").setUseDefaultConsistency(true).build();
    assertThat(SessionReads.apply(byDefault, clock).getGuaranteeTimestamp()).isEqualTo(450_000_000_000_000_000L);
    QueryRequest strong = QueryRequest.newBuilder().setCollectionName("c").setConsistencyLevel(ConsistencyLevel.Strong).build();
    assertThat(SessionReads.apply(strong, clock).getGuaranteeTimestamp()).isZero();
  }
}
