package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.IDs;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.SearchResultData;
import io.github.reactivemilvus.proto.SearchResults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The send-ready encoding of a write batch (float vectors written straight into their wire form)
 * and the search-hit decoding (rows sharing their field names): both give what the plain encoding
 * and decoding give.
 */
class WireEncodingTest {
  private static final Schema SCHEMA = Schema.builder()
      .field(Field.int64("id").primaryKey())
      .field(Field.floatVector("v", 128))
      .field(Field.varChar("t", 16))
      .field(Field.builder("n", DataType.Int32).nullable(true))
      .build();

  private static List<Map<String, Object>> rows(int count) {
    Random random = new Random(count);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] v = new float[128];
      for (int k = 0; k < v.length; k++) {
        v[k] = random.nextFloat() - 0.5f;
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", (long) i);
      // every accepted vector form: float[], double[], List<Number>
      row.put("v", i % 3 == 0 ? v : i % 3 == 1 ? toDoubles(v) : toList(v));
      row.put("t", "row " + i);
      row.put("n", i % 2 == 0 ? null : i);
      rows.add(row);
    }
    return rows;
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private static List<Float> toList(float[] v) {
    List<Float> l = new ArrayList<>();
    for (float f : v) {
      l.add(f);
    }
    return l;
  }

  @Test
  void sendReadyColumnsSerialiseToTheBytesOfThePlainColumns() throws Exception {
    RowEncoder codec = new RowEncoder(SCHEMA.toProto("c"));
    // 1 row (1-byte length), 3 rows (2-byte length) and 1,000 rows (3-byte length of 512,000 bytes)
    for (int count : new int[] {1, 3, 1000}) {
      List<Map<String, Object>> rows = rows(count);
      List<FieldData> plain = codec.encode(rows, 0, false);
      List<FieldData> wire = codec.encodeForSending(rows, 0, false);
      assertThat(wire).hasSameSizeAs(plain);
      for (int i = 0; i < plain.size(); i++) {
        assertThat(wire.get(i).getSerializedSize()).isEqualTo(plain.get(i).getSerializedSize());
        assertThat(wire.get(i).toByteArray()).isEqualTo(plain.get(i).toByteArray());
        assertThat(FieldData.parseFrom(wire.get(i).toByteArray())).isEqualTo(plain.get(i));
      }
    }
  }

  @Test
  void sendReadyColumnsDecodeBackToTheRowsOnceParsed() throws Exception {
    RowEncoder codec = new RowEncoder(SCHEMA.toProto("c"));
    List<Map<String, Object>> rows = rows(5);
    List<FieldData> parsed = new ArrayList<>();
    for (FieldData fd : codec.encodeForSending(rows, 0, false)) {
      parsed.add(FieldData.parseFrom(fd.toByteArray()));
    }
    List<Map<String, Object>> back = RowDecoder.decode(parsed, 5);
    List<Map<String, Object>> plain = RowDecoder.decode(codec.encode(rows, 0, false), 5);
    for (int i = 0; i < 5; i++) {
      assertThat(back.get(i).get("id")).isEqualTo((long) i);
      assertThat(back.get(i).get("t")).isEqualTo("row " + i);
      assertThat(back.get(i).get("n")).isEqualTo(i % 2 == 0 ? null : i);
      assertThat((float[]) back.get(i).get("v")).containsExactly((float[]) plain.get(i).get("v"));
    }
    assertThat((float[]) back.get(0).get("v")).containsExactly((float[]) rows.get(0).get("v"));
  }

