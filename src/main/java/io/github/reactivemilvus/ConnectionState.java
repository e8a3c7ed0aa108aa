package io.github.reactivemilvus;

/** The state of an alias in {@link ReactiveConnections#listConnections()}. */
public enum ConnectionState {
  /** Registered, never connected or disconnected since. */
  CONFIGURED("configured"),
  /** A connect is in flight. */
  CONNECTING("connecting"),
  /** The handshake completed and the alias was not disconnected since. */
  CONNECTED("connected"),
  /** The last connect failed; the config is kept and the next subscriber tries again. */
  FAILED("failed");

  private final String wireName;

  ConnectionState(String wireName) {
    this.wireName = wireName;
  }

  /** The lower-case name the command line prints ({@code configured}, {@code connecting}, ...). */
  public String wireName() {
    return wireName;
  }
}
