package io.github.reactivemilvus.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.WriteOptions;
import io.github.reactivemilvus.client.WriteResult;
import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FloatArray;
import io.github.reactivemilvus.proto.InsertRequest;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.MutationResult;
import io.github.reactivemilvus.proto.ScalarField;
import io.github.reactivemilvus.proto.StringArray;
import io.github.reactivemilvus.proto.VectorField;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;

/**
 * Insert at the encoding floor: {@code InsertFloor ROWS ROUNDS}.
 *
 * <p>The same rows ({@code Map.of} of an Int64 {@code id}, a 128-d {@code float[]} and a title of
 * about 45 characters, made as they are pulled, vectors and titles from 1,024 prebuilt ones) are
 * inserted in batches of 1,000 rows, 4 in flight, into the loopback server running as a separate
 * process (so that everything allocated in this JVM is the client's):
 *
 * <ul>
 *   <li>{@code ours}: {@code MilvusClient.insert(collection, Flux<Map>, WriteOptions)}.
 *   <li>{@code floor}: raw grpc-java ({@code NettyChannelBuilder}, plaintext, {@code directExecutor},
 *       the future stub of the generated {@code MilvusServiceGrpc}): each batch's {@code InsertRequest}
 *       is built with the protobuf builders directly (its three columns filled from the rows with
 *       {@code addData}, no library code) and the next batch is sent from the callback of the last.
 * </ul>
 *
 * <p>Rounds alternate the two (order shuffled per round), each inserting ROWS rows; the first two
 * rounds are warm-up. Per round: rows/s and bytes allocated per row (all threads of this JVM,
 * {@link Alloc}). Payload: the serialized size of the floor's InsertRequests per row. Prints
 * {@code insert: ours/floor X.XXx, bytes allocated per row ours A / floor B / payload C} (medians).
 */
public final class InsertFloor {
  static final int POOL = 1024;
  static final int BATCH = 1000;
  static final int IN_FLIGHT = 4;

  private final float[][] vectors = new float[POOL][];
  private final String[] titles = new String[POOL];
  private final MilvusClient client;
  private final MilvusServiceGrpc.MilvusServiceFutureStub stub;
  private long payloadBytes;
  private long payloadRows;

  private InsertFloor(MilvusClient client, ManagedChannel channel) {
    this.client = client;
    this.stub = MilvusServiceGrpc.newFutureStub(channel);
    Random random = new Random(7);
    for (int i = 0; i < POOL; i++) {
      float[] v = new float[DataRpcs.DIM];
      for (int d = 0; d < v.length; d++) {
        v[d] = random.nextFloat();
      }
      vectors[i] = v;
      titles[i] = "title of document " + i + " in the benchmark collection";
    }
  }

  private Map<String, Object> row(int i) {
    return Map.of("id", (long) i, "vector", vectors[i & (POOL - 1)], "title", titles[i & (POOL - 1)]);
  }

  long ours(int rows) {
    WriteOptions options = WriteOptions.DEFAULTS.withBatchRows(BATCH).withMaxInFlight(IN_FLIGHT);
    Long n = client.insert(DataRpcs.COLLECTION, Flux.range(0, rows).map(this::row), options)
        .map(WriteResult::insertCount).reduce(0L, Long::sum).block(Duration.ofMinutes(5));
    return n == null ? 0 : n;
  }

