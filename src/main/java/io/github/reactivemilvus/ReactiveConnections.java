package io.github.reactivemilvus;

import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Registry of named Milvus connections (skeleton; implementation follows). */
public final class ReactiveConnections implements AutoCloseable {
  public static final String DEFAULT_ALIAS = "default";

  public static ReactiveConnections create() {
    throw new UnsupportedOperationException();
  }

  public static String libraryVersion() {
    String v = ReactiveConnections.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  public Mono<Void> addConnection(String alias, ConnectionConfig config) {
    return addConnections(Flux.just(NamedConfig.of(alias, config)));
  }

  public Mono<Void> addConnection(String alias, Map<String, ?> config) {
    return addConnections(Flux.just(NamedConfig.of(alias, config)));
  }

  public Mono<Void> addConnections(Flux<NamedConfig> configs) {
    throw new UnsupportedOperationException();
  }

  public Mono<ManagedChannel> channel(String alias) {
    throw new UnsupportedOperationException();
  }

  public Mono<ManagedChannel> connect(String alias) {
    return channel(alias);
  }

  public Mono<Void> disconnect(String alias) {
    throw new UnsupportedOperationException();
  }

  public Mono<Void> removeConnection(String alias) {
    throw new UnsupportedOperationException();
  }

  public boolean hasConnection(String alias) {
    throw new UnsupportedOperationException();
  }

  public List<ConnectionStatus> listConnections() {
    throw new UnsupportedOperationException();
  }

  public Optional<ConnectionInfo> getConnectionAddr(String alias) {
    throw new UnsupportedOperationException();
  }

  public Flux<ConnectionEvent> events() {
    throw new UnsupportedOperationException();
  }

  public MilvusStub stub(String alias) {
    throw new UnsupportedOperationException();
  }

  public Mono<Void> closeGracefully() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {
    closeGracefully().block();
  }
}
