package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.proto.IDs;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.SearchIteratorV2Results;
import io.github.reactivemilvus.proto.SearchRequest;
import io.github.reactivemilvus.proto.SearchResultData;
import io.github.reactivemilvus.proto.SearchResults;
import io.github.reactivemilvus.proto.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * What {@code searchIterator} sends, on a server with the server-side Search Iterator V2 and on one
 * without. No test server has V2 (both Milvus Lites answer its probe with a plain search, and Milvus
 * 2.3.5 predates it), so a fake server plays it here: seven hits (ids 1 to 7, L2 distances 0.1 to
 * 0.7), handed out in order after the bound each page sends, with one token and a session timestamp.
 * The fallback on real servers is {@code IteratorsAgainstMilvusLiteTest}.
 */
class SearchIteratorRequestTest {
  private static final Duration WAIT = FakeCollectionServer.WAIT;
  private static final long SESSION_TS = 4242L;
  private final List<SearchRequest> searches = new CopyOnWriteArrayList<>();
  private volatile boolean serverSideIterator = true;
  private volatile long collectionId = 1;
  private final Fake fake = new Fake();
  private MilvusClient client;

  @BeforeEach
  void start() throws Exception {
    client = fake.start();
  }

  @AfterEach
  void stop() throws Exception {
    fake.close();
  }

  private static Search search(int limit) {
    return Search.builder("docs").vector(new float[] {1, 0}).metricType("L2").limit(limit).build();
  }

  private static Map<String, String> params(SearchRequest request) {
    Map<String, String> params = new HashMap<>();
    for (KeyValuePair kv : request.getSearchParamsList()) {
      params.put(kv.getKey(), kv.getValue());
    }
    return params;
  }

  @Test
  void aServerWithTheServerSideIteratorKeepsItAndEveryPageSendsTheTokenTheBoundAndTheSnapshot() {
    List<Object> ids = client.searchIterator(search(100), 3).map(Hit::id).collectList().block(WAIT);

    assertThat(ids).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(searches).hasSize(5); // the probe, three pages, the empty page that ends it
    Map<String, String> probe = params(searches.get(0));
    assertThat(probe).containsEntry("iterator", "True").containsEntry("search_iter_v2", "True")
        .containsEntry("search_iter_batch_size", "1").containsEntry("topk", "1").containsEntry("collection_id", "1")
        .doesNotContainKeys("search_iter_id", "search_iter_last_bound");
    Map<String, String> first = params(searches.get(1));
    assertThat(first).containsEntry("search_iter_batch_size", "3").containsEntry("topk", "3")
        .doesNotContainKeys("search_iter_id", "search_iter_last_bound");
    assertThat(params(searches.get(2))).containsEntry("search_iter_id", "token-1").containsEntry("search_iter_last_bound", "0.3");
    assertThat(params(searches.get(3))).containsEntry("search_iter_id", "token-1").containsEntry("search_iter_last_bound", "0.6");
    assertThat(params(searches.get(4))).containsEntry("search_iter_last_bound", "0.7");
    assertThat(searches.subList(1, 5)).allSatisfy(r -> assertThat(r.getGuaranteeTimestamp()).isEqualTo(SESSION_TS));
  }

  @Test
  void theSearchLimitEndsTheIteratorWithoutAnotherPage() {
    List<Object> ids = client.searchIterator(search(4), 3).map(Hit::id).collectList().block(WAIT);

    assertThat(ids).containsExactly(1L, 2L, 3L, 4L);
    assertThat(searches).hasSize(3);
  }

  @Test
  void aPageIsFetchedOnlyWhenDownstreamAsksForMoreThanThePagesHeld() {
    StepVerifier.create(client.searchIterator(search(100), 3).map(Hit::id), 0)
        .thenRequest(3)
        .expectNext(1L, 2L, 3L)
        .then(() -> assertThat(searches).hasSize(2))
        .thenRequest(1)
        .expectNext(4L)
        .then(() -> assertThat(searches).hasSize(3))
        .thenCancel()
        .verify(WAIT);
  }

  @Test
  void aCollectionReCreatedSinceItsSchemaWasCachedIsDescribedAgainAndTheProbeSentWithItsNewId() {
    assertThat(client.searchIterator(search(2), 2).count().block(WAIT)).isEqualTo(2);
    collectionId = 2; // dropped and created again elsewhere: the proxy refuses the old id
    searches.clear();

    assertThat(client.searchIterator(search(2), 2).map(Hit::id).collectList().block(WAIT)).containsExactly(1L, 2L);
    assertThat(searches).extracting(r -> params(r).get("collection_id")).containsExactly("1", "2", "2");
  }

  @Test
  void aServerWithoutItGetsRangeSearchesAfterTheProbe() {
    serverSideIterator = false;
    List<Object> ids = client.searchIterator(search(100), 10).map(Hit::id).collectList().block(WAIT);

    assertThat(ids).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(searches).hasSize(2); // the probe, then one page shorter than the page size
    assertThat(params(searches.get(0))).containsEntry("search_iter_v2", "True");
    assertThat(params(searches.get(1))).doesNotContainKeys("iterator", "search_iter_v2", "search_iter_id")
        .containsEntry("topk", "10");
    assertThat(searches.get(1).getGuaranteeTimestamp()).isZero();
  }

  @Test
  void aServerWithoutItNeedsTheMetricType() {
    serverSideIterator = false;
    StepVerifier.create(client.searchIterator(Search.builder("docs").vector(new float[] {1, 0}).build(), 10))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metric type"))
        .verify(WAIT);
  }

  /** Search over seven hits, on the collection of {@link FakeCollectionServer} under a changeable id. */
  private final class Fake extends FakeCollectionServer {
    @Override
    long collectionId() {
      return collectionId;
    }

    @Override
    public void search(SearchRequest request, StreamObserver<SearchResults> response) {
      searches.add(request);
      Map<String, String> params = params(request);
      if (params.containsKey("collection_id") && Long.parseLong(params.get("collection_id")) != collectionId) {
        response.onNext(SearchResults.newBuilder().setStatus(Status.newBuilder().setCode(1100)
            .setReason("collection id not consistent: the alias or database may have been changed")).build());
        response.onCompleted();
        return;
      }
      int topk = Integer.parseInt(params.get("topk"));
      boolean v2 = serverSideIterator && "True".equals(params.get("search_iter_v2"));
      float after = v2 && params.containsKey("search_iter_last_bound") ? Float.parseFloat(params.get("search_iter_last_bound")) : 0f;
      SearchResultData.Builder data = SearchResultData.newBuilder().setNumQueries(1).setTopK(topk);
      LongArray.Builder ids = LongArray.newBuilder();
      float last = after;
      for (long id = 1; id <= 7 && ids.getDataCount() < topk; id++) {
        float distance = id / 10f;
        if (distance > after) {
          ids.addData(id);
          data.addScores(distance);
          last = distance;
        }
      }
      data.addTopks(ids.getDataCount()).setIds(IDs.newBuilder().setIntId(ids));
      SearchResults.Builder results = SearchResults.newBuilder().setStatus(Status.getDefaultInstance());
      if (v2) {
        data.setSearchIteratorV2Results(SearchIteratorV2Results.newBuilder().setToken("token-1").setLastBound(last));
        results.setSessionTs(SESSION_TS);
      }
      response.onNext(results.setResults(data).build());
      response.onCompleted();
    }
  }
}
