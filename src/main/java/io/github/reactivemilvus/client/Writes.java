package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.proto.FieldData;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.MutationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

/**
 * The batched write streams of {@link MilvusClient} (insert and upsert): rows cut into batches by
 * {@link WriteOptions}, encoded with the collection's {@link RowEncoder}, sent with at most
 * {@code maxInFlight} batches unanswered, results in stream order.
 */
final class Writes {
  private final MilvusStub stub;
  private final SchemaCache schemas;

  Writes(MilvusStub stub, SchemaCache schemas) {
    this.stub = stub;
    this.schemas = schemas;
  }

  Flux<WriteResult> write(String collection, Flux<Map<String, Object>> rows, WriteOptions options, boolean upsert) {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(options, "options");
    return schemas.get(collection).flatMapMany(first -> Flux.defer(() -> {
      AtomicLong batches = new AtomicLong();
      return rows.index().bufferUntil(batchCut(options), true)
          .flatMapSequential(batch -> {
            long index = batches.getAndIncrement();
            // each batch with the schema cached now, described again once if the collection changed
            return schemas.withSchema(collection, codec -> sendBatch(collection, codec, batch, index, options, upsert));
          }, options.maxInFlight(), 1);
    }));
  }

  /** Cuts before the row that would exceed the row or byte budget of the batch being filled. */
  private static Predicate<Tuple2<Long, Map<String, Object>>> batchCut(WriteOptions options) {
    long[] state = new long[2]; // rows, bytes of the batch being filled (one subscription)
    return indexed -> {
      long size = RowEncoder.estimateBytes(indexed.getT2());
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

  private Mono<WriteResult> sendBatch(String collection, RowEncoder codec, List<Tuple2<Long, Map<String, Object>>> batch,
      long batchIndex, WriteOptions options, boolean upsert) {
    return Mono.defer(() -> {
      long first = batch.get(0).getT1();
      List<Map<String, Object>> rows = new ArrayList<>(batch.size());
      batch.forEach(t -> rows.add(t.getT2()));
      List<FieldData> columns = codec.encode(rows, first, upsert);
      Mono<MutationResult> call = upsert
          ? stub.call(MilvusServiceGrpc.getUpsertMethod(), Requests.upsertRequest(collection, options.partition(), columns, rows.size()))
          : stub.call(MilvusServiceGrpc.getInsertMethod(), Requests.insertRequest(collection, options.partition(), columns, rows.size()));
      return call.map(r -> Responses.writeResult(batchIndex, first, rows.size(), r));
    });
  }
}
