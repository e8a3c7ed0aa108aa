package io.github.reactivemilvus;

import io.github.reactivemilvus.proto.CheckHealthResponse;
import java.util.List;
import reactor.core.publisher.Mono;

/** Reactive stubs for the Milvus RPCs (skeleton; implementation follows). */
public final class MilvusStub {
  public Mono<String> getVersion() {
    throw new UnsupportedOperationException();
  }

  public Mono<CheckHealthResponse> checkHealth() {
    throw new UnsupportedOperationException();
  }

  public Mono<List<String>> listDatabases() {
    throw new UnsupportedOperationException();
  }

  public Mono<List<String>> showCollections() {
    throw new UnsupportedOperationException();
  }

  public Mono<Boolean> hasCollection(String collectionName) {
    throw new UnsupportedOperationException();
  }

  public Mono<Void> createDatabase(String dbName) {
    throw new UnsupportedOperationException();
  }

  public Mono<Void> dropDatabase(String dbName) {
    throw new UnsupportedOperationException();
  }
}
