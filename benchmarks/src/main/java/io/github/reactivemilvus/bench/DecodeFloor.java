package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.client.Hit;
import io.github.reactivemilvus.proto.DataType;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.FloatArray;
import io.github.reactivemilvus.proto.IDs;
import io.github.reactivemilvus.proto.LongArray;
import io.github.reactivemilvus.proto.ScalarField;
import io.github.reactivemilvus.proto.SearchResultData;
import io.github.reactivemilvus.proto.SearchResults;
import io.github.reactivemilvus.proto.Status;
import io.github.reactivemilvus.proto.StringArray;
import io.github.reactivemilvus.proto.VectorField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Search results at the decoding floor: {@code DecodeFloor ROUNDS SLICE_MS}.
 *
 * <p>One serialized {@code SearchResults} of nq 10 x topK 100 hits (int ids, scores) with three
 * output fields, {@code id} (Int64), {@code title} (VarChar, about 45 characters) and {@code vector}
 * (FloatVector, dim 128), made once. One thread, alternating slices:
 *
 * <ul>
 *   <li>{@code ours}: the bytes parsed by the generated parser and decoded by the typed client's
 *       search decoding ({@link ClientDecoding}: what {@code MilvusClient.search} does with an answer)
 *       into {@code List<List<Hit>>}, and every hit walked (id, score, each field value, every float).
 *   <li>{@code floor}: the same bytes parsed by the generated parser alone and the same values
 *       walked straight from the message (ids, scores, the columns by index).
 * </ul>
 *
 * <p>Rows (hits) per second of each slice; the ratio is taken per round, the first two rounds are
 * warm-up. Prints {@code search decode: ours/floor X.XXx} (median) and the bytes allocated per row.
 */
public final class DecodeFloor {
  static final int NQ = 10;
  static final int TOP_K = 100;
  static final int DIM = 128;

  private DecodeFloor() {}

  static SearchResults results() {
    Random random = new Random(3);
    int rows = NQ * TOP_K;
    LongArray.Builder ids = LongArray.newBuilder();
    LongArray.Builder idColumn = LongArray.newBuilder();
    StringArray.Builder titles = StringArray.newBuilder();
    FloatArray.Builder vectors = FloatArray.newBuilder();
    SearchResultData.Builder d = SearchResultData.newBuilder().setNumQueries(NQ).setTopK(TOP_K).setPrimaryFieldName("id");
    for (int q = 0; q < NQ; q++) {
      d.addTopks(TOP_K);
    }
    for (int i = 0; i < rows; i++) {
      ids.addData(1_000_000L + i);
      idColumn.addData(1_000_000L + i);
      titles.addData("title of document " + i + " in the benchmark collection");
      for (int k = 0; k < DIM; k++) {
        vectors.addData(random.nextFloat());
      }
      d.addScores(i % TOP_K * 0.01f);
    }
    d.setIds(IDs.newBuilder().setIntId(ids))
        .addFieldsData(FieldData.newBuilder().setFieldName("id").setType(DataType.Int64).setFieldId(100)
            .setScalars(ScalarField.newBuilder().setLongData(idColumn)))
        .addFieldsData(FieldData.newBuilder().setFieldName("title").setType(DataType.VarChar).setFieldId(102)
            .setScalars(ScalarField.newBuilder().setStringData(titles)))
        .addFieldsData(FieldData.newBuilder().setFieldName("vector").setType(DataType.FloatVector).setFieldId(101)
            .setVectors(VectorField.newBuilder().setDim(DIM).setFloatVector(vectors)))
        .addOutputFields("id").addOutputFields("title").addOutputFields("vector");
    return SearchResults.newBuilder().setStatus(Status.newBuilder()).setResults(d).setCollectionName(DataRpcs.COLLECTION).build();
  }

  /** The floor: parse, then walk every value from the message. */
  static double floor(byte[] bytes) throws Exception {
    SearchResultData d = SearchResults.parseFrom(bytes).getResults();
    LongArray ids = d.getIds().getIntId();
    double sum = 0;
    int at = 0;
    FieldData titleField = null;
    FieldData vectorField = null;
    for (FieldData f : d.getFieldsDataList()) {
      switch (f.getFieldName()) {
        case "id" -> { }
        case "title" -> titleField = f;
        default -> vectorField = f;
      }
    }
    StringArray titles = titleField.getScalars().getStringData();
    FloatArray vectors = vectorField.getVectors().getFloatVector();
    int dim = (int) vectorField.getVectors().getDim();
    for (int q = 0; q < d.getNumQueries(); q++) {
      long n = d.getTopks(q);
      for (int i = 0; i < n; i++, at++) {
        // the client gives the primary key as the hit's id and drops it from the fields: the id column is not walked
        sum += ids.getData(at) + d.getScores(at) + titles.getData(at).length();
        for (int k = 0; k < dim; k++) {
          sum += vectors.getData(at * dim + k);
        }
      }
    }
    return sum;
  }

