package io.github.reactivemilvus.config;

/** Which credentials a connection sends in the {@code authorization} header. */
public enum AuthMode {
  /** No {@code authorization} header. */
  NONE("none"),
  /** {@code authorization: base64(token)}; the token is an API key or {@code user:password}. */
  TOKEN("token"),
  /** {@code authorization: base64(user:password)}. */
  USER_PASSWORD("user_password");

  private final String wireName;

  AuthMode(String wireName) {
    this.wireName = wireName;
  }

  /** The snake-case name used in the normalized view and the command line's JSON. */
  public String wireName() {
    return wireName;
  }
}
