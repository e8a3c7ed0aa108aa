package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.MutationResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The batched write streams of {@link MilvusClient} (insert and upsert): rows cut into batches by
 * {@link WriteOptions}, encoded with the collection's {@link RowEncoder}, sent with at most
 * {@code maxInFlight} batches unanswered, results in stream order. Each batch is encoded and sent
 * from the thread that asks for it (the row source's, then the event loop that answered the batch
 * before), or from the codec scheduler when the client has one.
 */
final class Writes {
  private static final Logger LOG = LoggerFactory.getLogger(Writes.class);
  private final MilvusStub stub;
  private final SchemaCache schemas;
  private final WriteClock clock;
  /** Where each batch is encoded and sent from; null: the thread that asks for the batch. */
  private final @Nullable Scheduler codecScheduler;

  Writes(MilvusStub stub, SchemaCache schemas, WriteClock clock, @Nullable Scheduler codecScheduler) {
    this.stub = stub;
    this.schemas = schemas;
    this.clock = clock;
    this.codecScheduler = codecScheduler;
  }

  /** {@code work} run on the codec scheduler, if there is one. */
  private <T> Mono<T> onCodecScheduler(Mono<T> work) {
    return codecScheduler == null ? work : work.subscribeOn(codecScheduler);
  }

  /**
   * The write stream: batches encoded as rows arrive (a row that does not fit fails the stream
   * before its batch is sent), sent through {@link SettlingWrites}: when the rows or a batch fail,
   * or the subscriber cancels, the batches already sent finish and are reported (to the
   * subscriber before the error, or to {@link WriteOptions#lateResults()} after a cancel). Every
   * acknowledged batch moves the collection's Session timestamp.
   */
  Flux<WriteResult> write(String collection, Flux<Map<String, Object>> rows, WriteOptions options, boolean upsert) {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(options, "options");
    return schemas.get(collection).flatMapMany(first -> Flux.defer(() -> {
      AtomicLong batches = new AtomicLong();
      AtomicLong rowsBefore = new AtomicLong(); // the stream index of each batch's first row (batches are mapped in order)
      Flux<Mono<WriteResult>> prepared = rows.bufferUntil(batchCut(first, options), true)
          .concatMap(batch -> following(collection, batch, rowsBefore.getAndAdd(batch.size()), batches.getAndIncrement(), options, upsert));
      return SettlingWrites.send(prepared, send -> send, options.maxInFlight(), late -> {
        LOG.warn("{} into '{}': batch {} (rows {} to {}) was written after the stream was cancelled", upsert ? "upsert" : "insert",
            collection, late.batch(), late.firstRow(), late.firstRow() + late.rows() - 1);
        options.lateResults().accept(late);
      });
    }));
  }

  /**
   * The batch prepared with the schema cached now; prepared again, once, with the collection described
   * anew when encoding or sending fails in a way a changed collection explains
   * ({@link SchemaCache#mayBeStale}) and the server's collection is now another one.
   */
  private Mono<Mono<WriteResult>> following(String collection, List<Map<String, Object>> batch, long first, long batchIndex,
      WriteOptions options, boolean upsert) {
    Function<RowEncoder, Mono<Mono<WriteResult>>> prepared =
        codec -> onCodecScheduler(Mono.fromCallable(() -> prepare(collection, codec, batch, first, batchIndex, options, upsert)));
    return schemas.get(collection).flatMap(codec -> prepared.apply(codec)
        .map(send -> send.onErrorResume(SchemaCache::mayBeStale, e -> schemas.refreshed(collection, codec)
            .flatMap(fresh -> prepared.apply(fresh).flatMap(Function.identity()))
            .switchIfEmpty(Mono.error(e))))
        .onErrorResume(SchemaCache::mayBeStale, e -> schemas.refreshed(collection, codec).flatMap(prepared)
            .switchIfEmpty(Mono.error(e))));
  }

  /**
   * {@link #write} summed up: rows acknowledged, batches answered and the first failure, once every
   * sent batch has finished. Fails only when the collection's schema cannot be read.
   */
  Mono<WriteSummary> summary(String collection, Flux<Map<String, Object>> rows, WriteOptions options, boolean upsert) {
    return schemas.get(collection).then(Mono.defer(() -> {
      long[] sums = new long[2];
      return write(collection, rows, options, upsert)
          .doOnNext(r -> {
            sums[0] += upsert ? r.upsertCount() : r.insertCount();
            sums[1]++;
          })
          .then(Mono.fromSupplier(() -> new WriteSummary(sums[0], sums[1], null)))
          .onErrorResume(e -> Mono.just(new WriteSummary(sums[0], sums[1], e)));
    }));
  }

  /** Cuts before the row that would exceed the row or byte budget of the batch being filled. */
  private static Predicate<Map<String, Object>> batchCut(RowEncoder codec, WriteOptions options) {
    long[] state = new long[2]; // rows, bytes of the batch being filled (one subscription)
    return row -> {
      long size = codec.estimateRowBytes(row);
      if (state[0] > 0 && (state[0] + 1 > options.batchRows() || state[1] + size > options.batchBytes())) {
        state[0] = 1;
        state[1] = size;
        return true;
      }
      state[0]++;
      state[1] += size;
      return false;
    };
  }

  /** Encodes the batch now (a row that does not fit throws here) and returns its send, not yet subscribed. */
  private Mono<WriteResult> prepare(String collection, RowEncoder codec, List<Map<String, Object>> rows, long first,
      long batchIndex, WriteOptions options, boolean upsert) {
    List<FieldData> columns = codec.encodeForSending(rows, first, upsert);
    Mono<MutationResult> call = upsert
        ? stub.call(MilvusServiceGrpc.getUpsertMethod(), Requests.upsertRequest(collection, options.partition(), columns, rows.size()))
        : stub.call(MilvusServiceGrpc.getInsertMethod(), Requests.insertRequest(collection, options.partition(), columns, rows.size()));
    return call.map(r -> Responses.writeResult(batchIndex, first, rows.size(), r))
        .doOnNext(r -> clock.written(collection, r.timestamp()));
  }

}
