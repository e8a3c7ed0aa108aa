package io.github.reactivemilvus.spring;

import io.grpc.netty.NettyChannelBuilder;

/**
 * A bean of this type is applied to every physical channel the Milvus registry builds, after the
 * library's settings (see {@code ReactiveConnections.Builder#channelCustomizer}). It runs on the thread
 * that builds the channel, an event loop for a plaintext connect: it must not block.
 */
@FunctionalInterface
public interface MilvusChannelBuilderCustomizer {
  /** Changes {@code builder} before the channel is built. */
  void customize(NettyChannelBuilder builder);
}
