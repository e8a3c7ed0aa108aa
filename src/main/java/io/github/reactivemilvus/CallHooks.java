package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.grpc.ClientInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a registry puts on the calls of each alias's channel beside the library's own machinery: the
 * user's interceptors (the registry's, then the alias's) and the observations, when there is an
 * observation registry. Immutable.
 */
final class CallHooks {
  static final CallHooks NONE = new CallHooks(List.of(), alias -> List.of(), null);

  private final List<ClientInterceptor> registryWide;
  private final Function<String, ? extends @Nullable List<? extends ClientInterceptor>> perAlias;
  /** Null without an observation registry: then nothing of Micrometer is loaded. */
  final @Nullable CallObservations observations;

  CallHooks(List<ClientInterceptor> registryWide, Function<String, ? extends @Nullable List<? extends ClientInterceptor>> perAlias,
      @Nullable CallObservations observations) {
    this.registryWide = List.copyOf(registryWide);
    this.perAlias = perAlias;
    this.observations = observations;
  }

  /**
   * The interceptors of {@code alias}'s calls, the outermost first: the registry's, then the alias's (asked for
   * each time the alias connects). Fails with a {@link FailureKind#CLIENT} error when the user's function
   * fails or returns a null interceptor.
   */
  List<ClientInterceptor> interceptors(String alias, String address) {
    List<? extends ClientInterceptor> own;
    try {
      own = perAlias.apply(alias);
    } catch (RuntimeException e) {
      throw new MilvusConnectionException(FailureKind.CLIENT, alias, address,
          "the interceptors function of the registry failed for the alias (" + e.getClass().getSimpleName() + ")", null, 0, e);
    }
    if (own == null || own.isEmpty()) {
      return registryWide;
    }
    List<ClientInterceptor> all = new ArrayList<>(registryWide.size() + own.size());
    all.addAll(registryWide);
    for (ClientInterceptor i : own) {
      if (i == null) {
        throw new MilvusConnectionException(FailureKind.CLIENT, alias, address,
            "the interceptors function of the registry returned a null interceptor for the alias", null, 0, null);
      }
      all.add(i);
    }
    return all;
  }

  /** The observing interceptor of {@code alias}, or null without an observation registry. */
  @Nullable ClientInterceptor observer(String alias, ConnectionConfig config) {
    return observations == null ? null : observations.forAlias(alias, config.dbName());
  }
}
