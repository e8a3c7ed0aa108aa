package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.Hit;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.Search;
import io.milvus.client.MilvusServiceClient;
import io.milvus.param.ConnectParam;
import io.milvus.param.MetricType;
import io.milvus.param.R;
import io.milvus.param.dml.SearchParam;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;

/**
 * A closed-loop top-10 search load of one client: {@link #start} keeps {@code concurrency} searches
 * (one 128-dimension query vector each, L2, no filter, no output fields) in flight until {@link
 * #stop}, recording each search's latency and calling {@code onComplete} per result. Every result is
 * checked to hold 10 hits.
 *
 * <ul>
 *   <li>{@code ours}: {@code Flux.generate(..).flatMap(i -> client.search(search), N)} on the typed
 *       {@code MilvusClient} (hits decoded into {@code List<List<Hit>>}), one channel (the default
 *       {@code pool_size} 1): every call's work after the first runs on that channel's event loop.
 *   <li>{@code ours-pool2}: the same with {@code pool_size} 2: two channels, two event loops.
 *   <li>{@code ours-parallel}: as {@code ours}, the client made with {@code
 *       withCodecScheduler(Schedulers.parallel())}: results are decoded on Reactor's parallel
 *       scheduler instead of the channel's event loop.
 *   <li>{@code insert} and {@code insert-parallel} (not searches: the write side of the codec
 *       scheduler comparison): each call {@code MilvusClient.insert} of one batch of 1,000 prebuilt
 *       rows (Int64 id, 128-d vector, title: 565 KB on the wire), encoded on the thread that asks for
 *       the batch (the default) or on {@code Schedulers.parallel()} ({@code withCodecScheduler}).
 *   <li>{@code sdk}: {@code MilvusClientV2.search(SearchReq)} (blocking) in a loop on N threads of a
 *       256-thread pool, one shared client.
 *   <li>{@code sdk-async}: the SDK's asynchronous search, {@code MilvusServiceClient.searchAsync}
 *       (the V1 client; {@code MilvusClientV2} 2.6.22 has no asynchronous search): N chains, each
 *       result's callback (direct executor) issues the next search.
 * </ul>
 */
final class SearchLoad implements AutoCloseable, PairedRounds.Load {
  static final String ALIAS = "search";
  static final int QUERIES = 64;

  final String impl;
  private ReactiveConnections registry;
  private MilvusClient client;
  private MilvusClientV2 sdk;
  private MilvusServiceClient sdkV1;
  private ExecutorService sdkThreads;

  private final List<Search> searches = new ArrayList<>();
  private final List<java.util.Map<String, Object>> insertRows = new ArrayList<>();
  private io.github.reactivemilvus.client.WriteOptions insertOptions;
  private final List<SearchReq> sdkSearches = new ArrayList<>();
  private final List<SearchParam> sdkAsyncSearches = new ArrayList<>();

  private final ClosedLoop loop;

