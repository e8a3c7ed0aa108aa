package io.github.reactivemilvus.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.WriteOptions;
import io.github.reactivemilvus.client.WriteResult;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.response.InsertResp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * Benchmark 6: inserting {@code rows} rows (Int64 {@code id}, 128-dimension FloatVector {@code
 * vector}, VarChar {@code title}) into the loopback server, one invocation per million rows
 * (single shot: the score is seconds per {@code rows} rows; rows/s = rows / score; {@code -prof gc}
 * B/op divided by {@code rows} is bytes allocated per row, client and loopback server together).
 *
 * <ul>
 *   <li>{@code ours}: {@code MilvusClient.insert(collection, Flux<Map>, WriteOptions)}, batches of
 *       {@code batch} rows, at most {@code inflight} batches in flight; the rows are made by the Flux
 *       as it is pulled ({@code Map.of} per row). One channel (the default {@code pool_size} 1):
 *       rows are pulled, converted and sent from the thread that completes a batch, its event loop.
 *   <li>{@code ours-pool2}: the same with {@code pool_size} 2 (two channels, two event loops).
 *   <li>{@code sdk}: {@code MilvusClientV2.insert(InsertReq)} (blocking) on {@code inflight} threads,
 *       each taking the next batch of {@code batch} rows, made as {@code List<JsonObject>} (the SDK's
 *       row type) just before its call.
 * </ul>
 *
 * <p>Both draw their vectors and titles from the same 1,024 prebuilt ones (a {@code float[]} for
 * ours, the same values as a Gson {@code JsonArray} for the SDK), so making a row costs both only
 * a map or JSON object of three entries; what differs is what each client does with it. Both
 * describe the collection once (the SDK and our client cache the schema) against the loopback
 * server's prebuilt schema; the server answers every Insert with a success MutationResult holding
 * one id per row, and the benchmark checks that all rows were acknowledged.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class InsertBenchmark {
  static final String ALIAS = "data";
  static final int POOL = 1024;

  @Param({"ours", "ours-pool2", "sdk"})
  public String impl;

  @Param({"1000000"})
  public int rows;

  @Param({"1000"})
  public int batch;

  @Param({"4"})
  public int inflight;

  private LoopbackMilvusServer server;
  private ReactiveConnections registry;
  private MilvusClient client;
  private MilvusClientV2 sdk;
  private ExecutorService sdkThreads;

  private final float[][] vectors = new float[POOL][];
  private final JsonArray[] jsonVectors = new JsonArray[POOL];
  private final String[] titles = new String[POOL];

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(7);
    for (int i = 0; i < POOL; i++) {
      float[] v = new float[DataRpcs.DIM];
      JsonArray j = new JsonArray(DataRpcs.DIM);
      for (int d = 0; d < v.length; d++) {
        v[d] = random.nextFloat();
        j.add(v[d]);
      }
      vectors[i] = v;
      jsonVectors[i] = j;
      titles[i] = "title of document " + i + " in the benchmark collection";
    }
    server = LoopbackMilvusServer.start(1);
    switch (impl) {
      case "ours", "ours-pool2" -> {
        registry = ReactiveConnections.create();
        registry.addConnection(ALIAS, Support.ourConfig(server.port(), impl.equals("ours") ? 1 : 2))
            .block(Duration.ofSeconds(10));
        client = MilvusClient.of(registry, ALIAS);
      }
      case "sdk" -> {
        sdk = new MilvusClientV2(Support.sdkConfig(server.port()));
        sdkThreads = Executors.newFixedThreadPool(inflight);
      }
      default -> throw new IllegalArgumentException("unknown impl " + impl);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Support.record("InsertBenchmark", Support.map("impl", impl, "rows", rows, "batch", batch, "inflight", inflight),
        Support.map("insertRpcs", server.insertRpcs(), "insertedRows", server.insertedRows(),
            "describeRpcs", server.describeRpcs(), "otherMethods", server.otherMethods()));
    if (registry != null) {
      registry.closeGracefully().block(Duration.ofSeconds(10));
    }
    if (sdk != null) {
      sdk.close();
    }
    Support.shutdown(sdkThreads);
    server.close();
  }

  @Benchmark
  public long insert() throws Exception {
    long acknowledged = impl.equals("sdk") ? sdk() : ours();
    if (acknowledged != rows) {
      throw new IllegalStateException(impl + ": " + acknowledged + " of " + rows + " rows acknowledged");
    }
    return acknowledged;
  }

  private long ours() {
    WriteOptions options = WriteOptions.DEFAULTS.withBatchRows(batch).withMaxInFlight(inflight);
    Flux<Map<String, Object>> source = Flux.range(0, rows).map(this::row);
    Long acknowledged = client.insert(DataRpcs.COLLECTION, source, options)
        .map(WriteResult::insertCount)
        .reduce(0L, Long::sum)
        .block(Duration.ofMinutes(5));
    return acknowledged == null ? 0 : acknowledged;
  }

  private Map<String, Object> row(int i) {
    return Map.of("id", (long) i, "vector", vectors[i & (POOL - 1)], "title", titles[i & (POOL - 1)]);
  }

  private long sdk() throws Exception {
    AtomicLong nextBatch = new AtomicLong();
    long batches = (rows + (long) batch - 1) / batch;
    List<Future<Long>> workers = new ArrayList<>();
    for (int t = 0; t < inflight; t++) {
      workers.add(sdkThreads.submit(() -> {
        long acknowledged = 0;
        for (long b = nextBatch.getAndIncrement(); b < batches; b = nextBatch.getAndIncrement()) {
          int from = (int) (b * batch);
          int to = (int) Math.min(rows, from + (long) batch);
          List<JsonObject> data = new ArrayList<>(to - from);
          for (int i = from; i < to; i++) {
            JsonObject row = new JsonObject();
            row.addProperty("id", (long) i);
            row.add("vector", jsonVectors[i & (POOL - 1)]);
            row.addProperty("title", titles[i & (POOL - 1)]);
            data.add(row);
          }
          InsertResp r = sdk.insert(InsertReq.builder().collectionName(DataRpcs.COLLECTION).data(data).build());
          acknowledged += r.getInsertCnt();
        }
        return acknowledged;
      }));
    }
    long acknowledged = 0;
    for (Future<Long> w : workers) {
      acknowledged += w.get(5, TimeUnit.MINUTES);
    }
    return acknowledged;
  }
}
