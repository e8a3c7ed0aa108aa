package io.github.reactivemilvus.internal;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * grpc-java name resolution for an alias that names several endpoints (the proxies of one
 * cluster): every endpoint becomes an address group of its own, so that the channel's
 * {@code round_robin} policy spreads calls across the proxies, skips one that is down and
 * reconnects it in the background. Host names are looked up on the channel's offload executor,
 * never on the thread that starts the resolver, and again on every refresh (gRPC asks for one when
 * a connection fails).
 *
 * <p>Each group carries its own authority ({@code host:port}, or the configured
 * {@code server_name}), so TLS checks every proxy against its own name.
 */
@Internal
final class EndpointListResolver extends NameResolver {
  static final String SCHEME = "milvus-endpoints";

  private final List<InetSocketAddress> endpoints;
  private final @Nullable String authorityOverride;
  private final String serviceAuthority;
  private final Executor offload;
  private final io.grpc.SynchronizationContext sync;
  private @Nullable Listener2 listener;
  private boolean resolving;
  private boolean shutdown;

  private EndpointListResolver(List<InetSocketAddress> endpoints, @Nullable String authorityOverride, Args args) {
    this.endpoints = List.copyOf(endpoints);
    this.authorityOverride = authorityOverride;
    this.serviceAuthority = authorityOverride != null ? authorityOverride : authority(endpoints.get(0));
    this.offload = args.getOffloadExecutor() != null ? args.getOffloadExecutor() : Runnable::run;
    this.sync = args.getSynchronizationContext();
  }

  /** A factory for a channel built with {@code forTarget(SCHEME + ":///" + name)}. */
  static NameResolver.Factory factory(List<InetSocketAddress> endpoints, @Nullable String authorityOverride) {
    return new NameResolver.Factory() {
      @Override
      public @Nullable NameResolver newNameResolver(URI targetUri, Args args) {
        return SCHEME.equals(targetUri.getScheme()) ? new EndpointListResolver(endpoints, authorityOverride, args) : null;
      }

      @Override
      public String getDefaultScheme() {
        return SCHEME;
      }
    };
  }

  @Override
  public String getServiceAuthority() {
    return serviceAuthority;
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    resolve();
  }

  @Override
  public void refresh() {
    resolve();
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  /** Called in gRPC's synchronization context; the lookups run on the offload executor. */
  private void resolve() {
    if (resolving || shutdown) {
      return;
    }
    resolving = true;
    offload.execute(() -> {
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      for (InetSocketAddress e : endpoints) {
        try {
          InetSocketAddress resolved = new InetSocketAddress(InetAddress.getByName(e.getHostString()), e.getPort());
          Attributes attrs = Attributes.newBuilder()
              .set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE,
                  authorityOverride != null ? authorityOverride : authority(e))
              .build();
          groups.add(new EquivalentAddressGroup(resolved, attrs));
        } catch (UnknownHostException ex) {
          unknown.add(e.getHostString());
        }
      }
      sync.execute(() -> {
        resolving = false;
        if (shutdown) {
          return;
        }
        if (groups.isEmpty()) {
          Objects.requireNonNull(listener)
              .onError(Status.UNAVAILABLE.withDescription("no endpoint could be resolved: unknown hosts " + unknown));
        } else {
          // the endpoints that resolve are used; the others are looked up again on the next refresh
          Objects.requireNonNull(listener).onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
        }
      });
    });
  }

  private static String authority(InetSocketAddress e) {
    String host = e.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + e.getPort();
  }
}
