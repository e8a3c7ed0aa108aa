package io.github.reactivemilvus.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.Hit;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.Search;
import io.github.reactivemilvus.client.WriteResult;
import io.milvus.client.MilvusServiceClient;
import io.milvus.param.ConnectParam;
import io.milvus.param.MetricType;
import io.milvus.param.R;
import io.milvus.param.dml.InsertParam;
import io.milvus.param.dml.SearchParam;
import io.milvus.response.SearchResultsWrapper;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The service of the service benchmark: a Spring WebFlux application (functional routes served by
 * Reactor Netty, JSON written by Jackson) with two routes, built on one of three Milvus clients.
 *
 * <ul>
 *   <li>{@code GET /search?q=N}: a top-10 search (L2, no filter) of prebuilt query vector {@code N mod
 *       64}; the answer is the hits of the query, {@code [{"id":..,"score":..}, ...]}.
 *   <li>{@code POST /insert?q=N}: inserts {@link #INSERT_ROWS} rows (Int64 id, 128-d vector, title);
 *       the answer is {@code {"inserted": 10}}.
 * </ul>
 *
 * <p>Backends: {@code ours} ({@link MilvusClient}, the default callback executor: everything after
 * the call runs on the channel's event loop), {@code sdk-blocking} ({@code MilvusClientV2} calls in
 * {@code Mono.fromCallable(..).subscribeOn(Schedulers.boundedElastic())}, what a WebFlux service
 * does with a blocking client), {@code sdk-async} (the SDK's own asynchronous calls:
 * {@code MilvusServiceClient.searchAsync} / {@code insertAsync}, Guava futures adapted with
 * {@code Mono.create}; {@code MilvusClientV2} 2.6.22 has none).
 */
final class ServiceApp implements AutoCloseable {
  static final int INSERT_ROWS = 10;
  static final int QUERIES = 64;

  /** One hit of the JSON answer. */
  record HitJson(Object id, float score) {}

  /** The JSON answer of an insert. */
  record InsertJson(long inserted) {}

  interface Backend extends AutoCloseable {
    Mono<List<HitJson>> search(int q);

    Mono<InsertJson> insert(int q);

    @Override
    void close();
  }

  private final Backend backend;
  private final DisposableServer http;

  ServiceApp(Backend backend) {
    this.backend = backend;
    RouterFunction<ServerResponse> routes = RouterFunctions.route()
        .GET("/search", this::search)
        .POST("/insert", this::insert)
        .GET("/ping", r -> ServerResponse.ok().bodyValue("ok"))
        .build();
    http = HttpServer.create()
        .host(LoopbackMilvusServer.HOST)
        .port(0)
        .handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(routes)))
        .bindNow(Duration.ofSeconds(10));
  }

  int port() {
    return http.port();
  }

  private Mono<ServerResponse> search(ServerRequest request) {
    int q = request.queryParam("q").map(Integer::parseInt).orElse(0);
    return backend.search(q).flatMap(hits -> ServerResponse.ok().bodyValue(hits));
  }

  private Mono<ServerResponse> insert(ServerRequest request) {
    int q = request.queryParam("q").map(Integer::parseInt).orElse(0);
    return backend.insert(q).flatMap(r -> ServerResponse.ok().bodyValue(r));
  }

  @Override
  public void close() {
    http.disposeNow(Duration.ofSeconds(10));
    backend.close();
  }

  static Backend backend(String variant, int port) {
    return switch (variant) {
      case "ours" -> new Ours(port);
      case "sdk-blocking" -> new SdkBlocking(port);
      case "sdk-async" -> new SdkAsync(port);
      default -> throw new IllegalArgumentException("unknown variant " + variant);
    };
  }

  /** The prebuilt query vectors and row values, the same for every backend. */
  static final class Data {
    final float[][] vectors = new float[QUERIES][];
    final JsonArray[] jsonVectors = new JsonArray[QUERIES];
    final String[] titles = new String[QUERIES];

    Data() {
      Random random = new Random(17);
      for (int q = 0; q < QUERIES; q++) {
        float[] v = new float[DataRpcs.DIM];
        JsonArray j = new JsonArray(DataRpcs.DIM);
        for (int d = 0; d < v.length; d++) {
          v[d] = random.nextFloat();
          j.add(v[d]);
        }
        vectors[q] = v;
        jsonVectors[q] = j;
        titles[q] = "title of document " + q + " in the benchmark collection";
      }
    }

    List<Map<String, Object>> rows(int q) {
      List<Map<String, Object>> rows = new ArrayList<>(INSERT_ROWS);
      for (int i = 0; i < INSERT_ROWS; i++) {
        int k = (q + i) & (QUERIES - 1);
        rows.add(Map.of("id", (long) q * INSERT_ROWS + i, "vector", vectors[k], "title", titles[k]));
      }
      return rows;
    }

    List<JsonObject> jsonRows(int q) {
      List<JsonObject> rows = new ArrayList<>(INSERT_ROWS);
      for (int i = 0; i < INSERT_ROWS; i++) {
        int k = (q + i) & (QUERIES - 1);
        JsonObject row = new JsonObject();
        row.addProperty("id", (long) q * INSERT_ROWS + i);
        row.add("vector", jsonVectors[k]);
        row.addProperty("title", titles[k]);
        rows.add(row);
      }
      return rows;
    }
  }

  static final class Ours implements Backend {
    private final ReactiveConnections registry = ReactiveConnections.create();
    private final MilvusClient client;
    private final Data data = new Data();
    private final List<Search> searches = new ArrayList<>();

    Ours(int port) {
      registry.addConnection("service", Support.ourConfig(port)).block(Duration.ofSeconds(10));
      client = MilvusClient.of(registry, "service");
      for (float[] v : data.vectors) {
        searches.add(Search.builder(DataRpcs.COLLECTION).vector(v).limit(DataRpcs.TOP_K).metricType("L2").build());
      }
    }

    @Override
    public Mono<List<HitJson>> search(int q) {
      return client.search(searches.get(q & (QUERIES - 1))).map(hits -> {
        List<HitJson> out = new ArrayList<>(hits.get(0).size());
        for (Hit h : hits.get(0)) {
          out.add(new HitJson(h.id(), h.score()));
        }
        return out;
      });
    }

    @Override
    public Mono<InsertJson> insert(int q) {
      return client.insert(DataRpcs.COLLECTION, Flux.fromIterable(data.rows(q)))
          .map(WriteResult::insertCount)
          .reduce(0L, Long::sum)
          .map(InsertJson::new);
    }

    @Override
    public void close() {
      registry.closeGracefully().block(Duration.ofSeconds(10));
    }
  }

  static final class SdkBlocking implements Backend {
    private final MilvusClientV2 sdk;
    private final Data data = new Data();
    private final List<SearchReq> searches = new ArrayList<>();

    SdkBlocking(int port) {
      sdk = new MilvusClientV2(Support.sdkConfig(port));
      for (float[] v : data.vectors) {
        searches.add(SearchReq.builder().collectionName(DataRpcs.COLLECTION).annsField("vector")
            .metricType(io.milvus.v2.common.IndexParam.MetricType.L2)
            .topK(DataRpcs.TOP_K).data(List.of(new FloatVec(v))).build());
      }
    }

    @Override
    public Mono<List<HitJson>> search(int q) {
      return Mono.fromCallable(() -> {
        SearchResp r = sdk.search(searches.get(q & (QUERIES - 1)));
        List<SearchResp.SearchResult> hits = r.getSearchResults().get(0);
        List<HitJson> out = new ArrayList<>(hits.size());
        for (SearchResp.SearchResult h : hits) {
          out.add(new HitJson(h.getId(), h.getScore()));
        }
        return out;
      }).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<InsertJson> insert(int q) {
      return Mono.fromCallable(() -> new InsertJson(sdk.insert(InsertReq.builder().collectionName(DataRpcs.COLLECTION)
          .data(data.jsonRows(q)).build()).getInsertCnt())).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public void close() {
      sdk.close();
    }
  }

  static final class SdkAsync implements Backend {
    private final MilvusServiceClient sdk;
    private final Data data = new Data();
    private final List<SearchParam> searches = new ArrayList<>();

    SdkAsync(int port) {
      sdk = new MilvusServiceClient(ConnectParam.newBuilder()
          .withUri("http://" + LoopbackMilvusServer.HOST + ":" + port)
          .withConnectTimeout(10, TimeUnit.SECONDS)
          .build());
      for (float[] v : data.vectors) {
        List<Float> boxed = new ArrayList<>(v.length);
        for (float f : v) {
          boxed.add(f);
        }
        searches.add(SearchParam.newBuilder().withCollectionName(DataRpcs.COLLECTION)
            .withVectorFieldName("vector").withMetricType(MetricType.L2).withTopK(DataRpcs.TOP_K)
            .withFloatVectors(List.of(boxed)).build());
      }
    }

    @Override
    public Mono<List<HitJson>> search(int q) {
      return mono(() -> sdk.searchAsync(searches.get(q & (QUERIES - 1)))).map(r -> {
        List<SearchResultsWrapper.IDScore> hits = new SearchResultsWrapper(r.getResults()).getIDScore(0);
        List<HitJson> out = new ArrayList<>(hits.size());
        for (SearchResultsWrapper.IDScore h : hits) {
          out.add(new HitJson(h.getLongID(), h.getScore()));
        }
        return out;
      });
    }

    @Override
    public Mono<InsertJson> insert(int q) {
      return mono(() -> sdk.insertAsync(InsertParam.newBuilder().withCollectionName(DataRpcs.COLLECTION)
          .withRows(data.jsonRows(q)).build())).map(r -> new InsertJson(r.getInsertCnt()));
    }

    /** A cold Mono of an R-wrapped future: a non-success R fails it. */
    private static <T> Mono<T> mono(java.util.function.Supplier<ListenableFuture<R<T>>> call) {
      return Mono.create(sink -> {
        ListenableFuture<R<T>> f = call.get();
        sink.onCancel(() -> f.cancel(false));
        Futures.addCallback(f, new FutureCallback<R<T>>() {
          @Override
          public void onSuccess(R<T> r) {
            if (r.getStatus() != R.Status.Success.getCode()) {
              sink.error(new IllegalStateException("SDK call failed: " + r.getMessage(), r.getException()));
            } else {
              sink.success(r.getData());
            }
          }

          @Override
          public void onFailure(Throwable t) {
            sink.error(t);
          }
        }, MoreExecutors.directExecutor());
      });
    }

    @Override
    public void close() {
      try {
        sdk.close(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
