package io.github.reactivemilvus;

/**
 * A connect or call through the registry failed. {@link #kind()} tells the causes apart; the
 * message names the alias and address and never contains a secret. The gRPC status (when there is
 * one) and the Milvus status code are kept, and the original exception is the cause.
 */
public class MilvusConnectionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;
  private final String alias;
  private final String address;
  private final transient io.grpc.Status grpcStatus;
  private final int serverCode;
  private final String detail;

  public MilvusConnectionException(FailureKind kind, String alias, String address, String detail,
      io.grpc.Status grpcStatus, int serverCode, Throwable cause) {
    super(render(kind, alias, address, detail), cause);
    this.kind = kind;
    this.alias = alias;
    this.address = address;
    this.grpcStatus = grpcStatus;
    this.serverCode = serverCode;
    this.detail = detail == null ? "" : detail;
  }

  private static String render(FailureKind kind, String alias, String address, String detail) {
    StringBuilder b = new StringBuilder(kind.description());
    if (alias != null) {
      b.append(": alias '").append(alias).append('\'');
    }
    if (address != null) {
      b.append(alias != null ? " (" + address + ")" : ": " + address);
    }
    if (detail != null && !detail.isEmpty()) {
      b.append(": ").append(detail);
    }
    return b.toString();
  }

  /** What went wrong, without the kind, alias and address. */
  public String detail() {
    return detail;
  }

  public FailureKind kind() {
    return kind;
  }

  public String alias() {
    return alias;
  }

  public String address() {
    return address;
  }

  /** The gRPC status behind the failure, or null when there was none (for example a timeout). */
  public io.grpc.Status grpcStatus() {
    return grpcStatus;
  }

  /** The Milvus {@code Status.code} (or legacy {@code error_code} when code is 0), or 0. */
  public int serverCode() {
    return serverCode;
  }
}
