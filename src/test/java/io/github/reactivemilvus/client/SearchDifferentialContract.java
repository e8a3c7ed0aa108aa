package io.github.reactivemilvus.client;

import static io.github.reactivemilvus.client.RagSearchFixture.WAIT;
import static io.github.reactivemilvus.client.RagSearchFixture.dense;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Differential against pymilvus: on the same server and collection, this client and pymilvus
 * return the same ids (scores within 1e-5) for dense, BM25, hybrid (RRF and weighted), group-by,
 * filtered and range searches, and the same rows for queries. One subclass per server, each with
 * the pymilvus release made for it.
 */
abstract class SearchDifferentialContract {
  private static final double SCORE_TOLERANCE = 1e-5;

  abstract String uri();

  /** The Python of the venv holding the pymilvus release to compare with. */
  abstract Path python();

  abstract boolean supportsTextMatch();

  private record Case(String name, Supplier<Object> ours, int pymilvusIndex, boolean rows) {}

  @Test
  void thisClientAndPymilvusReturnTheSameResults() throws Exception {
    try (RagSearchFixture f = RagSearchFixture.create(uri(), true)) {
      PymilvusReads py = new PymilvusReads(python(), uri(), f.collection);
      List<Case> cases = new ArrayList<>();
      MilvusClient c = f.client;
      String coll = f.collection;

      Search dense7 = Search.builder(coll).annsField("dense").vector(dense(7)).limit(5).outputFields("doc").build();
      cases.add(new Case("dense", () -> c.search(dense7).block(WAIT), py.add(search("dense", List.of(floats(dense(7))), 5,
          Map.of("output_fields", List.of("doc")))), false));

      Search text = Search.builder(coll).annsField("sparse").text("apple pie").limit(4).build();
      cases.add(new Case("bm25", () -> c.search(text).block(WAIT), py.add(search("sparse", List.of("apple pie"), 4, Map.of())),
          false));

      Search hd = Search.builder(coll).annsField("dense").vector(dense(7)).limit(8).build();
      Search ht = Search.builder(coll).annsField("sparse").text("search").limit(8).build();
      Map<String, Object> hdRead = Map.of("data", List.of(floats(dense(7))), "anns_field", "dense", "limit", 8);
      Map<String, Object> htRead = Map.of("data", List.of("search"), "anns_field", "sparse", "limit", 8);
      cases.add(new Case("hybrid rrf", () -> c.hybridSearch(HybridSearch.builder(coll).search(hd).search(ht).rrf(60).limit(5)
          .outputFields("doc").build()).block(WAIT), py.add(Map.of("op", "hybrid", "reqs", List.of(hdRead, htRead),
          "ranker", Map.of("type", "rrf", "k", 60), "limit", 5, "output_fields", List.of("doc"))), false));
      cases.add(new Case("hybrid weighted", () -> c.hybridSearch(HybridSearch.builder(coll).search(hd).search(ht)
          .weighted(0.6, 0.4).limit(4).build()).block(WAIT), py.add(Map.of("op", "hybrid", "reqs", List.of(hdRead, htRead),
          "ranker", Map.of("type", "weighted", "weights", List.of(0.6, 0.4)), "limit", 4)), false));

      Search grouped = Search.builder(coll).annsField("dense").vector(dense(4)).groupBy("doc").limit(3).build();
      cases.add(new Case("group-by", () -> c.search(grouped).block(WAIT), py.add(search("dense", List.of(floats(dense(4))), 3,
          Map.of("group_by_field", "doc"))), false));
      Search g4 = Search.builder(coll).annsField("dense").vector(dense(4)).limit(12).build();
      Search g9 = Search.builder(coll).annsField("dense").vector(dense(9)).limit(12).build();
      cases.add(new Case("hybrid group-by", () -> c.hybridSearch(HybridSearch.builder(coll).search(g4).search(g9).rrf(60)
          .groupBy("doc").limit(3).build()).block(WAIT), py.add(Map.of("op", "hybrid",
          "reqs", List.of(Map.of("data", List.of(floats(dense(4))), "anns_field", "dense", "limit", 12),
              Map.of("data", List.of(floats(dense(9))), "anns_field", "dense", "limit", 12)),
          "ranker", Map.of("type", "rrf", "k", 60), "limit", 3, "group_by_field", "doc")), false));

      String filter = "doc in [\"d1\", \"d2\"] and lang == \"en\"";
      Search filtered = Search.builder(coll).annsField("dense").vector(dense(0)).filter(filter).limit(5)
          .outputFields("lang").build();
      cases.add(new Case("filtered", () -> c.search(filtered).block(WAIT), py.add(search("dense", List.of(floats(dense(0))), 5,
          Map.of("filter", filter, "output_fields", List.of("lang")))), false));

      Search range = Search.builder(coll).annsField("dense").vector(dense(5)).radius(0.3).rangeFilter(0.95).limit(12).build();
      cases.add(new Case("range", () -> c.search(range).block(WAIT), py.add(search("dense", List.of(floats(dense(5))), 12,
          Map.of("search_params", Map.of("params", Map.of("radius", 0.3, "range_filter", 0.95))))), false));

      if (supportsTextMatch()) {
        String match = "text_match(text, 'fox dog')";
        Search matched = Search.builder(coll).annsField("dense").vector(dense(0)).filter(match).limit(5).build();
        cases.add(new Case("text_match", () -> c.search(matched).block(WAIT), py.add(search("dense",
            List.of(floats(dense(0))), 5, Map.of("filter", match))), false));
      }

      Query query = Query.builder(coll).filter("id < 6").outputFields("id", "doc", "text", "lang").build();
      cases.add(new Case("query", () -> c.query(query).block(WAIT), py.add(Map.of("op", "query", "filter", "id < 6",
          "output_fields", List.of("id", "doc", "text", "lang"))), true));

      PymilvusReads.Result theirs = py.run();
      SoftAssertions soft = new SoftAssertions();
      for (Case k : cases) {
        Object ours = k.ours.get();
        JsonNode expected = theirs.read(k.pymilvusIndex);
        if (k.rows) {
          compareRows(soft, k.name, castRows(ours), expected);
        } else {
          compareHits(soft, k.name, castHits(ours), expected);
        }
      }
      soft.assertAll();
    }
  }