  long floor(int rows) throws Exception {
    AtomicLong next = new AtomicLong();
    AtomicLong acknowledged = new AtomicLong();
    long batches = (rows + (long) BATCH - 1) / BATCH;
    List<CompletableFuture<Void>> chains = new ArrayList<>();
    for (int c = 0; c < IN_FLIGHT; c++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      chains.add(done);
      sendNext(next, batches, rows, acknowledged, done);
    }
    CompletableFuture.allOf(chains.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
    return acknowledged.get();
  }

  private void sendNext(AtomicLong next, long batches, int rows, AtomicLong acknowledged, CompletableFuture<Void> done) {
    long b = next.getAndIncrement();
    if (b >= batches) {
      done.complete(null);
      return;
    }
    int from = (int) (b * BATCH);
    int to = (int) Math.min(rows, from + (long) BATCH);
    InsertRequest request = request(from, to);
    Futures.addCallback(stub.insert(request), new FutureCallback<MutationResult>() {
      @Override
      public void onSuccess(MutationResult r) {
        acknowledged.addAndGet(r.getInsertCnt());
        sendNext(next, batches, rows, acknowledged, done);
      }

      @Override
      public void onFailure(Throwable t) {
        done.completeExceptionally(t);
      }
    }, MoreExecutors.directExecutor());
  }

  /** The batch's InsertRequest, built from the rows with the protobuf builders alone. */
  private InsertRequest request(int from, int to) {
    LongArray.Builder ids = LongArray.newBuilder();
    FloatArray.Builder floats = FloatArray.newBuilder();
    StringArray.Builder strings = StringArray.newBuilder();
    for (int i = from; i < to; i++) {
      Map<String, Object> row = row(i);
      ids.addData((Long) row.get("id"));
      for (float f : (float[]) row.get("vector")) {
        floats.addData(f);
      }
      strings.addData((String) row.get("title"));
    }
    return InsertRequest.newBuilder().setCollectionName(DataRpcs.COLLECTION).setNumRows(to - from)
        .addFieldsData(FieldData.newBuilder().setFieldName("id").setType(DataType.Int64)
            .setScalars(ScalarField.newBuilder().setLongData(ids)))
        .addFieldsData(FieldData.newBuilder().setFieldName("vector").setType(DataType.FloatVector)
            .setVectors(VectorField.newBuilder().setDim(DataRpcs.DIM).setFloatVector(floats)))
        .addFieldsData(FieldData.newBuilder().setFieldName("title").setType(DataType.VarChar)
            .setScalars(ScalarField.newBuilder().setStringData(strings)))
        .build();
  }

  /** The serialized InsertRequest bytes per row of a full batch (what goes on the wire besides framing). */
  private double payloadPerRow() {
    InsertRequest r = request(0, BATCH);
    return r.getSerializedSize() / (double) BATCH;
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process server = new ProcessBuilder(java, "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        LoopbackMilvusServer.class.getName(), "1").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      if (line == null || !line.startsWith("READY ")) {
        throw new IllegalStateException("loopback server did not start: " + line);
      }
      int port = Integer.parseInt(line.substring(6).split(",")[0]);
      ReactiveConnections registry = ReactiveConnections.create();
      registry.addConnection("insert", Support.ourConfig(port)).block(Duration.ofSeconds(10));
      ManagedChannel channel = NettyChannelBuilder.forAddress(LoopbackMilvusServer.HOST, port).usePlaintext()
          .directExecutor().maxInboundMessageSize(64 << 20).build();
      try {
        run(new InsertFloor(MilvusClient.of(registry, "insert"), channel), rows, rounds);
      } finally {
        registry.closeGracefully().block(Duration.ofSeconds(10));
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      server.getOutputStream().close();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void run(InsertFloor bench, int rows, int rounds) throws Exception {
    // the first handshake of a fresh JVM can take long on a busy machine: connect (and describe) before measuring
    for (int attempt = 1; ; attempt++) {
      try {
        bench.ours(BATCH);
        break;
      } catch (RuntimeException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
    Random random = new Random(5);
    List<Double> oursRate = new ArrayList<>();
    List<Double> floorRate = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Double> oursBytes = new ArrayList<>();
    List<Double> floorBytes = new ArrayList<>();
    String loadBefore = ServiceBench.loadAverage();
    for (int round = 0; round < PairedRounds.WARMUP_ROUNDS + rounds; round++) {
      boolean oursFirst = random.nextBoolean();
      double[] ours = null;
      double[] floor = null;
      for (int k = 0; k < 2; k++) {
        boolean isOurs = (k == 0) == oursFirst;
        System.gc();
        Alloc before = Alloc.snapshot();
        long start = System.nanoTime();
        long acknowledged = isOurs ? bench.ours(rows) : bench.floor(rows);
        long nanos = System.nanoTime() - start;
        long bytes = Alloc.snapshot().since(before);
        if (acknowledged != rows) {
          throw new IllegalStateException((isOurs ? "ours" : "floor") + ": " + acknowledged + " of " + rows + " acknowledged");
        }
        double[] m = {rows / (nanos / 1e9), bytes / (double) rows};
        if (isOurs) {
          ours = m;
        } else {
          floor = m;
        }
      }
      System.out.printf(Locale.ROOT, "round %d%s: ours %,.0f rows/s %,.0f B/row, floor %,.0f rows/s %,.0f B/row, load %s%n", round,
          round < PairedRounds.WARMUP_ROUNDS ? " (warm-up)" : "", ours[0], ours[1], floor[0], floor[1], ServiceBench.loadAverage());
      if (round >= PairedRounds.WARMUP_ROUNDS) {
        oursRate.add(ours[0]);
        floorRate.add(floor[0]);
        ratios.add(ours[0] / floor[0]);
        oursBytes.add(ours[1]);
        floorBytes.add(floor[1]);
      }
    }
    double payload = bench.payloadPerRow();
    PairedRounds.Spread ratio = PairedRounds.Spread.of(ratios);
    Support.record("InsertFloor", Support.map("rows", rows, "rounds", rounds, "batch", BATCH, "inFlight", IN_FLIGHT),
        Support.map("ratio", ratio.fields(), "oursRowsPerSecond", PairedRounds.Spread.of(oursRate).fields(),
            "floorRowsPerSecond", PairedRounds.Spread.of(floorRate).fields(),
            "oursBytesPerRow", PairedRounds.Spread.of(oursBytes).fields(),
            "floorBytesPerRow", PairedRounds.Spread.of(floorBytes).fields(), "payloadBytesPerRow", payload,
            "loadBefore", loadBefore, "loadAfter", ServiceBench.loadAverage()));
    System.out.printf(Locale.ROOT, "ours %,.0f rows/s, floor %,.0f rows/s (medians); ratio per round %s%n",
        PairedRounds.Spread.of(oursRate).median(), PairedRounds.Spread.of(floorRate).median(), ratio);
    System.out.printf(Locale.ROOT, "insert: ours/floor %.2fx, bytes allocated per row ours %d / floor %d / payload %d%n",
        ratio.median(), Math.round(PairedRounds.Spread.of(oursBytes).median()),
        Math.round(PairedRounds.Spread.of(floorBytes).median()), Math.round(payload));
  }
}
