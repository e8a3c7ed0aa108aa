package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.proto.CreateCredentialRequest;
import io.github.reactivemilvus.proto.DeleteCredentialRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.UpdateCredentialRequest;
import io.github.reactivemilvus.testing.MilvusStandaloneExtension;
import io.github.reactivemilvus.testing.MilvusStandaloneServer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Credentials rotated on a real Milvus 2.3.5 with authorization on, while 32 callers run: the user's
 * password is changed on the server ({@code UpdateCredential}), then the supplier starts handing out
 * the new one. Every call is recorded on the wire side of the alias (the password its
 * {@code authorization} header carried, when it was sent, and what the server answered), so the
 * test sees what the server saw: calls made between the change and the supplier's switch are
 * refused by the server (which shows the old password really is refused), no call that began after
 * the supplier had the new password fails, and no call carries the old password once one carried
 * the new.
 */
@ExtendWith(MilvusStandaloneExtension.class)
class CredentialRotationAgainstMilvusStandaloneTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** One attempt on the wire: the password it carried, when it was sent, and whether the server took it. */
  private record Sent(String password, long atNanos, AtomicReference<io.grpc.Status> answer) {}

  /** One caller's call: when it began and whether it failed. */
  private record Outcome(long beganNanos, boolean failed) {}

  @Test
  void callersKeepWorkingWhileThePasswordIsChangedOnTheServerAndThenInTheSupplier(MilvusStandaloneServer milvus)
      throws InterruptedException {
    String user = "rotating_" + Long.toHexString(System.nanoTime());
    String first = "First-" + Long.toHexString(System.nanoTime());
    String second = "Second-" + Long.toHexString(System.nanoTime());
    AtomicReference<String> handedOut = new AtomicReference<>(first);
    AtomicInteger asked = new AtomicInteger();
    List<Sent> wire = new CopyOnWriteArrayList<>();
    try (ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of())
        .credentials("rotating", Mono.fromSupplier(() -> {
          asked.incrementAndGet();
          return MilvusCredentials.userPassword(user, handedOut.get());
        }))
        // the library's channels, with a recorder after the alias's headers: what goes on the wire
        .transport(c -> NettyChannelBuilder.forAddress(milvus.host(), milvus.port()).usePlaintext()
            .intercept(new WireRecorder(wire)).build())
        .build()) {
      registry.addConnection("admin", Map.of("uri", milvus.uri(), "user", milvus.user(), "password", milvus.password())).block(WAIT);
      registry.stub("admin").call(MilvusServiceGrpc.getCreateCredentialMethod(), CreateCredentialRequest.newBuilder()
          .setUsername(user).setPassword(base64(first)).build()).block(WAIT);
      try {
        registry.addConnection("rotating", Map.of("uri", milvus.uri(), "timeout", 30)).block(WAIT);
        assertThat(registry.stub("rotating").getVersion().block(WAIT)).startsWith("v2.3");

        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        MilvusStub stub = registry.stub("rotating");
        Mono<Void> callers = Flux.range(0, 32)
            .flatMap(i -> Mono.defer(() -> {
              long began = System.nanoTime();
              return stub.getVersion()
                  .doOnSuccess(v -> outcomes.add(new Outcome(began, false)))
                  .doOnError(e -> outcomes.add(new Outcome(began, true)))
                  .onErrorResume(e -> Mono.empty());
            }).repeat(running::get).subscribeOn(Schedulers.parallel()), 32)
            .then();
        var done = callers.toFuture();

        Thread.sleep(1_000);
        registry.stub("admin").call(MilvusServiceGrpc.getUpdateCredentialMethod(), UpdateCredentialRequest.newBuilder()
            .setUsername(user).setOldPassword(base64(first)).setNewPassword(base64(second)).build()).block(WAIT);
        Thread.sleep(1_000);
        long supplierHasIt = System.nanoTime();
        handedOut.set(second);
        Thread.sleep(2_000);
        running.set(false);
        done.join();

        List<Outcome> after = outcomes.stream().filter(o -> o.beganNanos() > supplierHasIt).toList();
        assertThat(after).as("calls begun after the supplier had the new password").hasSizeGreaterThan(32);
        assertThat(after.stream().filter(Outcome::failed).count()).as("failed calls among them").isZero();

        List<Sent> oldOnes = wire.stream().filter(s -> s.password().equals(first)).toList();
        assertThat(oldOnes.stream().filter(s -> isUnauthenticated(s.answer().get())).count())
            .as("the server refused the old password after the change: the rotation is real").isPositive();
        long firstNew = wire.stream().filter(s -> s.password().equals(second)).mapToLong(Sent::atNanos).min().orElseThrow();
        assertThat(oldOnes.stream().filter(s -> s.atNanos() > firstNew).count())
            .as("attempts sent with the old password after one was sent with the new").isZero();
        System.out.printf("credential rotation: %d calls, %d failed before the supplier switched, %d after; "
                + "%d attempts carried the old password, supplier asked %d times%n", outcomes.size(),
            outcomes.stream().filter(o -> o.failed() && o.beganNanos() <= supplierHasIt).count(),
            after.stream().filter(Outcome::failed).count(), oldOnes.size(), asked.get());
      } finally {
        registry.stub("admin").call(MilvusServiceGrpc.getDeleteCredentialMethod(),
            DeleteCredentialRequest.newBuilder().setUsername(user).build()).block(WAIT);
      }
    }
  }

  private static boolean isUnauthenticated(io.grpc.Status status) {
    return status != null && status.getCode() == io.grpc.Status.Code.UNAUTHENTICATED;
  }

  private static String base64(String raw) {
    return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Records the password of each call of the rotating user as it is sent, and the server's answer. */
  private static final class WireRecorder implements ClientInterceptor {
    private final List<Sent> wire;

    WireRecorder(List<Sent> wire) {
      this.wire = wire;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          String header = headers.get(AUTHORIZATION);
          String raw = header == null ? "" : new String(Base64.getDecoder().decode(header), StandardCharsets.UTF_8);
          int colon = raw.indexOf(':');
          if (colon < 0 || !raw.startsWith("rotating_")) {
            super.start(listener, headers);
            return;
          }
          Sent sent = new Sent(raw.substring(colon + 1), System.nanoTime(), new AtomicReference<>());
          wire.add(sent);
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onClose(io.grpc.Status status, Metadata trailers) {
              sent.answer().set(status);
              super.onClose(status, trailers);
            }
          }, headers);
        }
      };
    }
  }
}