  private static Map<String, Object> search(String field, List<?> data, int limit, Map<String, Object> more) {
    Map<String, Object> read = new LinkedHashMap<>();
    read.put("op", "search");
    read.put("anns_field", field);
    read.put("data", data);
    read.put("limit", limit);
    read.putAll(more);
    return read;
  }

  private static List<Float> floats(float[] v) {
    List<Float> out = new ArrayList<>();
    for (float x : v) {
      out.add(x);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<List<Hit>> castHits(Object o) {
    return (List<List<Hit>>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> castRows(Object o) {
    return (List<Map<String, Object>>) o;
  }

  private static void compareHits(SoftAssertions soft, String name, List<List<Hit>> ours, JsonNode theirs) {
    soft.assertThat(ours).as(name + ": query count").hasSize(theirs.size());
    for (int q = 0; q < Math.min(ours.size(), theirs.size()); q++) {
      List<Hit> mine = ours.get(q);
      JsonNode other = theirs.get(q);
      List<Long> myIds = mine.stream().map(h -> ((Number) h.id()).longValue()).toList();
      List<Long> otherIds = new ArrayList<>();
      other.forEach(h -> otherIds.add(h.get("id").asLong()));
      soft.assertThat(myIds).as(name + ": ids (ours %s, pymilvus %s)", myIds, otherIds).containsExactlyInAnyOrderElementsOf(otherIds);
      soft.assertThat(mine).as(name + ": at least one hit").isNotEmpty();
      for (int i = 0; i < Math.min(mine.size(), other.size()); i++) {
        // same rank, same score: ties may swap ids, never scores
        soft.assertThat((double) mine.get(i).score()).as(name + ": score at rank " + i)
            .isCloseTo(other.get(i).get("score").asDouble(), Offset.offset(SCORE_TOLERANCE));
      }
    }
  }

  private static void compareRows(SoftAssertions soft, String name, List<Map<String, Object>> ours, JsonNode theirs) {
    Map<Long, Map<String, String>> mine = new TreeMap<>();
    for (Map<String, Object> row : ours) {
      Map<String, String> r = new TreeMap<>();
      row.forEach((k, v) -> r.put(k, String.valueOf(v)));
      mine.put(((Number) row.get("id")).longValue(), r);
    }
    Map<Long, Map<String, String>> other = new TreeMap<>();
    theirs.forEach(row -> {
      Map<String, String> r = new TreeMap<>();
      row.fields().forEachRemaining(e -> r.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
          : e.getValue().toString()));
      other.put(row.get("id").asLong(), r);
    });
    soft.assertThat(mine).as(name + ": rows").isEqualTo(other);
    soft.assertThat(mine).as(name + ": some rows").isNotEmpty();
  }
}
