package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void aWholeDoubleStaysADouble() {
    assertThat(Json.write(Map.of("x", 2.0))).isEqualTo("{\"x\":2.0}");
    assertThat(Json.write(2.0f)).isEqualTo("2.0");
    assertThat(Json.read("{\"x\":2.0}")).isEqualTo(Map.of("x", 2.0));
    assertThat(Json.read("2")).isEqualTo(2L);
    assertThat(Json.read("12345678901234567890")).isEqualTo(new BigInteger("12345678901234567890"));
  }

  @Test
  void objectsKeepTheirOrderAndArraysAreLists() {
    Object read = Json.read("{\"b\":1,\"a\":[1,\"x\",null,{\"c\":true}]}");
    assertThat(read).isInstanceOf(LinkedHashMap.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) read;
    assertThat(map.keySet()).containsExactly("b", "a");
    assertThat(((Map<?, ?>) read).get("a")).isEqualTo(java.util.Arrays.asList(1L, "x", null, Map.of("c", true)));
    assertThat(Json.write(new float[] {1.5f, 2f})).isEqualTo("[1.5,2.0]");
  }

  @Test
  void nestingIsBoundedBothWays() {
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertThatThrownBy(() -> Json.read(deep)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid JSON");
    assertThat(Json.read("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH))).isInstanceOf(List.class);
    Object nested = List.of();
    for (int i = 0; i < Json.MAX_DEPTH + 1; i++) {
      nested = List.of(nested);
    }
    Object tooDeep = nested;
    assertThatThrownBy(() -> Json.write(tooDeep)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deeper than");
  }

  @Test
  void whatJsonCannotHoldIsRefused() {
    assertThatThrownBy(() -> Json.write(Double.NaN)).hasMessageContaining("JSON has no NaN");
    assertThatThrownBy(() -> Json.write(new double[] {Double.POSITIVE_INFINITY})).hasMessageContaining("JSON has no");
    assertThatThrownBy(() -> Json.write(new byte[] {1})).hasMessageContaining("not representable as JSON");
    assertThatThrownBy(() -> Json.write(Map.of(1, "a"))).hasMessageContaining("key must be a String");
    assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("not representable as JSON");
    assertThatThrownBy(() -> Json.read("{\"a\":1} x")).hasMessageContaining("invalid JSON");
  }

  record Doc(long id, String title, float[] vector, List<String> tags) {}

  @Test
  void rowsMapToTheApplicationsTypes() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", 7L);
    row.put("title", "t");
    row.put("vector", new float[] {1f, 2f});
    row.put("tags", List.of("a"));
    row.put("extra", Map.of("k", 1L));
    Doc doc = Rows.as(Doc.class).apply(row);
    assertThat(doc.id()).isEqualTo(7L);
    assertThat(doc.vector()).containsExactly(1f, 2f);
    assertThat(doc.tags()).containsExactly("a");
    Hit hit = new Hit(7L, 0.5f, row);
    assertThat(hit.as(Doc.class).title()).isEqualTo("t");
    Object title = hit.map(f -> f.get("title"));
    assertThat(title).isEqualTo("t");
    assertThatThrownBy(() -> Rows.as(Doc.class).apply(Map.of("id", "not a number")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Doc.class.getName());
  }
}
