package io.github.reactivemilvus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Credentials an alias's credentials supplier hands out (see
 * {@link ReactiveConnections.Builder#credentials(String, reactor.core.publisher.Mono)}): a token
 * (an API key, or {@code user:password}), or a user and password, with when the supplier wants to
 * be asked again: after an interval ({@link #refreshAfter(Duration)}) or before an expiry
 * ({@link #expiresAt(Instant)}). Without either the supplier is asked again only when a connect
 * begins and when the server refuses the credentials.
 *
 * <p>Immutable. Holds a secret: {@link #toString()} shows the user and the refresh time, never the
 * token or password, and two instances are never compared by their secret.
 */
public final class MilvusCredentials {
  private final String secret; // the raw token, or user:password
  private final @Nullable String user;
  private final @Nullable Duration refreshAfter;
  private final @Nullable Instant expiresAt;

  private MilvusCredentials(String secret, @Nullable String user, @Nullable Duration refreshAfter, @Nullable Instant expiresAt) {
    this.secret = secret;
    this.user = user;
    this.refreshAfter = refreshAfter;
    this.expiresAt = expiresAt;
  }

  /**
   * A token, sent as {@code authorization: base64(token)}: an API key, or {@code user:password}.
   *
   * @throws IllegalArgumentException when the token is empty
   */
  public static MilvusCredentials token(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("the token is empty");
    }
    return new MilvusCredentials(token, null, null, null);
  }

  /**
   * A user and password, sent as {@code authorization: base64(user:password)}.
   *
   * @throws IllegalArgumentException when the user is empty or contains {@code ':'}
   */
  public static MilvusCredentials userPassword(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isEmpty() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("the user name is empty or contains ':'");
    }
    return new MilvusCredentials(user + ":" + password, user, null, null);
  }

  /**
   * These credentials, with the supplier asked again {@code interval} after it handed them out (on the
   * registry's scheduler). Replaces an {@link #expiresAt(Instant) expiry}.
   *
   * @throws IllegalArgumentException when the interval is not positive
   */
  public MilvusCredentials refreshAfter(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the refresh interval must be positive, got " + interval);
    }
    return new MilvusCredentials(secret, user, interval, null);
  }

  /**
   * These credentials, with the supplier asked again before {@code expiry}: when nine tenths of the
   * time left (by the registry's scheduler clock) have passed. Replaces a
   * {@link #refreshAfter(Duration) refresh interval}.
   */
  public MilvusCredentials expiresAt(Instant expiry) {
    return new MilvusCredentials(secret, user, null, Objects.requireNonNull(expiry, "expiry"));
  }

  /** The user of {@link #userPassword}; empty for a token. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** The refresh interval given with {@link #refreshAfter(Duration)}, if any. */
  public Optional<Duration> refreshInterval() {
    return Optional.ofNullable(refreshAfter);
  }

  /** The expiry given with {@link #expiresAt(Instant)}, if any. */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  /**
   * How long until the supplier is asked again, counted from {@code nowMillis} (epoch milliseconds of
   * the registry's scheduler); null when the credentials state no refresh.
   */
  @Nullable Duration nextRefresh(long nowMillis) {
    if (refreshAfter != null) {
      return refreshAfter;
    }
    if (expiresAt != null) {
      long left = Math.max(0, expiresAt.toEpochMilli() - nowMillis);
      return Duration.ofMillis(left - left / 10);
    }
    return null;
  }

  /** The {@code authorization} header value. The secret: never log it. */
  String authorizationHeader() {
    return Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** The kind, the user and the refresh time; the secret as {@code ***}. */
  @Override
  public String toString() {
    return "MilvusCredentials{" + (user != null ? "user=" + user + ", password=***" : "token=***")
        + (refreshAfter != null ? ", refreshAfter=" + refreshAfter : "")
        + (expiresAt != null ? ", expiresAt=" + expiresAt : "") + '}';
  }
}
