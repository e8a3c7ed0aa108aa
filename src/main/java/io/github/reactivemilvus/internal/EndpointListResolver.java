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
  private final HostLookup lookup;
  private @Nullable Listener2 listener;
  private boolean resolving;
  private boolean shutdown;

  private EndpointListResolver(List<InetSocketAddress> endpoints, @Nullable String authorityOverride, Args args,
      HostLookup lookup) {
    this.lookup = lookup;
    this.endpoints = List.copyOf(endpoints);
    this.authorityOverride = authorityOverride;
    this.serviceAuthority = authorityOverride != null ? authorityOverride : authority(endpoints.get(0));
    this.offload = args.getOffloadExecutor() != null ? args.getOffloadExecutor() : Runnable::run;
    this.sync = args.getSynchronizationContext();
  }

  /** A factory for a channel built with {@code forTarget(SCHEME + ":///" + name)}. */
  static NameResolver.Factory factory(List<InetSocketAddress> endpoints, @Nullable String authorityOverride) {
    return factory(endpoints, authorityOverride, InetAddress::getByName);
  }

  /** As {@link #factory(List, String)}, looking host names up with {@code lookup}. */
  static NameResolver.Factory factory(List<InetSocketAddress> endpoints, @Nullable String authorityOverride,
      HostLookup lookup) {
    return new NameResolver.Factory() {
      @Override
      public @Nullable NameResolver newNameResolver(URI targetUri, Args args) {
        return SCHEME.equals(targetUri.getScheme()) ? new EndpointListResolver(endpoints, authorityOverride, args, lookup) : null;
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

  /**
   * Called in gRPC's synchronization context; the lookups run on the offload executor. Whatever a
   * lookup throws (not only {@link UnknownHostException}: a {@link SecurityException}, a custom
   * resolver's exception, an {@link Error}) ends this resolution with UNAVAILABLE carrying the
   * cause, so the channel backs off and the next {@link #refresh()} looks the hosts up again.
   */
  private void resolve() {
    if (resolving || shutdown) {
      return;
    }
    resolving = true;
    try {
      offload.execute(this::lookUpAll);
    } catch (Throwable e) {
      // a rejected hand-off (the registry is closing): report it rather than stay "resolving"
      resolving = false;
      started().onError(Status.UNAVAILABLE.withDescription("the host names could not be looked up").withCause(e));
    }
  }

  /** The listener of {@code start}: lookups begin only after it. */
  private Listener2 started() {
    return Objects.requireNonNull(listener, "resolution before start");
  }

  /** Runs on the offload executor: looks every endpoint up, then reports in the synchronization context. */
  private void lookUpAll() {
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    @Nullable Throwable firstFailure = null;
    for (InetSocketAddress e : endpoints) {
      try {
        InetSocketAddress resolved = new InetSocketAddress(lookup.lookUp(e.getHostString()), e.getPort());
        Attributes attrs = Attributes.newBuilder()
            .set(EquivalentAddressGroup.ATTR_AUTHORITY_OVERRIDE,
                authorityOverride != null ? authorityOverride : authority(e))
            .build();
        groups.add(new EquivalentAddressGroup(resolved, attrs));
      } catch (UnknownHostException ex) {
        unknown.add(e.getHostString());
        firstFailure = firstFailure != null ? firstFailure : ex;
      } catch (Throwable ex) {
        failed.add(e.getHostString() + " (" + ex.getClass().getName() + ")");
        firstFailure = firstFailure != null ? firstFailure : ex;
      }
    }
    Throwable cause = firstFailure;
    sync.execute(() -> {
      resolving = false;
      if (shutdown) {
        return;
      }
      if (groups.isEmpty()) {
        StringBuilder why = new StringBuilder("no endpoint could be resolved:");
        if (!unknown.isEmpty()) {
          why.append(" unknown hosts ").append(unknown);
        }
        if (!failed.isEmpty()) {
          why.append(" lookup failed for ").append(failed);
        }
        started().onError(Status.UNAVAILABLE.withDescription(why.toString()).withCause(cause));
      } else {
        // the endpoints that resolve are used; the others are looked up again on the next refresh
        started().onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
      }
    });
  }

  /** How a host name becomes an address; {@link InetAddress#getByName} except in tests. */
  @FunctionalInterface
  interface HostLookup {
    /** The address of {@code host}; may block. */
    InetAddress lookUp(String host) throws UnknownHostException;
  }

  private static String authority(InetSocketAddress e) {
    String host = e.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + e.getPort();
  }
}
