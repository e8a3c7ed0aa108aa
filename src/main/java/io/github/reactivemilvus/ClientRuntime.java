package io.github.reactivemilvus;

import io.github.reactivemilvus.internal.EventLoops;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import io.grpc.LoadBalancerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelRegistry;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.NettyChannelBuilder;

/**
 * One-time initialisation of what the first channel of a JVM would otherwise do on whatever thread
 * subscribes first, typically an event loop: gRPC's provider and resolver registries (found with
 * {@link java.util.ServiceLoader}, which reads jar files), the protobuf runtime check and
 * descriptors of the generated classes, and the classes a Netty channel is built from. Runs on the
 * thread that creates a registry, which may block; once it succeeded, later calls return at once.
 * A failure is not kept: the next registry tries again. Thread-safe.
 */
final class ClientRuntime {
  private static volatile boolean ready;

  private ClientRuntime() {}

  /**
   * Makes the JVM ready for non-blocking channel building, on the calling thread (it may read jar
   * files). Fails with {@link FailureKind#CLIENT} when the protobuf runtime does not fit the
   * generated code (see {@link ProtobufRuntime#check()}).
   */
  static void prepare(EventLoops loops) {
    if (ready) {
      return;
    }
    synchronized (ClientRuntime.class) {
      if (ready) {
        return;
      }
      ProtobufRuntime.check();
      try {
        // the generated descriptors and marshallers of the calls a connect makes
        MilvusServiceGrpc.getServiceDescriptor();
        ConnectRequest.getDefaultInstance();
        ConnectResponse.getDefaultInstance();
      } catch (LinkageError e) {
        // a runtime the check let through but the generated code refuses
        throw new MilvusConnectionException(FailureKind.CLIENT, null, null,
            "the protobuf-java runtime cannot load the generated protocol classes: " + Failures.describeClientFault(e),
            null, 0, e);
      }
      // each registry loads its providers once, and only keeps them when loading succeeded
      NameResolverRegistry.getDefaultRegistry();
      LoadBalancerRegistry.getDefaultRegistry();
      ManagedChannelRegistry.getDefaultRegistry();
      CompressorRegistry.getDefaultInstance();
      DecompressorRegistry.getDefaultInstance();
      // a channel that never connects: loads what building one needs (builder, transport factory,
      // resolver for direct addresses, idle and retry machinery) on this thread, on the registry's
      // loops so that gRPC's own default event loop group is never created
      ManagedChannel throwaway = NettyChannelBuilder.forAddress("127.0.0.1", 9)
          .eventLoopGroup(loops.group)
          .channelType(loops.socketChannelType)
          .offloadExecutor(loops.offload)
          .usePlaintext()
          .build();
      throwaway.shutdownNow();
      ready = true;
    }
  }
}
