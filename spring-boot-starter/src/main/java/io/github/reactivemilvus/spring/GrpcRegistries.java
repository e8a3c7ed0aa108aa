package io.github.reactivemilvus.spring;

import io.grpc.LoadBalancerRegistry;
import io.grpc.NameResolverRegistry;

/**
 * Loads grpc-java's name resolver and load balancer registries on the thread creating the
 * registry bean. Both are read from {@code META-INF/services} files the first time a channel is
 * built; without this, those blocking file reads would happen on the event loop serving the
 * application's first Milvus call.
 */
final class GrpcRegistries {
  private GrpcRegistries() {}

  static void load() {
    NameResolverRegistry.getDefaultRegistry();
    LoadBalancerRegistry.getDefaultRegistry();
  }
}