  SearchLoad(String impl, int port) {
    this.impl = impl;
    this.loop = new ClosedLoop(impl);
    Random random = new Random(11);
    List<float[]> vectors = new ArrayList<>();
    for (int q = 0; q < QUERIES; q++) {
      float[] v = new float[DataRpcs.DIM];
      for (int d = 0; d < v.length; d++) {
        v[d] = random.nextFloat();
      }
      vectors.add(v);
    }
    switch (impl) {
      case "insert", "insert-parallel" -> {
        registry = ReactiveConnections.create();
        registry.addConnection(ALIAS, Support.ourConfig(port, 1)).block(Duration.ofSeconds(10));
        client = MilvusClient.of(registry, ALIAS);
        if (impl.equals("insert-parallel")) {
          client = client.withCodecScheduler(reactor.core.scheduler.Schedulers.parallel());
        }
        for (int i = 0; i < 1000; i++) {
          insertRows.add(java.util.Map.of("id", (long) i, "vector", vectors.get(i % QUERIES),
              "title", "title of document " + i + " in the benchmark collection"));
        }
        insertOptions = io.github.reactivemilvus.client.WriteOptions.DEFAULTS.withBatchRows(1000);
        client.insert(DataRpcs.COLLECTION, Flux.fromIterable(insertRows), insertOptions).blockLast(Duration.ofSeconds(30));
      }
      case "ours", "ours-pool2", "ours-parallel" -> {
        registry = ReactiveConnections.create();
        registry.addConnection(ALIAS, Support.ourConfig(port, impl.equals("ours-pool2") ? 2 : 1)).block(Duration.ofSeconds(10));
        client = MilvusClient.of(registry, ALIAS);
        if (impl.equals("ours-parallel")) {
          client = client.withCodecScheduler(reactor.core.scheduler.Schedulers.parallel());
        }
        for (float[] v : vectors) {
          searches.add(Search.builder(DataRpcs.COLLECTION).vector(v).limit(DataRpcs.TOP_K).metricType("L2").build());
        }
        client.search(searches.get(0)).block(Duration.ofSeconds(10)); // describes the collection once
      }
      case "sdk" -> {
        sdk = new MilvusClientV2(Support.sdkConfig(port));
        sdkThreads = Executors.newFixedThreadPool(256);
        ((ThreadPoolExecutor) sdkThreads).prestartAllCoreThreads();
        for (float[] v : vectors) {
          sdkSearches.add(SearchReq.builder().collectionName(DataRpcs.COLLECTION).annsField("vector")
              .metricType(io.milvus.v2.common.IndexParam.MetricType.L2)
              .topK(DataRpcs.TOP_K).data(List.of(new FloatVec(v))).build());
        }
      }
      case "sdk-async" -> {
        sdkV1 = new MilvusServiceClient(ConnectParam.newBuilder()
            .withUri("http://" + LoopbackMilvusServer.HOST + ":" + port)
            .withConnectTimeout(10, TimeUnit.SECONDS)
            .build());
        for (float[] v : vectors) {
          List<Float> boxed = new ArrayList<>(v.length);
          for (float f : v) {
            boxed.add(f);
          }
          sdkAsyncSearches.add(SearchParam.newBuilder().withCollectionName(DataRpcs.COLLECTION)
              .withVectorFieldName("vector").withMetricType(MetricType.L2).withTopK(DataRpcs.TOP_K)
              .withFloatVectors(List.of(boxed)).build());
        }
      }
      default -> throw new IllegalArgumentException("unknown impl " + impl);
    }
  }

  @Override
  public void start(int concurrency, Recorder recorder, Runnable onComplete) {
    AtomicInteger next = new AtomicInteger();
    switch (impl) {
      case "ours", "ours-pool2", "ours-parallel" -> loop.flatMap(concurrency, recorder, onComplete,
          () -> client.search(searches.get(next.getAndIncrement() & (QUERIES - 1))).doOnNext(hits -> check(hits.get(0).size())));
      case "insert", "insert-parallel" -> loop.flatMap(concurrency, recorder, onComplete,
          () -> client.insert(DataRpcs.COLLECTION, Flux.fromIterable(insertRows), insertOptions).doOnNext(r -> {
            if (r.insertCount() != insertRows.size()) {
              throw new IllegalStateException("expected " + insertRows.size() + " rows acknowledged, got " + r.insertCount());
            }
          }).last());
      case "sdk" -> loop.threads(sdkThreads, concurrency, recorder, onComplete, () -> {
        SearchResp r = sdk.search(sdkSearches.get(next.getAndIncrement() & (QUERIES - 1)));
        check(r.getSearchResults().get(0).size());
        return r;
      });
      default -> loop.chains(concurrency, recorder, onComplete, done -> ClosedLoop.whenDone(
          sdkV1.searchAsync(sdkAsyncSearches.get(next.getAndIncrement() & (QUERIES - 1))), r -> {
            if (r.getStatus() != R.Status.Success.getCode()) {
              throw new IllegalStateException("search failed: " + r.getMessage(), r.getException());
            }
            check((int) r.getData().getResults().getTopks(0));
          }, done));
    }
  }

  /** Stops issuing searches and waits for the ones in flight. */
  @Override
  public void stop() throws InterruptedException {
    loop.stop();
  }

  private static void check(int hits) {
    int expected = DataRpcs.LARGE_SEARCH_REPLY != null ? DecodeFloor.TOP_K : DataRpcs.TOP_K;
    if (hits != expected) {
      throw new IllegalStateException("expected " + expected + " hits, got " + hits);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (registry != null) {
      registry.closeGracefully().block(Duration.ofSeconds(10));
    }
    if (sdk != null) {
      sdk.close();
    }
    if (sdkV1 != null) {
      sdkV1.close(5);
    }
    Support.shutdown(sdkThreads);
  }
}
