package io.github.reactivemilvus;

import io.github.reactivemilvus.proto.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Tells failure causes apart and decides which are worth retrying. Stateless. */
final class Failures {
  static final int CODE_NOT_READY = 1;
  static final int CODE_UNAVAILABLE = 2;
  static final int CODE_RATE_LIMIT = 8;
  static final int LEGACY_RATE_LIMIT = 49;
  static final int LEGACY_NOT_READY = 56;
  static final int CODE_DATABASE_NOT_FOUND = 800;

  private Failures() {}

  /** A response is a success only when both {@code code} and {@code error_code} are 0. */
  static boolean isSuccess(Status status) {
    return status.getCode() == 0 && status.getErrorCode() == 0;
  }

  static int serverCode(Status status) {
    return status.getCode() != 0 ? status.getCode() : status.getErrorCode();
  }

  /** An error Status carried in a response, before it is classified. */
  static final class ServerStatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Status status;

    ServerStatusException(Status status) {
      super("code " + status.getCode() + ", error_code " + status.getErrorCode() + ": " + status.getReason(), null, false, false);
      this.status = status;
    }
  }

  /** Maps any failure of a connect or call on {@code alias} to a classified exception. */
  static MilvusConnectionException classify(Throwable error, String alias, String address, boolean duringConnect) {
    if (error instanceof MilvusConnectionException m) {
      return m;
    }
    if (error instanceof ServerStatusException s) {
      int code = serverCode(s.status);
      FailureKind kind = s.status.getCode() == CODE_DATABASE_NOT_FOUND ? FailureKind.DATABASE_NOT_FOUND : FailureKind.SERVER_STATUS;
      return new MilvusConnectionException(kind, alias, address,
          "code " + s.status.getCode() + " (error_code " + s.status.getErrorCode() + "): " + s.status.getReason(),
          null, code, null);
    }
    if (error instanceof TimeoutException) {
      return new MilvusConnectionException(FailureKind.UNREACHABLE, alias, address,
          error.getMessage(), null, 0, error.getCause() != null ? error.getCause() : error);
    }
    io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
    FailureKind kind = kindOf(grpc, duringConnect);
    return new MilvusConnectionException(kind, alias, address, describe(grpc), grpc, 0, error);
  }

  static FailureKind kindOf(io.grpc.Status grpc, boolean duringConnect) {
    String text = String.valueOf(grpc.getDescription()).toLowerCase(Locale.ROOT);
    switch (grpc.getCode()) {
      case UNAUTHENTICATED:
        return FailureKind.AUTHENTICATION;
      case UNKNOWN:
        return isAuthText(text) ? FailureKind.AUTHENTICATION : FailureKind.RPC;
      case UNIMPLEMENTED:
        return duringConnect ? FailureKind.NOT_MILVUS : FailureKind.RPC;
      case RESOURCE_EXHAUSTED:
        return text.contains(CallLimiter.LIMIT_MARKER) ? FailureKind.CALL_LIMIT_EXCEEDED : FailureKind.RPC;
      case UNAVAILABLE:
      case INTERNAL:
        if (isTls(grpc)) {
          return FailureKind.TLS;
        }
        if (isNotGrpc(grpc)) {
          return FailureKind.NOT_MILVUS;
        }
        return grpc.getCode() == io.grpc.Status.Code.UNAVAILABLE ? FailureKind.UNREACHABLE : FailureKind.RPC;
      default:
        return FailureKind.RPC;
    }
  }

  private static boolean isAuthText(String text) {
    return text.contains("auth check failure") || text.contains("missing authorization")
        || text.contains("invalid token format");
  }

  private static boolean isTls(io.grpc.Status grpc) {
    for (Throwable t = grpc.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SSLException || t.getClass().getName().contains("NotSslRecord")) {
        return true;
      }
    }
    String text = String.valueOf(grpc.getDescription()).toLowerCase(Locale.ROOT);
    // a plaintext HTTP/2 client reading a TLS record: content type 0x15 (alert) or 0x16 (handshake)
    return text.contains("hex dump: 1503") || text.contains("hex dump: 1603") || text.contains("ssl");
  }

  private static boolean isNotGrpc(io.grpc.Status grpc) {
    String text = String.valueOf(grpc.getDescription()).toLowerCase(Locale.ROOT);
    if (text.contains("first received frame was not settings") || text.contains("http/1")
        || text.contains("http2 exception") || text.contains("protocol error")) {
      return true;
    }
    for (Throwable t = grpc.getCause(); t != null; t = t.getCause()) {
      if (t.getClass().getName().contains("Http2Exception")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(io.grpc.Status grpc) {
    StringBuilder b = new StringBuilder(grpc.getCode().name());
    if (grpc.getDescription() != null) {
      b.append(' ').append(grpc.getDescription());
    }
    Throwable root = grpc.getCause();
    while (root != null && root.getCause() != null) {
      root = root.getCause();
    }
    if (root != null && root.getMessage() != null && (grpc.getDescription() == null || !grpc.getDescription().contains(root.getMessage()))) {
      b.append(" (").append(root.getMessage()).append(')');
    }
    return b.toString();
  }

  /** Transient connect failures: worth another handshake attempt within the connect timeout. */
  static boolean isTransientConnectFailure(Throwable error) {
    if (error instanceof ServerStatusException s) {
      int code = s.status.getCode();
      int legacy = s.status.getErrorCode();
      return code == CODE_NOT_READY || code == CODE_UNAVAILABLE || code == CODE_RATE_LIMIT
          || legacy == LEGACY_NOT_READY || legacy == LEGACY_RATE_LIMIT;
    }
    if (error instanceof StatusRuntimeException || error instanceof io.grpc.StatusException) {
      io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
      FailureKind kind = kindOf(grpc, true);
      return kind == FailureKind.UNREACHABLE
          || (grpc.getCode() == io.grpc.Status.Code.UNKNOWN && kind != FailureKind.AUTHENTICATION);
    }
    return false;
  }

  /** Idempotent reads through the stubs: retried on UNAVAILABLE and Milvus rate limiting only. */
  static boolean isRetryableCallFailure(Throwable error) {
    if (error instanceof ServerStatusException s) {
      return s.status.getCode() == CODE_RATE_LIMIT || s.status.getErrorCode() == LEGACY_RATE_LIMIT;
    }
    if (error instanceof StatusRuntimeException || error instanceof io.grpc.StatusException) {
      io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
      return grpc.getCode() == io.grpc.Status.Code.UNAVAILABLE && !isTls(grpc) && !isNotGrpc(grpc);
    }
    return false;
  }
}