  /** Ours: parse, the client's decoding, then walk every value of the hits. */
  static double ours(ClientDecoding decoding, byte[] bytes) throws Exception {
    List<List<Hit>> hits = decoding.hits(SearchResults.parseFrom(bytes));
    double sum = 0;
    for (List<Hit> list : hits) {
      for (Hit h : list) {
        sum += (Long) h.id() + h.score() + ((String) h.fields().get("title")).length();
        for (float f : (float[]) h.fields().get("vector")) {
          sum += f;
        }
      }
    }
    return sum;
  }

  interface Body {
    double run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    long sliceMs = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    SearchResults message = results();
    byte[] bytes = message.toByteArray();
    ClientDecoding decoding = ClientDecoding.forSchema(DataRpcs.SCHEMA);
    int rowsPerCall = NQ * TOP_K;
    if (Math.abs(ours(decoding, bytes) - floor(bytes)) > 1e-3 * Math.abs(floor(bytes))) {
      throw new IllegalStateException("ours and the floor walked different values");
    }
    Random random = new Random(9);
    List<Double> ratios = new ArrayList<>();
    List<Double> oursRate = new ArrayList<>();
    List<Double> floorRate = new ArrayList<>();
    List<Double> oursBytes = new ArrayList<>();
    List<Double> floorBytes = new ArrayList<>();
    String loadBefore = ServiceBench.loadAverage();
    double sink = 0;
    for (int round = 0; round < PairedRounds.WARMUP_ROUNDS + rounds; round++) {
      boolean oursFirst = random.nextBoolean();
      double[] ours = null;
      double[] floor = null;
      for (int k = 0; k < 2; k++) {
        boolean isOurs = (k == 0) == oursFirst;
        Body body = isOurs ? () -> ours(decoding, bytes) : () -> floor(bytes);
        Alloc before = Alloc.snapshot();
        long start = System.nanoTime();
        long end = start + sliceMs * 1_000_000;
        long calls = 0;
        long now;
        do {
          sink += body.run();
          calls++;
          now = System.nanoTime();
        } while (now < end);
        long allocated = Alloc.snapshot().since(before);
        double[] m = {calls * rowsPerCall / ((now - start) / 1e9), allocated / (double) (calls * rowsPerCall)};
        if (isOurs) {
          ours = m;
        } else {
          floor = m;
        }
      }
      System.out.printf(Locale.ROOT, "round %d%s: ours %,.0f rows/s %,.0f B/row, floor %,.0f rows/s %,.0f B/row, load %s%n", round,
          round < PairedRounds.WARMUP_ROUNDS ? " (warm-up)" : "", ours[0], ours[1], floor[0], floor[1], ServiceBench.loadAverage());
      if (round >= PairedRounds.WARMUP_ROUNDS) {
        ratios.add(ours[0] / floor[0]);
        oursRate.add(ours[0]);
        floorRate.add(floor[0]);
        oursBytes.add(ours[1]);
        floorBytes.add(floor[1]);
      }
    }
    PairedRounds.Spread ratio = PairedRounds.Spread.of(ratios);
    Support.record("DecodeFloor", Support.map("nq", NQ, "topK", TOP_K, "dim", DIM, "rounds", rounds, "sliceMs", sliceMs,
        "messageBytes", bytes.length), Support.map("ratio", ratio.fields(),
        "oursRowsPerSecond", PairedRounds.Spread.of(oursRate).fields(), "floorRowsPerSecond", PairedRounds.Spread.of(floorRate).fields(),
        "oursBytesPerRow", PairedRounds.Spread.of(oursBytes).fields(), "floorBytesPerRow", PairedRounds.Spread.of(floorBytes).fields(),
        "loadBefore", loadBefore, "loadAfter", ServiceBench.loadAverage(), "sink", sink));
    System.out.printf(Locale.ROOT, "ours %,.0f rows/s, floor %,.0f rows/s (medians), %d-byte message; ratio per round %s%n",
        PairedRounds.Spread.of(oursRate).median(), PairedRounds.Spread.of(floorRate).median(), bytes.length, ratio);
    System.out.printf(Locale.ROOT, "search decode: ours/floor %.2fx, bytes allocated per row ours %d / floor %d%n", ratio.median(),
        Math.round(PairedRounds.Spread.of(oursBytes).median()), Math.round(PairedRounds.Spread.of(floorBytes).median()));
  }
}
