package io.github.reactivemilvus.testing;

import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.test.server.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Plain blocking grpc-java probe used by the harness to wait for server readiness and by
 * self-tests. Call only from test threads (it blocks).
 */
public final class GrpcProbe {

  private GrpcProbe() {
  }

  /** Plaintext channel to 127.0.0.1:port. Caller shuts it down. */
  public static ManagedChannel plaintextChannel(int port) {
    return NettyChannelBuilder.forAddress(FreePorts.LOOPBACK, port).usePlaintext().build();
  }

  /** Headers carrying Milvus credentials: {@code authorization: base64(user:password)}. */
  public static Metadata authHeaders(String user, String password) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    return headers;
  }

  /** Blocking stub with optional extra headers. */
  public static MilvusServiceGrpc.MilvusServiceBlockingStub stub(ManagedChannel channel, Metadata headers) {
    MilvusServiceGrpc.MilvusServiceBlockingStub stub = MilvusServiceGrpc.newBlockingStub(channel);
    return headers == null ? stub : stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /**
   * One GetVersion call with a deadline; returns the response or throws the
   * {@link StatusRuntimeException}.
   */
  public static GetVersionResponse getVersion(int port, Metadata headers, long timeoutMillis) {
    ManagedChannel channel = plaintextChannel(port);
    try {
      return stub(channel, headers).withWaitForReady()
          .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
          .getVersion(GetVersionRequest.getDefaultInstance());
    } finally {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
