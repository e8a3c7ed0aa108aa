package io.github.reactivemilvus.config;

/**
 * How a connection secures its transport, as resolved from {@code secure}, the URI scheme and the
 * certificate paths (SPEC rules in {@link ConnectionConfig}).
 */
public enum TlsMode {
  /** Plaintext HTTP/2. */
  NONE("none"),
  /** TLS, trusting the JVM's default trust roots. */
  SYSTEM_ROOTS("system_roots"),
  /** One-way TLS, trusting only the certificate(s) in {@code server_pem_path}. */
  CUSTOM_ROOT("custom_root"),
  /** Mutual TLS: client certificate and key, server verified against {@code ca_pem_path}. */
  MUTUAL("mutual");

  private final String wireName;

  TlsMode(String wireName) {
    this.wireName = wireName;
  }

  /** The snake-case name used in the normalized view and the command line's JSON. */
  public String wireName() {
    return wireName;
  }
}
