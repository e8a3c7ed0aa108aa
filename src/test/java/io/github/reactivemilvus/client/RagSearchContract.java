package io.github.reactivemilvus.client;

import static io.github.reactivemilvus.client.RagSearchFixture.WAIT;
import static io.github.reactivemilvus.client.RagSearchFixture.dense;
import static io.github.reactivemilvus.client.RagSearchFixture.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Search as a RAG service uses it, run against one real server per subclass: BM25 by text, hybrid
 * dense + BM25 (RRF, weighted), text_match, group-by on search and hybrid search, range search,
 * dynamic fields, and the single-vector {@code Flux<Hit>} search. A subclass names what its server
 * supports ({@link #supports}); a feature it does not support is skipped there, with the reason in
 * {@code shared/reference/test-servers.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RagSearchContract {
  enum Feature { BM25, HYBRID, WEIGHTED_BM25, TEXT_MATCH, GROUP_BY, GROUP_SIZE, RANGE, DYNAMIC }

  private RagSearchFixture fixture;

  abstract String uri();

  abstract boolean supports(Feature feature);

  /** BM25 score as the server reports it: Lite 3.2.2 returns it negated (a distance). */
  float bm25Sign() {
    return 1f;
  }

  RagSearchFixture fixture() {
    if (fixture == null) {
      fixture = RagSearchFixture.create(uri(), supports(Feature.BM25));
    }
    return fixture;
  }

  @AfterAll
  void dropCollection() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private MilvusClient client() {
    return fixture().client;
  }

  private Search.Builder search() {
    return Search.builder(fixture().collection);
  }

  @Test
  void bm25SearchByTextRanksTheChunksThatHaveTheWords() {
    assumeThat(supports(Feature.BM25)).as("BM25 functions").isTrue();
    List<Hit> hits = client().search(search().annsField("sparse").text("apple pie").limit(4).outputFields("text").build())
        .block(WAIT).get(0);
    assertThat(hits).extracting(Hit::id).first().isEqualTo(0L);
    assertThat(hits).allSatisfy(h -> assertThat((String) h.fields().get("text")).containsAnyOf("apple", "pie"));
    assertThat(hits).allSatisfy(h -> assertThat(h.score() * bm25Sign()).isPositive());
    // several texts in one search: one hit list each
    List<List<Hit>> two = client().search(search().annsField("sparse").text("fox").text("milvus").limit(2).build()).block(WAIT);
    assertThat(two.get(0)).extracting(Hit::id).containsExactlyInAnyOrder(2L, 5L);
    assertThat(two.get(1)).extracting(Hit::id).first().isEqualTo(7L);
  }

  @Test
  void hybridDenseAndBm25WithRrfFusesTheRanksOfBothLists() {
    assumeThat(supports(Feature.HYBRID)).as("hybrid search with BM25").isTrue();
    Search denseSearch = search().annsField("dense").vector(dense(7)).limit(12).build();
    Search textSearch = search().annsField("sparse").text("search").limit(12).build();
    List<Hit> dense = client().search(denseSearch).block(WAIT).get(0);
    List<Hit> text = client().search(textSearch).block(WAIT).get(0);
    Map<Object, Double> expected = new HashMap<>();
    for (List<Hit> list : List.of(dense, text)) {
      for (int r = 0; r < list.size(); r++) {
        expected.merge(list.get(r).id(), 1.0 / (60 + r + 1), Double::sum);
      }
    }
    List<Hit> fused = client().hybridSearch(HybridSearch.builder(fixture().collection).search(denseSearch)
        .search(textSearch).rrf(60).limit(5).outputFields("doc").build()).block(WAIT).get(0);
    assertThat(fused).hasSize(5);
    for (Hit h : fused) {
      assertThat((double) h.score()).as("RRF score of %s", h.id()).isCloseTo(expected.get(h.id()), Offset.offset(1e-5));
      assertThat(h.fields()).containsKey("doc");
    }
    double fifth = fused.get(4).score();
    assertThat(expected.values()).filteredOn(s -> s > fifth + 1e-6).hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void hybridWeightedRankerWeighsTheNormalisedScores() {
    assumeThat(supports(Feature.HYBRID)).as("hybrid search").isTrue();
    Search denseSearch = search().annsField("dense").vector(dense(3)).limit(12).build();
    Search other = search().annsField("dense").vector(dense(8)).limit(12).build();
    List<Hit> a = client().search(denseSearch).block(WAIT).get(0);
    List<Hit> b = client().search(other).block(WAIT).get(0);
    Map<Object, Double> expected = new HashMap<>();
    a.forEach(h -> expected.merge(h.id(), 0.8 * (1 + h.score()) / 2, Double::sum));
    b.forEach(h -> expected.merge(h.id(), 0.2 * (1 + h.score()) / 2, Double::sum));
    List<Hit> fused = client().hybridSearch(HybridSearch.builder(fixture().collection).search(denseSearch)
        .search(other).weighted(0.8, 0.2).limit(3).build()).block(WAIT).get(0);
    assertThat(fused).hasSize(3);
    for (Hit h : fused) {
      assertThat((double) h.score()).as("weighted score of %s", h.id()).isCloseTo(expected.get(h.id()), Offset.offset(1e-5));
    }
    if (supports(Feature.WEIGHTED_BM25)) {
      Search text = search().annsField("sparse").text("apple").limit(12).build();
      List<Hit> onlyText = client().hybridSearch(HybridSearch.builder(fixture().collection).search(denseSearch)
          .search(text).weighted(0.0, 1.0).limit(2).build()).block(WAIT).get(0);
      assertThat(onlyText).extracting(Hit::id).containsExactly(3L, 0L);
    }
  }

  @Test
  void textMatchFiltersOnTheAnalyzedTokens() {
    assumeThat(supports(Feature.TEXT_MATCH)).as("text_match").isTrue();
    List<Hit> hits = client().search(search().annsField("dense").vector(dense(0)).filter("text_match(text, 'fox')")
        .limit(10).build()).block(WAIT).get(0);
    assertThat(hits).extracting(Hit::id).containsExactlyInAnyOrder(2L, 5L);
    List<Map<String, Object>> rows = client().query(Query.builder(fixture().collection)
        .filter("text_match(text, 'pie cream')").outputFields("id").build()).block(WAIT);
    assertThat(rows).extracting(r -> r.get("id")).containsExactlyInAnyOrder(0L, 6L);
  }

  @Test
  void groupByGivesOneHitPerDocumentWithTheGroupValue() {
    assumeThat(supports(Feature.GROUP_BY)).as("group-by search").isTrue();
    List<Hit> hits = client().search(search().annsField("dense").vector(dense(4)).groupBy("doc").limit(3)
        .outputFields("doc").build()).block(WAIT).get(0);
    assertThat(hits).hasSize(3);
    assertThat(hits).extracting(Hit::groupValue).doesNotHaveDuplicates()
        .allSatisfy(v -> assertThat(v).isIn("d0", "d1", "d2", "d3"));
    for (Hit h : hits) {
      assertThat(h.groupValue()).isEqualTo(doc(((Long) h.id()).intValue())).isEqualTo(h.fields().get("doc"));
    }
    // the best hit of the group of the best chunk is that chunk
    assertThat(hits.get(0).id()).isEqualTo(4L);
    if (supports(Feature.HYBRID)) {
      Search a = search().annsField("dense").vector(dense(4)).limit(12).build();
      Search b = search().annsField("dense").vector(dense(9)).limit(12).build();
      List<Hit> fused = client().hybridSearch(HybridSearch.builder(fixture().collection).search(a).search(b).rrf(60)
          .groupBy("doc").limit(3).build()).block(WAIT).get(0);
      assertThat(fused).isNotEmpty().hasSizeLessThanOrEqualTo(3);
      assertThat(fused).extracting(Hit::groupValue).doesNotHaveDuplicates().doesNotContainNull();
      fused.forEach(h -> assertThat(h.groupValue()).isEqualTo(doc(((Long) h.id()).intValue())));
    }
  }

  @Test
  void groupSizeGivesUpToThatManyHitsPerDocument() {
    assumeThat(supports(Feature.GROUP_SIZE)).as("group_size").isTrue();
    List<Hit> hits = client().search(search().annsField("dense").vector(dense(4)).groupBy("doc").groupSize(2)
        .strictGroupSize(false).limit(2).build()).block(WAIT).get(0);
    Map<Object, Integer> perGroup = new HashMap<>();
    hits.forEach(h -> perGroup.merge(h.groupValue(), 1, Integer::sum));
    assertThat(perGroup).hasSize(2).allSatisfy((g, n) -> assertThat(n).isBetween(1, 2));
    assertThat(hits.size()).isGreaterThan(2);
  }

  @Test
  void rangeSearchReturnsExactlyTheHitsInTheBand() {
    assumeThat(supports(Feature.RANGE)).as("range search").isTrue();
    List<Hit> all = client().search(search().annsField("dense").vector(dense(5)).limit(12).build()).block(WAIT).get(0);
    Set<Object> band = new HashSet<>();
    all.stream().filter(h -> h.score() > 0.3f && h.score() <= 0.95f).forEach(h -> band.add(h.id()));
    assumeThat(band).as("the fixture has hits in the band").isNotEmpty();
    List<Hit> ranged = client().search(search().annsField("dense").vector(dense(5)).radius(0.3).rangeFilter(0.95)
        .limit(12).build()).block(WAIT).get(0);
    assertThat(ranged).extracting(Hit::id).containsExactlyInAnyOrderElementsOf(band);
    assertThat(ranged).allSatisfy(h -> assertThat(h.score()).isGreaterThan(0.3f).isLessThanOrEqualTo(0.95f));
  }

  @Test
  void dynamicFieldsComeBackByName() {
    assumeThat(supports(Feature.DYNAMIC)).as("dynamic fields").isTrue();
    List<Hit> hits = client().search(search().annsField("dense").vector(dense(2)).limit(3).outputFields("lang", "doc")
        .build()).block(WAIT).get(0);
    assertThat(hits).allSatisfy(h -> assertThat(h.fields()).containsEntry("lang", ((Long) h.id()) % 2 == 0 ? "en" : "fr")
        .containsEntry("doc", doc(((Long) h.id()).intValue())));
    List<Map<String, Object>> rows = client().query(Query.builder(fixture().collection).filter("lang == \"fr\"")
        .outputFields("id", "lang").build()).block(WAIT);
    assertThat(rows).extracting(r -> r.get("id")).containsExactlyInAnyOrder(1L, 3L, 5L, 7L, 9L, 11L);
    assertThat(rows).allSatisfy(r -> assertThat(r).containsEntry("lang", "fr"));
  }

  @Test
  void theSearchIteratorPagesThroughTheHitsOfOneSearchInOrder() {
    List<Hit> listed = client().search(search().annsField("dense").vector(dense(3)).metricType("COSINE").limit(12).build())
        .block(WAIT).get(0);
    assertThat(listed).as("the fixture's 12 documents").hasSize(12);
    // no test server has the server-side iterator: its probe is answered by a plain search, then range searches page
    List<Hit> paged = client().searchIterator(search().annsField("dense").vector(dense(3)).metricType("COSINE").limit(12)
        .build(), 5).collectList().block(WAIT);
    assertThat(paged).extracting(Hit::id).containsExactlyElementsOf(listed.stream().map(Hit::id).toList());
  }

  @Test
  void aSingleVectorSearchStreamsItsHits() {
    Search s = search().annsField("dense").vector(dense(6)).limit(4).outputFields("doc").build();
    List<Hit> streamed = client().searchHits(s).collectList().block(WAIT);
    List<Hit> listed = client().search(s).block(WAIT).get(0);
    assertThat(streamed).isEqualTo(listed).hasSize(4);
    assertThat(streamed.get(0).id()).isEqualTo(6L);
  }
}
