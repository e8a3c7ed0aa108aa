package io.github.reactivemilvus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The resolver of a several-endpoint alias never stalls: whatever a host lookup throws is reported
 * to gRPC as UNAVAILABLE with the cause, and the next refresh looks the hosts up again. The lookups
 * run on a direct executor, so every test is deterministic.
 */
class EndpointListResolverTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final List<Throwable> uncaught = new ArrayList<>();
  private final SynchronizationContext sync = new SynchronizationContext((t, e) -> uncaught.add(e));
  private final Recorder listener = new Recorder();

  static Stream<Throwable> lookupFailures() {
    return Stream.of(new SecurityException("lookups are not permitted"),
        new IllegalStateException("a custom resolver failed"),
        new NoClassDefFoundError("Could not initialize class sun.net.InetAddressCachePolicy"),
        new StackOverflowError());
  }

  @ParameterizedTest
  @MethodSource("lookupFailures")
  void aLookupThatThrowsIsReportedAsUnavailableAndTheNextRefreshResolvesAgain(Throwable failure) {
    AtomicReference<Throwable> fail = new AtomicReference<>(failure);
    NameResolver resolver = resolver(List.of(InetSocketAddress.createUnresolved("proxy-a", 19530)), Runnable::run, host -> {
      Throwable t = fail.get();
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error e) {
        throw e;
      }
      return LOOPBACK;
    });

    resolver.start(listener);

    assertThat(listener.errors).hasSize(1);
    Status error = listener.errors.get(0);
    assertThat(error.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(error.getCause()).isSameAs(failure);
    assertThat(error.getDescription()).contains("proxy-a").contains(failure.getClass().getName());
    assertThat(listener.results).isEmpty();

    fail.set(null);
    sync.execute(resolver::refresh);

    assertThat(listener.results).hasSize(1);
    assertThat(listener.results.get(0).get(0).getAddresses())
        .containsExactly(new InetSocketAddress(LOOPBACK, 19530));
    assertThat(uncaught).isEmpty();
  }

  @Test
  void anEndpointWhoseLookupThrowsIsLeftOutWhileTheOthersAreUsed() {
    NameResolver resolver = resolver(List.of(InetSocketAddress.createUnresolved("broken", 1),
        InetSocketAddress.createUnresolved("fine", 2)), Runnable::run, host -> {
          if (host.equals("broken")) {
            throw new IllegalArgumentException("bad host");
          }
          return LOOPBACK;
        });

    resolver.start(listener);

    assertThat(listener.errors).isEmpty();
    assertThat(listener.results).hasSize(1);
    assertThat(listener.results.get(0)).hasSize(1);
    assertThat(listener.results.get(0).get(0).getAddresses()).containsExactly(new InetSocketAddress(LOOPBACK, 2));
  }

  @Test
  void anUnknownHostIsReportedWithItsCause() {
    UnknownHostException unknown = new UnknownHostException("no-such-host.invalid");
    NameResolver resolver = resolver(List.of(InetSocketAddress.createUnresolved("no-such-host.invalid", 1)), Runnable::run,
        host -> {
          throw unknown;
        });

    resolver.start(listener);

    assertThat(listener.errors).hasSize(1);
    assertThat(listener.errors.get(0).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(listener.errors.get(0).getCause()).isSameAs(unknown);
    assertThat(listener.errors.get(0).getDescription()).contains("unknown hosts [no-such-host.invalid]");
  }

  @Test
  void anOffloadExecutorThatRefusesTheLookupIsReportedAndALaterRefreshResolves() {
    AtomicReference<Boolean> refuse = new AtomicReference<>(true);
    Executor offload = task -> {
      if (refuse.get()) {
        throw new RejectedExecutionException("shut down");
      }
      task.run();
    };
    NameResolver resolver = resolver(List.of(InetSocketAddress.createUnresolved("proxy-a", 7)), offload, host -> LOOPBACK);

    sync.execute(() -> resolver.start(listener));

    assertThat(listener.errors).hasSize(1);
    assertThat(listener.errors.get(0).getCause()).isInstanceOf(RejectedExecutionException.class);

    refuse.set(false);
    sync.execute(resolver::refresh);

    assertThat(listener.results).hasSize(1);
    assertThat(uncaught).isEmpty();
  }

  private NameResolver resolver(List<InetSocketAddress> endpoints, Executor offload, EndpointListResolver.HostLookup lookup) {
    NameResolver.Args args = NameResolver.Args.newBuilder()
        .setDefaultPort(19530)
        .setProxyDetector(target -> null)
        .setSynchronizationContext(sync)
        .setServiceConfigParser(new NameResolver.ServiceConfigParser() {
          @Override
          public NameResolver.ConfigOrError parseServiceConfig(java.util.Map<String, ?> rawServiceConfig) {
            return NameResolver.ConfigOrError.fromConfig(rawServiceConfig);
          }
        })
        .setOffloadExecutor(offload)
        .build();
    return EndpointListResolver.factory(endpoints, null, lookup)
        .newNameResolver(URI.create(EndpointListResolver.SCHEME + ":///alias"), args);
  }

  /** Records what the resolver reports. */
  private static final class Recorder extends NameResolver.Listener2 {
    final List<Status> errors = new ArrayList<>();
    final List<List<EquivalentAddressGroup>> results = new ArrayList<>();

    @Override
    public void onResult(NameResolver.ResolutionResult result) {
      results.add(result.getAddresses());
    }

    @Override
    public void onError(Status error) {
      errors.add(error);
    }
  }
}
