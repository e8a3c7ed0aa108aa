package io.github.reactivemilvus.client;

import io.github.reactivemilvus.proto.CollectionSchema;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The schemas of the collections a client writes to and reads from, described once per collection
 * name and kept as a {@link RowEncoder}. Thread-safe.
 */
final class SchemaCache {
  private final Map<String, Mono<RowEncoder>> encoders = new ConcurrentHashMap<>();
  private final Function<String, Mono<CollectionSchema>> describe;

  SchemaCache(Function<String, Mono<CollectionSchema>> describe) {
    this.describe = describe;
  }

  /**
   * The collection's encoder, looked up when subscribed (so a chain that recreates the collection
   * first sees the new schema) and described once; a failed description is not kept.
   */
  Mono<RowEncoder> get(String collection) {
    Objects.requireNonNull(collection, "collection");
    return Mono.defer(() -> encoders.computeIfAbsent(collection, this::described));
  }

  /** Forgets the schema cached under {@code collection}; the next use describes it again. */
  void forget(String collection) {
    encoders.remove(collection);
  }

  private Mono<RowEncoder> described(String collection) {
    AtomicReference<Mono<RowEncoder>> self = new AtomicReference<>();
    Mono<RowEncoder> encoder = describe.apply(collection).map(RowEncoder::new)
        .doOnError(e -> encoders.remove(collection, self.get())).cache();
    self.set(encoder);
    return encoder;
  }
}
