package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.FailureKind;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.MilvusError;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a {@link MilvusConnectionException} thrown by a WebFlux controller as an RFC 9457
 * problem detail ({@code application/problem+json}), by its {@link MilvusError}:
 *
 * <ul>
 *   <li>404: {@link MilvusError#COLLECTION_NOT_FOUND}, {@link MilvusError#NOT_FOUND};
 *   <li>409: {@link MilvusError#ALREADY_EXISTS};
 *   <li>400: {@link MilvusError#INVALID_EXPRESSION}, {@link MilvusError#INVALID_REQUEST};
 *   <li>503: {@link MilvusError#UNAVAILABLE} (unreachable, timed out, not ready, call limit full),
 *       {@link MilvusError#COLLECTION_NOT_LOADED}, {@link MilvusError#RATE_LIMITED},
 *       {@link MilvusError#QUOTA_EXCEEDED};
 *   <li>501: {@link MilvusError#UNSUPPORTED};
 *   <li>500: a client-side failure, an unknown alias, refused credentials (the service's
 *       configuration, not the caller's request);
 *   <li>502: any other server error.
 * </ul>
 *
 * <p>The body carries {@code milvusError} (the case's name) and, for server statuses,
 * {@code milvusCode}. Its detail is the server's reason for a server status and the failure's kind
 * otherwise: it never names the server's address or the alias, and never holds a secret (the
 * library keeps secrets out of every message). Registered by {@link MilvusWebAutoConfiguration}
 * when {@code milvus.web.problem-details.enabled=true}; ordered last, so a controller's own
 * {@code @ExceptionHandler} (or an advice of higher precedence) still wins.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class MilvusProblemDetails {

  /** The problem detail for {@code e}, in {@code application/problem+json}. */
  @ExceptionHandler(MilvusConnectionException.class)
  public ResponseEntity<ProblemDetail> handle(MilvusConnectionException e) {
    ProblemDetail problem = problemFor(e);
    return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
  }

  /** The problem detail for {@code e}: status by its {@link MilvusError}, detail without address. */
  public static ProblemDetail problemFor(MilvusConnectionException e) {
    MilvusError error = e.error();
    HttpStatus status = statusOf(e);
    boolean serverStatus = e.kind() == FailureKind.SERVER_STATUS || e.kind() == FailureKind.DATABASE_NOT_FOUND;
    String detail = serverStatus && !e.detail().isEmpty() ? withoutAddress(e.detail(), e.address()) : describe(error, e.kind());
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(titleOf(error, status));
    problem.setProperty("milvusError", error.name());
    if (e.serverCode() != 0) {
      problem.setProperty("milvusCode", e.serverCode());
    }
    return problem;
  }

  /** The HTTP status a failure answers with. */
  public static HttpStatus statusOf(MilvusConnectionException e) {
    return switch (e.error()) {
      case COLLECTION_NOT_FOUND, NOT_FOUND -> HttpStatus.NOT_FOUND;
      case ALREADY_EXISTS -> HttpStatus.CONFLICT;
      case INVALID_EXPRESSION, INVALID_REQUEST -> HttpStatus.BAD_REQUEST;
      case UNAVAILABLE, COLLECTION_NOT_LOADED, RATE_LIMITED, QUOTA_EXCEEDED -> HttpStatus.SERVICE_UNAVAILABLE;
      case UNSUPPORTED -> HttpStatus.NOT_IMPLEMENTED;
      case PERMISSION_DENIED -> HttpStatus.INTERNAL_SERVER_ERROR;
      case OTHER -> e.kind() == FailureKind.SERVER_STATUS || e.kind() == FailureKind.RPC
          ? HttpStatus.BAD_GATEWAY : HttpStatus.INTERNAL_SERVER_ERROR;
    };
  }

  private static String titleOf(MilvusError error, HttpStatus status) {
    return switch (error) {
      case COLLECTION_NOT_FOUND -> "Collection not found";
      case COLLECTION_NOT_LOADED -> "Collection not loaded";
      case ALREADY_EXISTS -> "Already exists";
      case NOT_FOUND -> "Not found";
      case INVALID_EXPRESSION -> "Invalid filter expression";
      case INVALID_REQUEST -> "Invalid request";
      case RATE_LIMITED -> "Milvus rate limit";
      case QUOTA_EXCEEDED -> "Milvus quota exceeded";
      case UNAVAILABLE -> "Milvus unavailable";
      default -> status.getReasonPhrase();
    };
  }

  /** Failures without a server status: their messages may name the address, so only the kind is told. */
  private static String describe(MilvusError error, FailureKind kind) {
    return "Milvus " + kind.description() + (error == MilvusError.OTHER ? "" : " (" + error.name() + ")");
  }

  private static String withoutAddress(String detail, String address) {
    return address == null || address.isEmpty() ? detail : detail.replace(address, "<address>");
  }
}
