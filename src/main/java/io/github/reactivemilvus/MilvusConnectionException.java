package io.github.reactivemilvus;

import org.jspecify.annotations.Nullable;

/**
 * A connect or call through the registry failed. {@link #kind()} tells the causes apart; the
 * message names the alias and address and never contains a secret. The gRPC status (when there is
 * one) and the Milvus status code are kept, and the original exception is the cause.
 */
public class MilvusConnectionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;
  private final @Nullable String alias;
  private final @Nullable String address;
  private final transient io.grpc.@Nullable Status grpcStatus;
  private final int serverCode;
  private final String detail;
  private final MilvusError error;

  /**
   * A failure of {@code kind}. Messages are built from the parts given here; none of them may
   * contain a secret.
   *
   * @param kind what went wrong
   * @param alias the alias, or null when the failure belongs to none
   * @param address the normalized address, or null when unknown
   * @param detail what went wrong, without kind, alias and address; null means none
   * @param grpcStatus the gRPC status behind the failure, or null
   * @param serverCode the Milvus status code, or 0
   * @param cause the original exception, or null
   */
  public MilvusConnectionException(FailureKind kind, @Nullable String alias, @Nullable String address,
      @Nullable String detail, io.grpc.@Nullable Status grpcStatus, int serverCode, @Nullable Throwable cause) {
    this(kind, alias, address, detail, grpcStatus, serverCode, MilvusError.ofFailure(kind, grpcStatus, serverCode), cause);
  }

  /**
   * A failure of {@code kind} whose meaning to a service is {@code error} (decided from the whole
   * Milvus status, for example). Messages are built from the parts given here; none of them may
   * contain a secret.
   *
   * @param kind what went wrong
   * @param alias the alias, or null when the failure belongs to none
   * @param address the normalized address, or null when unknown
   * @param detail what went wrong, without kind, alias and address; null means none
   * @param grpcStatus the gRPC status behind the failure, or null
   * @param serverCode the Milvus status code, or 0
   * @param error what the failure means to a service
   * @param cause the original exception, or null
   */
  public MilvusConnectionException(FailureKind kind, @Nullable String alias, @Nullable String address,
      @Nullable String detail, io.grpc.@Nullable Status grpcStatus, int serverCode, MilvusError error,
      @Nullable Throwable cause) {
    super(render(kind, alias, address, detail), cause);
    this.error = error;
    this.kind = kind;
    this.alias = alias;
    this.address = address;
    this.grpcStatus = grpcStatus;
    this.serverCode = serverCode;
    this.detail = detail == null ? "" : detail;
  }

  private static String render(FailureKind kind, @Nullable String alias, @Nullable String address, @Nullable String detail) {
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

  /** What went wrong, as one of a few kinds a caller can act on. */
  public FailureKind kind() {
    return kind;
  }

  /** The alias of the failed connect or call, or null when it belongs to none. */
  public @Nullable String alias() {
    return alias;
  }

  /** The alias's normalized address, or null when unknown (for example an unknown alias). */
  public @Nullable String address() {
    return address;
  }

  /** The gRPC status behind the failure, or null when there was none (for example a timeout). */
  public io.grpc.@Nullable Status grpcStatus() {
    return grpcStatus;
  }

  /**
   * What the failure means to a service (collection not found, already exists, invalid
   * expression, ...): see {@link MilvusError}; {@link MilvusError#OTHER} when none of its cases.
   */
  public MilvusError error() {
    return error;
  }

  /** The Milvus {@code Status.code} (or legacy {@code error_code} when code is 0), or 0. */
  public int serverCode() {
    return serverCode;
  }
}
