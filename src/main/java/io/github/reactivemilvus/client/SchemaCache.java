package io.github.reactivemilvus.client;

import io.github.reactivemilvus.FailureKind;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.proto.DescribeCollectionResponse;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The schemas of the collections a client writes to and reads from, described once per collection
 * name and kept as a {@link RowEncoder}, and followed when the collection changes on the server:
 * {@link #withSchema} describes a collection again when a call fails in a way a changed collection
 * explains, and retries the call once if the server's collection is now another one. Thread-safe.
 */
final class SchemaCache {
  /**
   * Server codes that a collection changed behind the cache can cause: 100 collection not found
   * (legacy error_code 4 CollectionNotExists), 1100 invalid parameter (how Milvus reports a vector
   * of another dimension or a field the collection lacks; legacy 5 IllegalArgument), legacy 7
   * IllegalDimension and 62 SchemaMismatch. A call is retried only when describing the collection
   * again shows another collection id or schema, so a genuinely invalid request fails as before.
   */
  static final Set<Integer> STALE_SCHEMA_CODES = Set.of(100, 1100, 4, 5, 7, 62);

  private final Map<String, Mono<RowEncoder>> encoders = new ConcurrentHashMap<>();
  private final Function<String, Mono<DescribeCollectionResponse>> describe;

  SchemaCache(Function<String, Mono<DescribeCollectionResponse>> describe) {
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

  /**
   * {@code call} with the collection's encoder; when it fails with an error a changed collection
   * explains ({@link #mayBeStale}), the collection is described again and, if the server's
   * collection is another one now (id or schema), {@code call} runs once more with the new
   * encoder. Otherwise the first error is what fails the Mono.
   */
  <T> Mono<T> withSchema(String collection, Function<RowEncoder, Mono<T>> call) {
    return get(collection).flatMap(encoder -> Mono.defer(() -> call.apply(encoder))
        .onErrorResume(SchemaCache::mayBeStale, e -> refreshed(collection, encoder)
            .flatMap(fresh -> Mono.defer(() -> call.apply(fresh)))
            .switchIfEmpty(Mono.error(e))));
  }

  /**
   * The collection described anew, when it differs from {@code stale}; empty when it is the same
   * collection with the same schema, or cannot be described (the caller keeps its own error).
   */
  Mono<RowEncoder> refreshed(String collection, RowEncoder stale) {
    return Mono.defer(() -> {
      encoders.remove(collection);
      return get(collection);
    }).filter(fresh -> fresh.collectionId() != stale.collectionId() || !fresh.schema().equals(stale.schema()))
        .onErrorResume(e -> Mono.empty());
  }

  /**
   * Whether {@code e} may come from a schema that is no longer the server's: the client's own
   * checks against the cached schema (a vector of another dimension, an unknown or missing field:
   * {@link IllegalArgumentException}, {@link RowConversionException}) or a server status among
   * {@link #STALE_SCHEMA_CODES}. Classified by code, never by message.
   */
  static boolean mayBeStale(Throwable e) {
    if (e instanceof IllegalArgumentException) {
      return true;
    }
    return e instanceof MilvusConnectionException m && m.kind() == FailureKind.SERVER_STATUS
        && STALE_SCHEMA_CODES.contains(m.serverCode());
  }

  private Mono<RowEncoder> described(String collection) {
    AtomicReference<Mono<RowEncoder>> self = new AtomicReference<>();
    Mono<RowEncoder> encoder = describe.apply(collection).map(r -> new RowEncoder(r.getSchema(), r.getCollectionID()))
        .doOnError(e -> encoders.remove(collection, self.get())).cache();
    self.set(encoder);
    return encoder;
  }
}
