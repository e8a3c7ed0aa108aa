package io.github.reactivemilvus.cli;

import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.ConsistencyLevel;
import io.github.reactivemilvus.client.Field;
import io.github.reactivemilvus.client.IndexParam;
import io.github.reactivemilvus.client.IndexType;
import io.github.reactivemilvus.client.MetricType;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.Query;
import io.github.reactivemilvus.client.Schema;
import io.github.reactivemilvus.client.Search;
import io.github.reactivemilvus.client.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code check --data}: per alias, a round trip through a temporary collection (create, insert
 * 1,000 rows, index, load, search, query, drop), each step timed. The first failing step ends the
 * trip and is named; the collection is dropped in every case (a failed drop is reported).
 */
final class DataRoundTrip {
  static final int ROWS = 1_000;
  static final int DIM = 32;

  record Step(String name, long nanos, String error) {}

  record Result(String alias, String collection, List<Step> steps) {
    boolean ok() {
      return steps.stream().allMatch(s -> s.error.isEmpty());
    }
  }

  private DataRoundTrip() {}

  static Mono<Result> run(ReactiveConnections registry, String alias) {
    MilvusClient client = MilvusClient.of(registry, alias);
    String collection = "mc_check_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    List<Step> steps = new ArrayList<>();
    Schema schema = Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", DIM))
        .field(Field.varChar("tag", 16)).build();
    SplittableRandom random = new SplittableRandom(1);
    float[][] vectors = new float[ROWS][DIM];
    for (float[] v : vectors) {
      for (int k = 0; k < DIM; k++) {
        v[k] = (float) random.nextDouble();
      }
    }
    Mono<Void> trip = step(steps, "create", () -> client.createCollection(collection, schema, List.of()))
        .then(step(steps, "insert", () -> client.insert(collection, Flux.range(0, ROWS)
                .map(i -> Map.<String, Object>of("id", (long) i, "v", vectors[i], "tag", "t" + (i % 10))),
            WriteOptions.DEFAULTS.withBatchRows(500)).then()))
        .then(step(steps, "index", () -> client.createIndex(collection,
            IndexParam.builder("v").indexType(IndexType.FLAT).metricType(MetricType.L2).build())))
        .then(step(steps, "load", () -> client.loadCollection(collection)))
        .then(step(steps, "search", () -> client.search(Search.builder(collection).vector(vectors[7]).limit(10)
                .consistency(ConsistencyLevel.STRONG).build())
            .flatMap(hits -> hits.get(0).isEmpty() || !hits.get(0).get(0).id().equals(7L)
                ? Mono.error(new IllegalStateException("row 7's own vector did not find row 7 first: " + hits.get(0)))
                : Mono.empty()).then()))
        .then(step(steps, "query", () -> client.query(Query.builder(collection).filter("tag == \"t3\"")
                .consistency(ConsistencyLevel.STRONG).build())
            .flatMap(rows -> rows.size() == ROWS / 10 ? Mono.<Void>empty()
                : Mono.error(new IllegalStateException("expected " + ROWS / 10 + " rows, got " + rows.size())))));
    Mono<Void> drop = step(steps, "drop", () -> client.dropCollection(collection));
    return trip.onErrorResume(e -> Mono.empty())
        .then(Mono.defer(() -> drop.onErrorResume(e -> Mono.empty())))
        .then(Mono.fromSupplier(() -> new Result(alias, collection, List.copyOf(steps))));
  }

  /** Runs the step, records its latency and error, and fails the trip when it fails. */
  private static Mono<Void> step(List<Step> steps, String name, Supplier<Mono<Void>> work) {
    return Mono.defer(() -> {
      long started = System.nanoTime();
      return work.get()
          .doOnSuccess(v -> steps.add(new Step(name, System.nanoTime() - started, "")))
          .doOnError(e -> steps.add(new Step(name, System.nanoTime() - started, describe(e))));
    });
  }

  private static String describe(Throwable e) {
    if (e instanceof MilvusConnectionException m) {
      return m.kind().description() + ": " + m.detail();
    }
    return String.valueOf(e.getMessage());
  }
}