  @Test
  void maxLengthCountsUtf8BytesWithoutEncoding() {
    RowEncoder codec = new RowEncoder(SCHEMA.toProto("c"));
    float[] v = new float[128];
    // 8 x 'é' is 16 UTF-8 bytes (fits), 9 are 18; an emoji is 4 bytes (2 chars)
    assertThat(codec.encodeForSending(List.of(Map.of("id", 1L, "v", v, "t", "é".repeat(8))), 0, false)).hasSize(4);
    assertThatThrownBy(() -> codec.encodeForSending(List.of(Map.of("id", 1L, "v", v, "t", "é".repeat(9))), 0, false))
        .isInstanceOf(RowConversionException.class).hasMessageContaining("a string of 18 UTF-8 bytes, more than max_length 16");
    assertThat(codec.encode(List.of(Map.of("id", 1L, "v", v, "t", "\uD83D\uDE00".repeat(4))), 0, false)).hasSize(4);
    assertThatThrownBy(() -> codec.encode(List.of(Map.of("id", 1L, "v", v, "t", "\uD83D\uDE00".repeat(4) + "a")), 0, false))
        .hasMessageContaining("a string of 17 UTF-8 bytes");
    assertThat(RowEncoder.utf8Length("a\u00e9\u20ac\uD83D\uDE00\uD800")).isEqualTo("a\u00e9\u20ac\uD83D\uDE00\uD800"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  private static SearchResults results(List<FieldData> columns, int nq, int topK) {
    LongArray.Builder ids = LongArray.newBuilder();
    SearchResultData.Builder d = SearchResultData.newBuilder().setNumQueries(nq).setTopK(topK).addAllFieldsData(columns);
    for (int q = 0; q < nq; q++) {
      d.addTopks(topK);
      for (int i = 0; i < topK; i++) {
        ids.addData(q * topK + i);
        d.addScores(i * 0.5f);
      }
    }
    return SearchResults.newBuilder().setResults(d.setIds(IDs.newBuilder().setIntId(ids))).build();
  }

  @Test
  void hitsCarryTheDecodedRowsWithoutThePrimaryKey() {
    RowEncoder codec = new RowEncoder(SCHEMA.toProto("c"));
    List<Map<String, Object>> rows = rows(6);
    List<FieldData> columns = codec.encode(rows, 0, false);
    List<List<Hit>> hits = Responses.hits(codec, results(columns, 2, 3));
    List<Map<String, Object>> plain = RowDecoder.decode(columns, 6);
    assertThat(hits).hasSize(2);
    for (int at = 0; at < 6; at++) {
      Hit h = hits.get(at / 3).get(at % 3);
      assertThat(h.id()).isEqualTo((long) at);
      assertThat(h.score()).isEqualTo(at % 3 * 0.5f);
      // float[] values compare by identity in Map.equals: the vector is compared by content, the rest as maps
      assertThat((float[]) h.fields().get("v")).containsExactly((float[]) plain.get(at).get("v"));
      Map<String, Object> expected = new LinkedHashMap<>(plain.get(at));
      expected.remove("id");
      expected.put("v", h.fields().get("v"));
      assertThat(h.fields()).isEqualTo(expected).hasSameHashCodeAs(expected);
      assertThat(h.fields().keySet()).containsExactly("v", "t", "n");
      assertThat(h.fields()).containsEntry("n", at % 2 == 0 ? null : at).containsKey("n").doesNotContainKey("id");
      assertThat(h.fields().toString()).isEqualTo(expected.toString());
      assertThatThrownBy(() -> h.fields().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> h.fields().entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void hitsWithADynamicFieldSpreadItsKeysAsBefore() {
    Schema dynamic = Schema.builder().enableDynamicField(true).field(Field.int64("id").primaryKey())
        .field(Field.floatVector("v", 2)).build();
    RowEncoder codec = new RowEncoder(dynamic.toProto("c"));
    List<Map<String, Object>> rows = List.of(Map.of("id", 1L, "v", new float[] {1, 2}, "color", "red"),
        Map.of("id", 2L, "v", new float[] {3, 4}, "size", 7));
    List<List<Hit>> hits = Responses.hits(codec, results(codec.encode(rows, 0, false), 1, 2));
    assertThat(hits.get(0).get(0).fields()).containsOnlyKeys("v", "color").containsEntry("color", "red");
    assertThat(hits.get(0).get(1).fields()).containsOnlyKeys("v", "size").containsEntry("size", 7L);
    assertThat((float[]) hits.get(0).get(1).fields().get("v")).containsExactly(3, 4);
    assertThatThrownBy(() -> hits.get(0).get(0).fields().remove("color")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void decodedHitFieldsRefuseEveryChangeLikeAnUnmodifiableMap() {
    RowEncoder codec = new RowEncoder(SCHEMA.toProto("c"));
    Map<String, Object> fields = Responses.hits(codec, results(codec.encode(rows(1), 0, false), 1, 1)).get(0).get(0).fields();
    assertThatThrownBy(() -> fields.remove("absent")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(fields::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> fields.putAll(Map.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> fields.keySet().remove("t")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> fields.values().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(fields).containsOnlyKeys("v", "t", "n").doesNotContainKey("id");
    assertThat(fields.get("absent")).isNull();
  }

  @Test
  void aRowSizedByLookupsIsSizedAsByIteratingIt() {
    RowEncoder codec = new RowEncoder(SCHEMA.toProto("c"));
    for (Map<String, Object> row : rows(4)) {
      assertThat(codec.estimateRowBytes(row)).isEqualTo(RowEncoder.estimateBytes(row));
    }
    Map<String, Object> extra = new LinkedHashMap<>(rows(1).get(0));
    extra.put("other", "x");
    assertThat(codec.estimateRowBytes(extra)).isEqualTo(RowEncoder.estimateBytes(extra));
    Map<String, Object> partial = Map.of("id", 1L);
    assertThat(codec.estimateRowBytes(partial)).isEqualTo(RowEncoder.estimateBytes(partial));
  }

  @Test
  void rowKeysCheckedByLookupsStillReportTheKeyAtFault() {
    Schema autoId = Schema.builder().field(Field.int64("id").primaryKey().autoId(true)).field(Field.floatVector("v", 2)).build();
    RowEncoder codec = new RowEncoder(autoId.toProto("c"));
    float[] v = {1, 2};
    assertThat(codec.encodeForSending(List.of(Map.of("v", v)), 0, false)).hasSize(1);
    assertThatThrownBy(() -> codec.encodeForSending(List.of(Map.of("v", v), Map.of("v", v, "colour", "red")), 7, false))
        .isInstanceOf(RowConversionException.class).hasMessageContaining("row 8").hasMessageContaining("'colour'");
    assertThatThrownBy(() -> codec.encodeForSending(List.of(Map.of("id", 3L, "v", v)), 0, false))
        .isInstanceOf(RowConversionException.class).hasMessageContaining("'id'").hasMessageContaining("auto_id");
    Map<String, Object> nullId = new LinkedHashMap<>();
    nullId.put("id", null);
    nullId.put("v", v);
    assertThat(codec.encodeForSending(List.of(nullId), 0, false)).hasSize(1); // a null auto-id key is no value
  }

  @Test
  void writeResultsReadTheServersKeysWithoutCopyingThem() {
    io.github.reactivemilvus.proto.MutationResult r = io.github.reactivemilvus.proto.MutationResult.newBuilder()
        .setIDs(IDs.newBuilder().setIntId(LongArray.newBuilder().addData(5).addData(300))).setInsertCnt(2).build();
    WriteResult result = Responses.writeResult(0, 0, 2, r);
    assertThat(result.ids()).isEqualTo(List.of(5L, 300L)).hasSameHashCodeAs(List.of(5L, 300L));
    assertThatThrownBy(() -> result.ids().add(1L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> result.ids().set(0, 1L)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(Responses.writeResult(0, 0, 0, io.github.reactivemilvus.proto.MutationResult.getDefaultInstance()).ids()).isEmpty();
  }

  @Test
  void aHitMadeByTheApplicationStillCopiesItsFields() {
    Map<String, Object> mine = new LinkedHashMap<>(Map.of("a", 1));
    Hit h = new Hit(1L, 0.5f, mine);
    mine.put("b", 2);
    assertThat(h.fields()).containsOnlyKeys("a");
    assertThatThrownBy(() -> h.fields().put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void rowMapsRefuseMismatchedKeysAndValues() {
    assertThatThrownBy(() -> new RowMap(new String[] {"a"}, new Object[0])).isInstanceOf(IllegalArgumentException.class);
    assertThat(new RowMap(new String[] {"a", "b"}, new Object[] {1, null})).isEqualTo(new LinkedHashMap<>(
        Arrays.asList("a", "b").stream().collect(LinkedHashMap::new, (m, k) -> m.put(k, k.equals("a") ? 1 : null), Map::putAll)));
  }
}
