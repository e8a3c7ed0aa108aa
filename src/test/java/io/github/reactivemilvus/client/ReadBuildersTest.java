package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts the search, hybrid search and query builders share: the same checks and the same values on build. */
class ReadBuildersTest {

  @Test
  void theSharedPartsReachEachRead() {
    Query q = Query.builder("c").filter("tag == {t}").filterParam("t", "a").filterParam("n", 3).outputFields("id", "tag")
        .partitions("p1").consistency(ConsistencyLevel.SESSION).limit(5).offset(2).build();
    assertThat(q.filter).isEqualTo("tag == {t}");
    assertThat(q.filterParams).containsExactly(Map.entry("t", "a"), Map.entry("n", 3));
    assertThat(q.outputFields).containsExactly("id", "tag");
    assertThat(q.partitions).containsExactly("p1");
    assertThat(q.consistency).isEqualTo(ConsistencyLevel.SESSION);
    assertThat(q.offset).isEqualTo(2);
    assertThatThrownBy(() -> q.filterParams.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);

    Search s = Search.builder("c").vector(new float[] {1, 2}).filter("x > {m}").filterParam("m", 1.5).outputFields("x")
        .partitions("p2").consistency(ConsistencyLevel.STRONG).offset(3).groupBy("doc").groupSize(2).strictGroupSize(true)
        .build();
    assertThat(List.of(s.filter, s.filterParams, s.outputFields, s.partitions, s.consistency, s.offset, s.groupByField,
        s.groupSize, s.strictGroupSize)).containsExactly("x > {m}", Map.of("m", 1.5), List.of("x"), List.of("p2"),
        ConsistencyLevel.STRONG, 3, "doc", 2, true);
    Search copy = s.toBuilder().limit(7).build();
    assertThat(List.of(copy.filter, copy.filterParams, copy.outputFields, copy.partitions, copy.consistency, copy.offset,
        copy.groupByField, copy.groupSize, copy.strictGroupSize, copy.limit)).containsExactly("x > {m}", Map.of("m", 1.5),
        List.of("x"), List.of("p2"), ConsistencyLevel.STRONG, 3, "doc", 2, true, 7);

    HybridSearch h = HybridSearch.builder("c").search(s).outputFields("y").consistency(ConsistencyLevel.BOUNDED).offset(1)
        .groupBy("doc").groupSize(3).build();
    assertThat(List.of(h.outputFields, h.consistency, h.offset, h.groupByField, h.groupSize))
        .containsExactly(List.of("y"), ConsistencyLevel.BOUNDED, 1, "doc", 3);
    assertThat(h.strictGroupSize).isNull();
  }

  @Test
  void eachBuilderRefusesBadValuesWithTheSameMessage() {
    assertThatThrownBy(() -> Query.builder("c").offset(-1)).hasMessage("offset must not be negative, was -1");
    assertThatThrownBy(() -> Search.builder("c").offset(-1)).hasMessage("offset must not be negative, was -1");
    assertThatThrownBy(() -> HybridSearch.builder("c").offset(-1)).hasMessage("offset must not be negative, was -1");
    assertThatThrownBy(() -> Search.builder("c").limit(0)).hasMessage("limit must be positive, was 0");
    assertThatThrownBy(() -> HybridSearch.builder("c").limit(0)).hasMessage("limit must be positive, was 0");
    assertThatThrownBy(() -> Query.builder("c").limit(-1)).hasMessage("limit must not be negative, was -1");
    assertThatThrownBy(() -> Search.builder("c").groupSize(0)).hasMessage("group size must be positive, was 0");
    assertThatThrownBy(() -> HybridSearch.builder("c").groupSize(0)).hasMessage("group size must be positive, was 0");
    assertThatThrownBy(() -> Search.builder("c").vector(new float[] {1}).groupSize(2).build())
        .hasMessage("group size and strict group size need groupBy");
    Search s = Search.builder("c").vector(new float[] {1}).build();
    assertThatThrownBy(() -> HybridSearch.builder("c").search(s).strictGroupSize(true).build())
        .hasMessage("group size and strict group size need groupBy");
    assertThatThrownBy(() -> Query.builder("c").filterParam("t", new Object())).hasMessageContaining("filter parameter 't'");
    assertThatThrownBy(() -> Search.builder("c").filterParam("t", new Object())).hasMessageContaining("filter parameter 't'");
    assertThatThrownBy(() -> Query.builder("c").filter(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Search.builder("c").consistency(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> HybridSearch.builder("c").groupBy(null)).isInstanceOf(NullPointerException.class);
  }
}
