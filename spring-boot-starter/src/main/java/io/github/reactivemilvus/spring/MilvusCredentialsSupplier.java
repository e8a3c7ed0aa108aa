package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.MilvusCredentials;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Declare a bean of this type to take an alias's credentials from a supplier instead of its
 * {@code token} or {@code user}/{@code password} properties (a secret store, a token service): the
 * auto-configured registry asks it when the alias connects, on the schedule the credentials state,
 * and when the server refuses a call's credentials, and calls carry what it handed out last, with no
 * reconnect (see {@code ReactiveConnections.Builder#credentials}). One bean per alias; two for the
 * same alias stop the application from starting.
 *
 * <pre>{@code
 * @Bean
 * MilvusCredentialsSupplier searchCredentials(VaultTemplate vault) {
 *   return MilvusCredentialsSupplier.of("search", Mono.fromCallable(() -> ...)
 *       .map(secret -> MilvusCredentials.token(secret).refreshAfter(Duration.ofMinutes(10)))
 *       .subscribeOn(Schedulers.boundedElastic()));
 * }
 * }</pre>
 */
public interface MilvusCredentialsSupplier {

  /** The alias ({@code milvus.connections.<alias>}) whose credentials this supplies. */
  String alias();

  /**
   * The credentials, asked afresh at each subscription (a cold, re-subscribable {@code Mono} that
   * does not block the subscribing thread).
   */
  Mono<MilvusCredentials> credentials();

  /** A supplier of {@code credentials} for {@code alias}. */
  static MilvusCredentialsSupplier of(String alias, Mono<MilvusCredentials> credentials) {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(credentials, "credentials");
    return new MilvusCredentialsSupplier() {
      @Override
      public String alias() {
        return alias;
      }

      @Override
      public Mono<MilvusCredentials> credentials() {
        return credentials;
      }

      @Override
      public String toString() {
        return "MilvusCredentialsSupplier{alias=" + alias + "}";
      }
    };
  }
}
