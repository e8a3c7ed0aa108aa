package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.ReactiveConnections;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Runs the registry's channels on the event loops of Spring's {@link ReactorResourceFactory}
 * (WebFlux's server and WebClient share them), so that a Milvus call and the HTTP exchange that
 * made it stay on one loop. The registry never shuts these loops down; Spring does, after the
 * registry has closed.
 */
final class SharedEventLoops implements ReactiveConnectionsCustomizer {
  private final ObjectProvider<ReactorResourceFactory> resourceFactory;

  SharedEventLoops(ObjectProvider<ReactorResourceFactory> resourceFactory) {
    this.resourceFactory = resourceFactory;
  }

  @Override
  public void customize(ReactiveConnections.Builder builder) {
    resourceFactory.ifUnique(factory -> builder.loopResources(factory.getLoopResources()));
  }
}
