package io.github.reactivemilvus;

/** Why a connect or call failed; see {@link MilvusConnectionException#kind()}. */
public enum FailureKind {
  /** Refused, DNS failure, no route, or no answer within the timeout. */
  UNREACHABLE("server unreachable"),
  /**
   * The TLS handshake failed (untrusted certificate, rejected client certificate, TLS against
   * plaintext or the reverse), or a certificate file holds nothing usable. Never retried.
   */
  TLS("TLS failure"),
  /** The server rejected the credentials (UNAUTHENTICATED, or UNKNOWN saying so). */
  AUTHENTICATION("authentication failed"),
  /** The endpoint speaks HTTP/2 but not the Milvus service (UNIMPLEMENTED from Connect). */
  NOT_MILVUS("not a Milvus gRPC endpoint"),
  /** The database sent as {@code dbname} does not exist (status code 800). */
  DATABASE_NOT_FOUND("database not found"),
  /** The server answered with a non-success status. */
  SERVER_STATUS("server error"),
  /**
   * The authenticated user lacks a privilege the call needs: gRPC {@code PERMISSION_DENIED}, or a response
   * status of code 1401 (privilege not permitted) or legacy error_code 3 (PermissionDenied). Never retried.
   */
  PERMISSION_DENIED("permission denied"),
  /** A gRPC error that is none of the above (for example DEADLINE_EXCEEDED on a call). */
  RPC("call failed"),
  /** The alias's in-flight and pending call limits are both full. */
  CALL_LIMIT_EXCEEDED("call limit exceeded"),
  /** The alias is not registered. */
  UNKNOWN_ALIAS("unknown alias"),
  /** The alias was disconnected or the registry closed while the operation was under way. */
  CLOSED("connection closed"),
  /**
   * A failure on the client side, not the server's: a {@link Error} such as a
   * {@link LinkageError} ({@code NoClassDefFoundError} from a dependency of the wrong version), a
   * blocking call refused by BlockHound, a protobuf runtime that does not fit the generated code,
   * or a programming error (for example a {@link NullPointerException}) in the library or in a
   * callback. Never retried: the connect or call fails at once, with the error as its cause.
   */
  CLIENT("client-side failure");

  private final String description;

  FailureKind(String description) {
    this.description = description;
  }

  /** A short phrase for messages, such as {@code "server unreachable"}. */
  public String description() {
    return description;
  }
}
