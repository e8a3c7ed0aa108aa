package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.GetVersionResponse;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ServerInfo;
import io.github.reactivemilvus.proto.Status;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A per-alias credentials supplier over grpc-java's in-process transport, against a server that
 * accepts one password at a time and records the {@code authorization} header of every call: the
 * supplier is read when connecting, asked again on the schedule the credentials state (virtual
 * time), and once when the server refuses a call, which is then sent again with the new value.
 */
class CredentialsRefreshTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> SENT = Context.key("sent");

  private final String name = "credentials-" + System.nanoTime();
  private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
  /** The password the server accepts now. */
  private final AtomicReference<String> accepted = new AtomicReference<>("first");
  /** What the supplier hands out now. */
  private final AtomicReference<MilvusCredentials> handedOut =
      new AtomicReference<>(MilvusCredentials.userPassword("alice", "first"));
  private final AtomicInteger asked = new AtomicInteger();
  /** The password each call carried, in the order the server saw them. */
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private Server server;
  private ReactiveConnections registry;

  private void start() throws IOException {
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new Answering(), new RecordingAuth())).build().start();
    Mono<MilvusCredentials> supplier = Mono.fromSupplier(() -> {
      asked.incrementAndGet();
      return handedOut.get();
    });
    registry = ReactiveConnections.builder().environment(Map.of()).scheduler(clock)
        .credentials("rotating", supplier)
        .transport(c -> InProcessChannelBuilder.forName(name).directExecutor().build())
        .build();
    registry.addConnection("rotating", Map.of("uri", "http://localhost:19530")).block(WAIT);
  }

  @AfterEach
  void tearDown() {
    if (registry != null) {
      registry.close();
    }
    if (server != null) {
      server.shutdownNow();
    }
    clock.dispose();
  }

  private String version() {
    return registry.stub("rotating").getVersion().block(WAIT);
  }

  @Test
  void theSupplierIsReadWhenConnectingAndEveryCallCarriesItsValue() throws IOException {
    start();
    assertThat(version()).isEqualTo("in-process");
    assertThat(version()).isEqualTo("in-process");
    assertThat(asked.get()).isEqualTo(1);
    assertThat(sent).containsOnly("alice:first").hasSize(3); // the handshake and two calls
  }

  @Test
  void theSupplierIsAskedAgainOnTheIntervalItStatesOnTheRegistrysScheduler() throws IOException {
    handedOut.set(MilvusCredentials.userPassword("alice", "first").refreshAfter(Duration.ofMinutes(1)));
    start();
    version();
    clock.advanceTimeBy(Duration.ofSeconds(59));
    assertThat(asked.get()).isEqualTo(1);
    handedOut.set(MilvusCredentials.userPassword("alice", "second").refreshAfter(Duration.ofMinutes(1)));
    accepted.set("second");
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(asked.get()).isEqualTo(2);
    sent.clear();
    assertThat(version()).isEqualTo("in-process");
    assertThat(sent).containsExactly("alice:second");
    clock.advanceTimeBy(Duration.ofMinutes(1));
    assertThat(asked.get()).as("and again a minute later").isEqualTo(3);
  }

  @Test
  void anExpiryIsRefreshedWhenNineTenthsOfItsTimeHavePassed() throws IOException {
    Instant now = Instant.ofEpochMilli(clock.now(java.util.concurrent.TimeUnit.MILLISECONDS));
    handedOut.set(MilvusCredentials.userPassword("alice", "first").expiresAt(now.plusSeconds(100)));
    start();
    version();
    clock.advanceTimeBy(Duration.ofSeconds(89));
    assertThat(asked.get()).isEqualTo(1);
    clock.advanceTimeBy(Duration.ofSeconds(1));
    assertThat(asked.get()).isEqualTo(2);
  }

  @Test
  void aRefusedCallAsksTheSupplierOnceAndIsSentAgainWithTheNewCredentials() throws IOException {
    start();
    version();
    accepted.set("second");
    handedOut.set(MilvusCredentials.userPassword("alice", "second"));
    sent.clear();
    assertThat(version()).isEqualTo("in-process");
    assertThat(sent).containsExactly("alice:first", "alice:second");
    assertThat(asked.get()).isEqualTo(2);
  }

  @Test
  void callsRefusedTogetherShareOneRefresh() throws IOException {
    start();
    version();
    accepted.set("second");
    handedOut.set(MilvusCredentials.userPassword("alice", "second"));
    List<String> versions = Flux.range(0, 32).flatMap(i -> registry.stub("rotating").getVersion(), 32)
        .collectList().block(WAIT);
    assertThat(versions).hasSize(32).containsOnly("in-process");
    // the refused calls were all sent before the one refresh began, so each joins it or finds its value
    assertThat(asked.get()).isEqualTo(2);
  }

  @Test
  void aRefusalWhileTheSupplierHandsOutTheSameCredentialsFailsAsAuthenticationWithoutTheSecret() throws IOException {
    start();
    version();
    accepted.set("not-handed-out");
    assertThatThrownBy(this::version).isInstanceOfSatisfying(MilvusConnectionException.class, e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.AUTHENTICATION);
      assertThat(e.getMessage()).doesNotContain("first").doesNotContain(base64("alice:first"));
    });
    assertThat(asked.get()).as("asked once more, not again and again").isEqualTo(2);
  }

  @Test
  void aConnectRefusedForItsCredentialsFailsAsAuthenticationAndStopsTheSchedule() throws IOException {
    handedOut.set(MilvusCredentials.userPassword("alice", "first").refreshAfter(Duration.ofMinutes(1)));
    accepted.set("other");
    start();
    assertThatThrownBy(this::version).isInstanceOfSatisfying(MilvusConnectionException.class,
        e -> assertThat(e.kind()).isEqualTo(FailureKind.AUTHENTICATION));
    int asks = asked.get();
    clock.advanceTimeBy(Duration.ofMinutes(10));
    assertThat(asked.get()).as("no refresh for an alias that is not connected").isEqualTo(asks);
  }

  @Test
  void aSupplierThatFailsFailsTheConnectAsAuthentication() throws IOException {
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new Answering()).build().start();
    registry = ReactiveConnections.builder().environment(Map.of()).scheduler(clock)
        .credentials("broken", Mono.error(new IllegalStateException("vault sealed")))
        .transport(c -> InProcessChannelBuilder.forName(name).directExecutor().build())
        .build();
    registry.addConnection("broken", Map.of("uri", "http://localhost:19530")).block(WAIT);
    assertThatThrownBy(() -> registry.connect("broken").block(WAIT))
        .isInstanceOfSatisfying(MilvusConnectionException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.AUTHENTICATION);
          assertThat(e.getMessage()).contains("credentials supplier failed");
        });
  }

  @Test
  void credentialsShowNoSecret() {
    assertThat(MilvusCredentials.userPassword("alice", "s3cret").refreshAfter(Duration.ofMinutes(5)).toString())
        .contains("alice", "PT5M").doesNotContain("s3cret");
    assertThat(MilvusCredentials.token("tok-123").toString()).doesNotContain("tok-123");
    assertThatThrownBy(() -> MilvusCredentials.userPassword("a:b", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("x\"");
  }

  private static String base64(String raw) {
    return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Records each call's password and refuses, as Milvus does, a call without the accepted one. */
  private final class RecordingAuth implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      String header = headers.get(AUTHORIZATION);
      String raw = header == null ? "" : new String(Base64.getDecoder().decode(header), StandardCharsets.UTF_8);
      sent.add(raw);
      if (!raw.equals("alice:" + accepted.get())) {
        call.close(io.grpc.Status.UNAUTHENTICATED.withDescription("auth check failure, please check username and password"),
            new Metadata());
        return new ServerCall.Listener<>() { };
      }
      return Contexts.interceptCall(Context.current().withValue(SENT, raw), call, headers, next);
    }
  }

  /** Connect and GetVersion as Milvus answers them. */
  private static final class Answering extends MilvusServiceGrpc.MilvusServiceImplBase {
    @Override
    public void connect(ConnectRequest request, StreamObserver<ConnectResponse> response) {
      response.onNext(ConnectResponse.newBuilder().setStatus(Status.newBuilder().setCode(0))
          .setServerInfo(ServerInfo.newBuilder().setBuildTags("in-process")).setIdentifier(7).build());
      response.onCompleted();
    }

    @Override
    public void getVersion(GetVersionRequest request, StreamObserver<GetVersionResponse> response) {
      response.onNext(GetVersionResponse.newBuilder().setStatus(Status.newBuilder().setCode(0)).setVersion("in-process").build());
      response.onCompleted();
    }
  }
}
