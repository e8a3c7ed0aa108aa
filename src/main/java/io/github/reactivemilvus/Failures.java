package io.github.reactivemilvus;

import io.github.reactivemilvus.internal.LocalCauses;
import io.github.reactivemilvus.internal.TlsProbe;
import io.github.reactivemilvus.internal.TransportException;
import io.github.reactivemilvus.proto.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Tells failure causes apart and decides which are worth retrying. Stateless.
 *
 * <p>Failures are classified by type: the gRPC status code, the exception classes grpc-java and
 * Netty put in the cause chain ({@link UnknownHostException}, {@link ConnectException},
 * {@link SSLException}, {@link NotSslRecordException}, {@link Http2Exception},
 * {@link ClosedChannelException}, ...) and the causes this library sets itself
 * ({@link LocalCauses}). Words of a message decide only where the server's words are the only
 * signal (Milvus's UNKNOWN "auth check failure", Milvus Lite's "database 'x' does not exist"), and
 * pick the wording of a TLS hint, never a kind.
 */
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

  /** Milvus's privilege refusal: code 1401 (privilege not permitted), or legacy error_code PermissionDenied (3). */
  static boolean isPermissionDenied(Status status) {
    return status.getCode() == 1401 || status.getErrorCodeValue() == 3;
  }

  /**
   * Code 800 (Milvus 2.3 and later), or the generic code Milvus Lite uses (1) with its message
   * "database 'x' does not exist".
   */

  static boolean isDatabaseNotFound(Status status) {
    if (isSuccess(status)) {
      return false;
    }
    // Milvus Lite sends its generic code 1 here: the reason's words are the only signal
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
      FailureKind kind = isDatabaseNotFound(s.status) ? FailureKind.DATABASE_NOT_FOUND
          : isPermissionDenied(s.status) ? FailureKind.PERMISSION_DENIED : FailureKind.SERVER_STATUS;
      return new MilvusConnectionException(kind, alias, address,
          "code " + s.status.getCode() + " (error_code " + s.status.getErrorCodeValue() + "): " + s.status.getReason(),
          null, code, MilvusError.ofStatus(s.status), null);
    }
    if (error instanceof TimeoutException) {
      return new MilvusConnectionException(FailureKind.UNREACHABLE, alias, address,
          error.getMessage(), null, 0, error.getCause() != null ? error.getCause() : error);
    }
    io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
    FailureKind kind = kindOf(grpc, duringConnect);
    String detail = describe(grpc);
    if (kind == FailureKind.TLS) {
      // the hint by type where the JDK gives one; a TLS alert from the peer and a name mismatch come
      // only as words, which pick the hint here (the kind, TLS, was decided by the exception's type)
      if (has(grpc, NotSslRecordException.class)) {
        detail = "the server did not answer with TLS (a plaintext endpoint? use an http:// URI or secure=false): " + detail;
      } else if (has(grpc, CertPathBuilderException.class) || has(grpc, CertPathValidatorException.class)) {
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
    if (has(grpc, LocalCauses.Disconnected.class)) {
      // refused or cut off by the alias's disconnect (or the registry's close), whatever the code
      return FailureKind.CLOSED;
    }
    switch (grpc.getCode()) {
      case UNAUTHENTICATED:
        return FailureKind.AUTHENTICATION;
      case PERMISSION_DENIED:
        return FailureKind.PERMISSION_DENIED;
      case UNKNOWN:
        // Milvus reports refused credentials as UNKNOWN: its words are the only signal
        return isAuthText(String.valueOf(grpc.getDescription()).toLowerCase(Locale.ROOT)) ? FailureKind.AUTHENTICATION
            : FailureKind.RPC;
      case UNIMPLEMENTED:
        return duringConnect ? FailureKind.NOT_MILVUS : FailureKind.RPC;
      case RESOURCE_EXHAUSTED:
        return has(grpc, LocalCauses.CallLimit.class) ? FailureKind.CALL_LIMIT_EXCEEDED : FailureKind.RPC;
      case UNAVAILABLE:
      case INTERNAL:
        if (isTls(grpc)) {
          return FailureKind.TLS;
        }
        if (isNotHttp2(grpc)) {
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

  /**
   * A TLS handshake failure of any kind ({@link SSLException} and its subclasses), or a peer that did
   * not answer in TLS; but not a handshake that only took too long ({@link SslHandshakeTimeoutException}:
   * a slow or overloaded peer, unreachable for now, not a TLS mismatch).
   */
  private static boolean isTls(io.grpc.Status grpc) {
    return (has(grpc, SSLException.class) && !has(grpc, SslHandshakeTimeoutException.class))
        || has(grpc, NotSslRecordException.class);
  }

  /**
   * A connection-level HTTP/2 error of this client's codec: the peer's bytes were not HTTP/2 (an
   * HTTP/1 port, a TLS record, garbage). A stream-level error is the server's answer to one call.
   */
  private static boolean isNotHttp2(io.grpc.Status grpc) {
    Http2Exception h2 = find(grpc, Http2Exception.class);
    return h2 != null && !(h2 instanceof Http2Exception.StreamException);
  }

  /**
   * The connection ended before the server said anything in HTTP/2: closed with no cause at all
   * (grpc-java's "Network closed for unknown reason"), reset, or answered with bytes that are not
   * HTTP/2. That is what a plaintext client sees from a TLS server, but also from a server or proxy
   * closing connections for other reasons, so it is only a reason to probe ({@link TlsProbe}), not
   * a classification.
   */
  static boolean isClosedWithoutAnswer(Throwable error) {
    if (!(error instanceof StatusRuntimeException || error instanceof io.grpc.StatusException)) {
      return false;
    }
    io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
    if (isTls(grpc) || has(grpc, LocalCauses.LocalCause.class)) {
      return false;
    }
    if (isNotHttp2(grpc)) {
      return true;
    }
    if (grpc.getCode() != io.grpc.Status.Code.UNAVAILABLE) {
      return false;
    }
    if (grpc.getCause() == null) {
      return true;
    }
    IOException io = find(grpc, IOException.class);
    return io != null && !(io instanceof ConnectException) && !(io instanceof UnknownHostException)
        && !(io instanceof NoRouteToHostException);
  }

  static boolean has(io.grpc.Status grpc, Class<? extends Throwable> type) {
    return find(grpc, type) != null;
  }

  private static <T extends Throwable> @Nullable T find(io.grpc.Status grpc, Class<T> type) {
    return grpc.getCause() == null ? null : LocalCauses.find(grpc.getCause(), type);
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

  /**
   * Code, description and the most telling cause message: the first TLS exception's (it says what
   * was wrong with the handshake), else the innermost cause's.
   */
  static String describe(io.grpc.Status grpc) {
    StringBuilder b = new StringBuilder(grpc.getCode().name());
    String description = description(grpc);
    if (description != null) {
      b.append(' ').append(description);
    }
    Throwable telling = null;
    for (Throwable t = grpc.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof NotSslRecordException) {
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
   * An attempt that ran out of its alias's {@code call_timeout} while it ran: the default deadline's
   * own cause ({@link LocalCauses.DefaultDeadline}), and not a wait for a permit that expired. A
   * DEADLINE_EXCEEDED without that cause (the caller's deadline, grpc-java's own timer for a
   * {@code call_timeout} below a second, or one the server sent) is not one.
   */
  static boolean isTimedOutAttempt(Throwable error) {
    if (clientFault(error) != null || !(error instanceof StatusRuntimeException || error instanceof io.grpc.StatusException)) {
      return false;
    }
    io.grpc.Status grpc = io.grpc.Status.fromThrowable(error);
    return grpc.getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED && has(grpc, LocalCauses.DefaultDeadline.class)
        && !has(grpc, LocalCauses.PermitWaitExpired.class);
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
      // the library's own outcomes (disconnect, call limit, a wait for a permit that expired) are not the server's
      return (grpc.getCode() == io.grpc.Status.Code.UNAVAILABLE || isClosedChannel(grpc)) && !isTls(grpc) && !isNotHttp2(grpc)
          && !has(grpc, LocalCauses.LocalCause.class);
    }
    return false;
  }

  /**
   * grpc-java reports a call written to a connection that has just closed (the server died) as
   * UNKNOWN "channel closed", with Netty's ClosedChannelException as the cause: a lost
   * connection like UNAVAILABLE.
   */
  private static boolean isClosedChannel(io.grpc.Status grpc) {
    return grpc.getCode() == io.grpc.Status.Code.UNKNOWN && has(grpc, ClosedChannelException.class);
  }
}
