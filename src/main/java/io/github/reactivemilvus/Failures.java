package io.github.reactivemilvus;

import io.github.reactivemilvus.internal.AliasChannel;
import io.github.reactivemilvus.internal.CallLimiter;
import io.github.reactivemilvus.internal.TlsProbe;
import io.github.reactivemilvus.internal.TransportException;
import io.github.reactivemilvus.proto.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

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
    return status.getCode() == 0 && status.getErrorCodeValue() == 0;
  }

  /**
   * Code 800 (Milvus 2.3 and later), or the generic code Milvus Lite uses (1) with its message
   * "database 'x' does not exist".
   */
  static boolean isDatabaseNotFound(Status status) {
    if (isSuccess(status)) {
      return false;
    }
    return status.getCode() == CODE_DATABASE_NOT_FOUND
        || DATABASE_MISSING.matcher(status.getReason()).find();
  }

  private static final Pattern DATABASE_MISSING =
      Pattern.compile("(?i)\\bdatabase\\b.*\\b(does not exist|not found|doesn't exist)");

  static int serverCode(Status status) {
    return status.getCode() != 0 ? status.getCode() : status.getErrorCodeValue();
  }

  /** An error Status carried in a response, before it is classified. */
  static final class ServerStatusException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Status status;

    ServerStatusException(Status status) {
      super("code " + status.getCode() + ", error_code " + status.getErrorCodeValue() + ": " + status.getReason(), null, false, false);
      this.status = status;
    }
  }

  /** Exceptions that only a programming error throws, in the library or in a callback. */
  private static final Set<Class<? extends RuntimeException>> PROGRAMMING_ERRORS = Set.of(
      NullPointerException.class, ClassCastException.class, IndexOutOfBoundsException.class,
      ArrayIndexOutOfBoundsException.class, StringIndexOutOfBoundsException.class, IllegalStateException.class,
      IllegalArgumentException.class, UnsupportedOperationException.class, ArithmeticException.class,
      ArrayStoreException.class, NegativeArraySizeException.class, IllegalMonitorStateException.class);

  /**
   * The client-side fault behind a failure, or {@code null}: an {@link Error} anywhere in the cause
   * chain (a LinkageError from a dependency of the wrong version, BlockHound's error, ...), or a
   * programming error. gRPC reports such a throwable of a callback or marshaller as UNKNOWN,
   * CANCELLED or INTERNAL with it as the cause; the server never sends one.
   */
  static @Nullable Throwable clientFault(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof MilvusConnectionException m) {
        return m.kind() == FailureKind.CLIENT ? m : null;
      }
      if (t instanceof TransportException) {
        return null; // classified by its reason (an unusable certificate file is TLS, not a bug)
      }
      if (t instanceof Error || PROGRAMMING_ERRORS.contains(t.getClass())) {
        return t;
      }
    }
    return null;
  }

  /** The detail of a client-side failure: the fault, and that it is not the server's. */
  static String describeClientFault(Throwable fault) {
    return fault.getClass().getName() + (fault.getMessage() != null ? ": " + firstLine(fault.getMessage()) : "")
        + " (a failure in this client, not the server's: a dependency of the wrong version on the classpath,"
        + " a blocking call refused on a non-blocking thread, or a bug; not retried)";
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /**
   * {@code body()}, with what it throws (an Error included) signalled as an error: Reactor rethrows
   * a LinkageError thrown in an operator's function instead of signalling it, which would leave a
   * connect waiting for its timeout.
   */
  static <T> reactor.core.publisher.Mono<T> signalled(java.util.function.Supplier<reactor.core.publisher.Mono<T>> body) {
    try {
      return body.get();
    } catch (RuntimeException | Error e) {
      return reactor.core.publisher.Mono.error(e);
    }
  }

  /** Maps any failure of a connect or call on {@code alias} to a classified exception. */
  static MilvusConnectionException classify(Throwable error, String alias, String address, boolean duringConnect) {
    if (error instanceof MilvusConnectionException m) {
      return m;
    }
    Throwable fault = clientFault(error);
    if (fault != null) {
      io.grpc.Status grpc = error instanceof StatusRuntimeException || error instanceof io.grpc.StatusException
          ? io.grpc.Status.fromThrowable(error) : null;
      return new MilvusConnectionException(FailureKind.CLIENT, alias, address, describeClientFault(fault), grpc, 0, error);
    }
    if (error instanceof TransportException t) {
      FailureKind kind = switch (t.reason()) {
        case UNREACHABLE -> FailureKind.UNREACHABLE;
        case TLS -> FailureKind.TLS;
        case CLOSED -> FailureKind.CLOSED;
      };
      return new MilvusConnectionException(kind, alias, t.address(), t.getMessage(), null, 0, t.getCause());
    }
    if (error instanceof ServerStatusException s) {
      int code = serverCode(s.status);
      FailureKind kind = isDatabaseNotFound(s.status) ? FailureKind.DATABASE_NOT_FOUND : FailureKind.SERVER_STATUS;
      return new MilvusConnectionException(kind, alias, address,
          "code " + s.status.getCode() + " (error_code " + s.status.getErrorCodeValue() + "): " + s.status.getReason(),
          null, code, null);
    }
    if (error instanceof TimeoutException) {
      return new MilvusConnectionException(FailureKind.UNREACHABLE, alias, address,
          error.getMessage(), null, 0, error.getCause() != null ? error.getCause() : error);
    }
    io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
    FailureKind kind = kindOf(grpc, duringConnect);
    String detail = describe(grpc);
    if (kind == FailureKind.TLS) {
      if (isTlsRecordAnswer(grpc)) {
        detail = PLAINTEXT_TO_TLS + ": " + detail;
      } else if (hasCause(grpc, "NotSslRecordException")) {
        detail = "the server did not answer with TLS (a plaintext endpoint? use an http:// URI or secure=false): " + detail;
      } else if (texts(grpc).stream()
          .anyMatch(t -> t.contains("pkix path") || t.contains("unable to find valid certification path"))) {
        detail = "the server's certificate is not trusted by the configured root (server_pem_path, ca_pem_path or the system roots): "
            + detail;
      } else if (texts(grpc).stream().anyMatch(t -> t.contains("alert: bad_certificate") || t.contains("alert: certificate_required")
          || t.contains("alert: unknown_ca"))) {
        detail = "the server rejected the client certificate (client_pem_path, client_key_path): " + detail;
      } else if (texts(grpc).stream().anyMatch(t -> t.contains("no subject alternative") || t.contains("no name matching"))) {
        detail = "the server's certificate does not name this host (set server_name to a name it holds): " + detail;
      }
    }
    return new MilvusConnectionException(kind, alias, address, detail, grpc, 0, error);
  }


  /** The hint for a plaintext connection to a TLS endpoint. */
  static final String PLAINTEXT_TO_TLS =
      "the server speaks TLS but this connection is plaintext (use an https:// URI or secure=true)";

  static FailureKind kindOf(io.grpc.Status grpc, boolean duringConnect) {
    String text = String.valueOf(grpc.getDescription()).toLowerCase(Locale.ROOT);
    switch (grpc.getCode()) {
      case UNAUTHENTICATED:
        return FailureKind.AUTHENTICATION;
      case UNKNOWN:
        return isAuthText(text) ? FailureKind.AUTHENTICATION : FailureKind.RPC;
      case UNIMPLEMENTED:
        return duringConnect ? FailureKind.NOT_MILVUS : FailureKind.RPC;
      case CANCELLED:
        // A call still in flight when its alias's grace period ended: the alias was closed under it.
        return text.endsWith(AliasChannel.DISCONNECTED_MARKER) ? FailureKind.CLOSED : FailureKind.RPC;
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
    return String.valueOf(grpc.getDescription()).toLowerCase(Locale.ROOT).contains("ssl") || isTlsRecordAnswer(grpc);
  }

  /**
   * A plaintext HTTP/2 client that read a TLS record where the server's SETTINGS frame should be:
   * Netty reports "First received frame was not SETTINGS. Hex dump for first 5 bytes: 15 03 .."
   * (alert) or "16 03 .." (handshake).
   */
  static boolean isTlsRecordAnswer(io.grpc.Status grpc) {
    for (String text : texts(grpc)) {
      if (TLS_RECORD_DUMP.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  private static final Pattern TLS_RECORD_DUMP =
      Pattern.compile("first received frame was not settings\\. hex dump for first 5 bytes: 1[56]03");

  /**
   * The connection ended before the server sent anything: closed ("Network closed for unknown
   * reason") or reset, with no HTTP/2 frame and no TLS error. That is what a plaintext client sees
   * from a TLS server, but also from a server or proxy closing connections for other reasons, so
   * it is only a reason to probe ({@link TlsProbe}), not a classification.
   */
  static boolean isClosedWithoutAnswer(Throwable error) {
    if (!(error instanceof StatusRuntimeException || error instanceof io.grpc.StatusException)) {
      return false;
    }
    io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
    if (grpc.getCode() != io.grpc.Status.Code.UNAVAILABLE || isTls(grpc) || isNotGrpc(grpc)) {
      return false;
    }
    if (grpc.getCause() == null) {
      return String.valueOf(grpc.getDescription()).toLowerCase(Locale.ROOT).contains("network closed for unknown reason");
    }
    for (Throwable t = grpc.getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connection reset")) {
        return true;
      }
    }
    return false;
  }

  /** The description and every cause's message, lower case. */
  private static List<String> texts(io.grpc.Status grpc) {
    List<String> texts = new ArrayList<>();
    texts.add(String.valueOf(grpc.getDescription()).toLowerCase(Locale.ROOT));
    for (Throwable t = grpc.getCause(); t != null; t = t.getCause()) {
      texts.add(String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT));
    }
    return texts;
  }

  private static boolean hasCause(io.grpc.Status grpc, String simpleName) {
    for (Throwable t = grpc.getCause(); t != null; t = t.getCause()) {
      if (t.getClass().getSimpleName().equals(simpleName)) {
        return true;
      }
    }
    return false;
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

  /**
   * Code, description and the most telling cause message: the first TLS exception's (it says what
   * was wrong with the handshake), else the innermost cause's.
   */
  private static String describe(io.grpc.Status grpc) {
    StringBuilder b = new StringBuilder(grpc.getCode().name());
    String description = description(grpc);
    if (description != null) {
      b.append(' ').append(description);
    }
    Throwable telling = null;
    for (Throwable t = grpc.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SSLException || t.getClass().getSimpleName().equals("NotSslRecordException")) {
        telling = t;
        break;
      }
      telling = t;
    }
    String message = telling == null ? null : telling.getMessage();
    if (message != null && (description == null || !description.contains(message))) {
      b.append(" (").append(message).append(')');
    }
    return b.toString();
  }

  /**
   * The status description on one line, without grpc-java's internal "Channel Pipeline: [...]"
   * line (handler names, of no use to a reader).
   */
  static @Nullable String description(io.grpc.Status grpc) {
    String d = grpc.getDescription();
    if (d == null) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (String line : d.split("\\R")) {
      if (!line.isBlank() && !line.startsWith("Channel Pipeline:")) {
        b.append(b.length() == 0 ? "" : "; ").append(line.strip());
      }
    }
    return b.toString();
  }

  /** Transient connect failures: worth another handshake attempt within the connect timeout. */
  static boolean isTransientConnectFailure(Throwable error) {
    if (clientFault(error) != null) {
      return false;
    }
    if (error instanceof ServerStatusException s) {
      if (isDatabaseNotFound(s.status)) {
        return false;
      }
      int code = s.status.getCode();
      int legacy = s.status.getErrorCodeValue();
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

  /**
   * An attempt of an idempotent read that ran out of the alias's {@code call_timeout} (which the
   * library sets on each attempt): a server that accepts calls but does not answer them, as
   * Milvus does while it starts. Retried like UNAVAILABLE, within the retry policy.
   */
  static boolean isRetryableReadOrAttemptTimeout(Throwable error) {
    if (isRetryableCallFailure(error)) {
      return true;
    }
    if (clientFault(error) != null) {
      return false;
    }
    if (!(error instanceof StatusRuntimeException || error instanceof io.grpc.StatusException)) {
      return false;
    }
    io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
    // the client's own deadline (grpc-java: "CallOptions deadline exceeded after 2.0s", "ClientCall
    // started after CallOptions deadline was exceeded"), not a DEADLINE_EXCEEDED the server sent
    String text = String.valueOf(grpc.getDescription()).toLowerCase(Locale.ROOT);
    return grpc.getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED
        && (text.contains("deadline exceeded after") || text.contains("deadline was exceeded")
            || text.contains(AliasChannel.DEFAULT_DEADLINE_MARKER));
  }

  /** Idempotent reads through the stubs: retried on UNAVAILABLE and Milvus rate limiting only. */
  static boolean isRetryableCallFailure(Throwable error) {
    if (clientFault(error) != null) {
      return false;
    }
    if (error instanceof ServerStatusException s) {
      return s.status.getCode() == CODE_RATE_LIMIT || s.status.getErrorCodeValue() == LEGACY_RATE_LIMIT;
    }
    if (error instanceof StatusRuntimeException || error instanceof io.grpc.StatusException) {
      io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
      return (grpc.getCode() == io.grpc.Status.Code.UNAVAILABLE || isClosedChannel(grpc)) && !isTls(grpc) && !isNotGrpc(grpc);
    }
    return false;
  }

  /**
   * grpc-java reports a call written to a connection that has just closed (the server died) as
   * UNKNOWN "channel closed", with Netty's ClosedChannelException as the cause: a lost
   * connection like UNAVAILABLE.
   */
  private static boolean isClosedChannel(io.grpc.Status grpc) {
    if (grpc.getCode() != io.grpc.Status.Code.UNKNOWN) {
      return false;
    }
    for (Throwable t = grpc.getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.ClosedChannelException) {
        return true;
      }
    }
    return "channel closed".equals(grpc.getDescription());
  }
}
