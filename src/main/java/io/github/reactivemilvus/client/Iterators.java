package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.QueryRequest;
import io.github.reactivemilvus.proto.SearchRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The paged reads of {@link MilvusClient}: the query iterator (pages in primary key order) and
 * the search iterator (range searches from the last page's worst score), both over {@link Paging}.
 */
final class Iterators {
  private final MilvusStub stub;
  private final SchemaCache schemas;

  Iterators(MilvusStub stub, SchemaCache schemas) {
    this.stub = stub;
    this.schemas = schemas;
  }

  /** Now as a Milvus hybrid timestamp: physical milliseconds shifted past the 18 logical bits. */
  static long clientTimestamp() {
    return System.currentTimeMillis() << 18;
  }

  /**
   * All rows matching the query, fetched in pages of {@code pageSize} ordered by primary key,
   * a page only when downstream asks for a row the previous pages did not hold, one page at a
   * time; cancelling stops paging and cancels the page in flight. The query's limit (if any)
   * bounds the total; its offset is not supported here.
   */
  Flux<Map<String, Object>> queryIterator(Query query, int pageSize) {
    Objects.requireNonNull(query, "query");
    if (pageSize <= 0 || pageSize > 16_384) {
      return Flux.error(new IllegalArgumentException("pageSize must be 1 to 16384, was " + pageSize));
    }
    if (query.offset != 0) {
      return Flux.error(new IllegalArgumentException("queryIterator does not support an offset"));
    }
    Flux<Map<String, Object>> rows = schemas.get(query.collection).flatMapMany(codec -> {
      FieldSchema pk = codec.requirePrimary();
      // the first page's snapshot (the server's session_ts, else a client-side timestamp as pymilvus
      // falls back to) pins every later page: rows written while iterating are not returned
      AtomicLong snapshot = new AtomicLong();
      return Paging.<Object, Map<String, Object>>flux(NO_CURSOR, last -> {
        String filter = Requests.and(query.filter, last == NO_CURSOR ? "" : pk.getName() + " > " + Requests.literal(pk, last));
        QueryRequest request = Requests.queryRequest(query, filter, pageSize, 0, true);
        long pinned = snapshot.get();
        if (pinned > 0) {
          request = request.toBuilder().setGuaranteeTimestamp(pinned).build();
        }
        return stub.call(MilvusServiceGrpc.getQueryMethod(), request).map(r -> {
          snapshot.compareAndSet(0, r.getSessionTs() > 0 ? r.getSessionTs() : clientTimestamp());
          List<Map<String, Object>> page = new ArrayList<>(Responses.rows(r));
          page.sort(Comparator.comparing(row -> (Comparable<Object>) comparable(row.get(pk.getName()))));
          Object next = page.size() < pageSize ? null : page.get(page.size() - 1).get(pk.getName());
          return new Paging.Page<>(page, next);
        });
      });
    });
    return query.limit > 0 ? rows.take(query.limit, true) : rows;
  }

  /**
   * The hits of one query vector in pages of {@code pageSize}, best first, up to {@code limit}
   * of the search: each next page is a range search starting at the last page's worst score
   * (excluding the keys already returned at that score), fetched only when downstream asks for
   * more; cancelling stops paging. The metric must be given ({@link Search.Builder#metricType}).
   */
  Flux<Hit> searchIterator(Search search, int pageSize) {
    Objects.requireNonNull(search, "search");
    if (search.vectors.size() != 1) {
      return Flux.error(new IllegalArgumentException("searchIterator takes one query vector, got " + search.vectors.size()));
    }
    if (pageSize <= 0 || pageSize > 16_384) {
      return Flux.error(new IllegalArgumentException("pageSize must be 1 to 16384, was " + pageSize));
    }
    if (search.offset != 0) {
      return Flux.error(new IllegalArgumentException("searchIterator does not support an offset"));
    }
    // the probe sends the collection's id: a collection re-created meanwhile is described again
    return schemas.withSchema(search.collection, codec -> probe(codec, search))
        .flatMapMany(probe -> probe.token().isEmpty()
            ? pagesByRange(probe.codec(), search, pageSize)
            // pinned to the probe's snapshot; a server that gives no session timestamp gets the client's clock
            : pagesOnTheServer(probe.codec(), search, pageSize, probe.sessionTs() > 0 ? probe.sessionTs() : clientTimestamp()));
  }

  /**
   * Asks the server for a one-hit page of a server-side iterator, as pymilvus does: a server with
   * Search Iterator V2 answers with a token, and its session timestamp pins every
   * page to one snapshot; any other server answers a plain search, without a token.
   */
  private Mono<IteratorProbe> probe(RowEncoder codec, Search search) {
    SearchRequest request = serverIteratorRequest(codec, search.toBuilder().limit(1).build(), 1, null, 0);
    return stub.call(MilvusServiceGrpc.getSearchMethod(), request).map(r -> new IteratorProbe(codec,
        r.getResults().hasSearchIteratorV2Results() ? r.getResults().getSearchIteratorV2Results().getToken() : "",
        r.getSessionTs()));
  }

  private record IteratorProbe(RowEncoder codec, String token, long sessionTs) {}

  /** The server keeps the iterator: each page sends its token and the last page's worst score. */
  private Flux<Hit> pagesOnTheServer(RowEncoder codec, Search search, int pageSize, long sessionTs) {
    Search page = search.toBuilder().limit(pageSize).build();
    Flux<Hit> hits = Paging.<ServerCursor, Hit>flux(new ServerCursor("", Float.NaN), cursor -> {
      SearchRequest request = serverIteratorRequest(codec, page, pageSize, cursor, sessionTs);
      return stub.call(MilvusServiceGrpc.getSearchMethod(), request).map(r -> {
        List<Hit> list = Responses.hits(codec, r).get(0);
        if (list.isEmpty()) {
          return new Paging.Page<ServerCursor, Hit>(list, null);
        }
        if (!r.getResults().hasSearchIteratorV2Results() || r.getResults().getSearchIteratorV2Results().getToken().isEmpty()) {
          throw new IllegalStateException("the server stopped answering with a search iterator token for collection '"
              + search.collection + "'");
        }
        var info = r.getResults().getSearchIteratorV2Results();
        // the token is the iterator's for its whole life: the first page's is kept
        String token = cursor.token().isEmpty() ? info.getToken() : cursor.token();
        return new Paging.Page<>(list, new ServerCursor(token, info.getLastBound()));
      });
    });
    return hits.take(search.limit, true);
  }

  /** The iterator's parameters as pymilvus sends them; the first page has no token and no bound. */
  private static SearchRequest serverIteratorRequest(RowEncoder codec, Search search, int batchSize,
      @Nullable ServerCursor cursor, long sessionTs) {
    SearchRequest.Builder b = Requests.searchRequest(codec, search).toBuilder()
        .addSearchParams(Requests.kv("iterator", "True"))
        .addSearchParams(Requests.kv("search_iter_v2", "True"))
        .addSearchParams(Requests.kv("search_iter_batch_size", Integer.toString(batchSize)))
        .addSearchParams(Requests.kv("collection_id", Long.toString(codec.collectionId())));
    if (cursor != null && !cursor.token().isEmpty()) {
      b.addSearchParams(Requests.kv("search_iter_last_bound", Float.toString(cursor.lastBound())))
          .addSearchParams(Requests.kv("search_iter_id", cursor.token()));
    }
    if (sessionTs > 0) { // the probe itself reads the latest data
      b.setGuaranteeTimestamp(sessionTs);
    }
    return b.build();
  }

  private record ServerCursor(String token, float lastBound) {}

  /**
   * Without a server-side iterator: each next page is a range search from the last page's worst
   * score, excluding the keys already returned at that score.
   */
  private Flux<Hit> pagesByRange(RowEncoder codec, Search search, int pageSize) {
    if (search.metricType.isEmpty()) {
      return Flux.error(new IllegalArgumentException("searchIterator needs the metric type (L2, IP or COSINE) on a server"
          + " without the server-side search iterator (Search Iterator V2)"));
    }
    boolean smallerIsBetter = search.metricType.equalsIgnoreCase("L2") || search.metricType.equalsIgnoreCase("HAMMING")
        || search.metricType.equalsIgnoreCase("JACCARD");
    FieldSchema pk = codec.requirePrimary();
    Flux<Hit> hits = Paging.<SearchCursor, Hit>flux(null, cursor -> {
      Search.Builder page = search.toBuilder().limit(pageSize).offset(0);
      if (cursor != null) {
        page.filter(Requests.and(search.filter, pk.getName() + " not in " + Requests.listLiteral(pk, cursor.idsAtBound)));
        page.param("range_filter", cursor.bound);
        // the caller's radius still bounds the far side; without one, the pages run to the end
        page.param("radius", search.params.getOrDefault("radius", smallerIsBetter ? Float.MAX_VALUE : -Float.MAX_VALUE));
      }
      return stub.call(MilvusServiceGrpc.getSearchMethod(), Requests.searchRequest(codec, page.build())).map(r -> {
        List<Hit> list = Responses.hits(codec, r).get(0);
        if (list.size() < pageSize) {
          return new Paging.Page<SearchCursor, Hit>(list, null);
        }
        float bound = list.get(list.size() - 1).score();
        List<Object> ids = new ArrayList<>(cursor != null && cursor.bound == bound ? cursor.idsAtBound : List.of());
        list.stream().filter(h -> h.score() == bound).forEach(h -> ids.add(h.id()));
        return new Paging.Page<>(list, new SearchCursor(bound, ids));
      });
    });
    return hits.take(search.limit, true);
  }

  private record SearchCursor(float bound, List<Object> idsAtBound) {}

  private static final Object NO_CURSOR = new Object();

  private static Object comparable(@Nullable Object v) {
    return v instanceof Comparable<?> ? v : String.valueOf(v);
  }
}
