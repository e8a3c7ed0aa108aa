package io.github.reactivemilvus;

import io.grpc.ManagedChannel;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * What {@link ReactiveConnections#channel(String)} returns: the alias is looked up when this is
 * subscribed, not when it was made, so a {@code Mono} kept and subscribed again (a retry, a repeat)
 * follows the alias's current registration. An alias already connected is answered on the
 * subscriber's thread without allocating (its channel is published as a ready {@code Mono}); one
 * that is not joins or starts the shared connect. One instance per alias, made with its entry.
 */
final class ChannelByName extends Mono<ManagedChannel> {
  private final ReactiveConnections registry;
  private final String alias;
  private volatile @Nullable AliasEntry entry;

  ChannelByName(ReactiveConnections registry, String alias) {
    this.registry = registry;
    this.alias = alias;
  }

  /** Made with its entry: until the entry leaves the registry, no lookup is needed. */
  void bind(AliasEntry entry) {
    this.entry = entry;
  }

  @Override
  public void subscribe(CoreSubscriber<? super ManagedChannel> actual) {
    AliasEntry e = entry;
    if (e != null && !e.isRetired()) {
      e.subscribeChannel(actual);
    } else {
      registry.subscribeChannel(alias, actual);
    }
  }

  @Override
  public String toString() {
    return "channel(" + alias + ")";
  }
}
