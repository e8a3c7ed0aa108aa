package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.grpc.Status;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.test.StepVerifier;

/**
 * A failure of the client (an Error, a programming error) is {@link FailureKind#CLIENT}: never
 * retried, never reported as unreachable or as a timeout, and it keeps the error as its cause.
 * The shapes are those gRPC produces when a callback or marshaller throws.
 */
class ClientFailuresTest {

  @Test
  void aLinkageErrorWhileReadingTheResponseIsAClientFailureNotRetried() {
    NoClassDefFoundError linkage = new NoClassDefFoundError("com/google/protobuf/RuntimeVersion$RuntimeDomain");
    Throwable failure = Status.CANCELLED.withDescription("Failed to read message.").withCause(linkage).asRuntimeException();

    MilvusConnectionException e = Failures.classify(failure, "a", "localhost:19530", true);

    assertThat(e.kind()).isEqualTo(FailureKind.CLIENT);
    assertThat(e.getMessage()).contains("NoClassDefFoundError", "RuntimeVersion$RuntimeDomain", "not the server's");
    assertThat(e).hasRootCause(linkage);
    assertThat(Failures.isTransientConnectFailure(failure)).isFalse();
    assertThat(Failures.isRetryableCallFailure(failure)).isFalse();
  }

  @Test
  void blockHoundsErrorReportedAsUnknownIsAClientFailureNotAnRpcFailure() {
    Throwable failure = Status.UNKNOWN.withDescription("Blocking call! java.io.RandomAccessFile#readBytes")
        .withCause(new BlockingOperationError(null)).asRuntimeException();

    assertThat(Failures.classify(failure, "a", "localhost:19530", true).kind()).isEqualTo(FailureKind.CLIENT);
    // UNKNOWN is otherwise retried during a connect
    assertThat(Failures.isTransientConnectFailure(failure)).isFalse();
  }

  @Test
  void aProgrammingErrorInsideGrpcIsAClientFailureEvenWhenReportedAsUnavailable() {
    Throwable failure = Status.UNAVAILABLE.withDescription("Panic! This is a bug!")
        .withCause(new NullPointerException("x")).asRuntimeException();

    assertThat(Failures.classify(failure, "a", "h:1", false).kind()).isEqualTo(FailureKind.CLIENT);
    assertThat(Failures.isRetryableCallFailure(failure)).isFalse();
    assertThat(Failures.isTransientConnectFailure(failure)).isFalse();
  }

  @Test
  void aRefusedConnectionStaysUnreachableAndRetried() {
    Throwable failure = Status.UNAVAILABLE.withDescription("io exception")
        .withCause(new ConnectException("Connection refused")).asRuntimeException();

    assertThat(Failures.classify(failure, "a", "h:1", true).kind()).isEqualTo(FailureKind.UNREACHABLE);
    assertThat(Failures.isTransientConnectFailure(failure)).isTrue();
  }

  @Test
  void aCallWrittenToAConnectionThatJustClosedIsRetriedLikeUnavailable() {
    Throwable failure = Status.UNKNOWN.withDescription("channel closed")
        .withCause(new java.nio.channels.ClosedChannelException()).asRuntimeException();

    assertThat(Failures.isRetryableCallFailure(failure)).isTrue();
    assertThat(Failures.classify(failure, "a", "h:1", false).kind()).isNotEqualTo(FailureKind.CLIENT);
  }

  @Test
  void anErrorThrownBeforeTheCallStartsIsSignalledAsAClientFailure() {
    NoClassDefFoundError linkage = new NoClassDefFoundError("io/github/reactivemilvus/proto/Missing");

    StepVerifier.create(Failures.signalled(() -> {
      throw linkage;
    })).verifyErrorSatisfies(e -> assertThat(Failures.classify(e, "a", "h:1", true).kind()).isEqualTo(FailureKind.CLIENT));
  }

  /**
   * A real client-side mistake: event loops of one transport with the channel type of another.
   * Netty refuses to register the channel; that is the client's failure, reported at once, not
   * retried as an unreachable server until the connect timeout.
   */
  @Test
  void eventLoopsThatCannotRunTheChannelTypeFailTheConnectAtOnceAsClient() throws Exception {
    Assumptions.assumeTrue(Epoll.isAvailable(), "needs Netty's epoll transport");
    EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (FaultServer server = FaultServer.start();
        ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of())
            .eventLoopGroup(nio, EpollSocketChannel.class).build()) {
      registry.addConnection("mismatch", Map.of("uri", server.uri(), "timeout", 120)).block(Duration.ofSeconds(30));

      StepVerifier.create(registry.channel("mismatch"))
          .expectErrorSatisfies(e -> {
            assertThat(e).isInstanceOf(MilvusConnectionException.class);
            MilvusConnectionException m = (MilvusConnectionException) e;
            assertThat(m.kind()).isEqualTo(FailureKind.CLIENT);
            assertThat(m.getMessage()).contains("mismatch", "not the server's").doesNotContain("within");
          })
          .verify(Duration.ofSeconds(30));
      assertThat(server.calls(Method.CONNECT)).isZero();
    } finally {
      nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
