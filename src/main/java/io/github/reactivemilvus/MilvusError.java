package io.github.reactivemilvus;

import io.github.reactivemilvus.proto.Status;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a failed Milvus call means to a service: the few cases a service branches on (answer 404,
 * 409, 400, 503, create the collection, load it, back off). Every {@link MilvusConnectionException}
 * carries one ({@link MilvusConnectionException#error()}); {@link #of(Throwable)} finds it in any
 * error, and {@link #is(Throwable)} is a predicate for {@code onErrorResume}:
 *
 * <pre>{@code
 * client.describeCollection(name)
 *     .onErrorResume(MilvusError.COLLECTION_NOT_FOUND::is, e -> create(name));
 * }</pre>
 *
 * <p>The case is decided by the Milvus status code ({@code Status.code}, 2.3 and later), by the
 * legacy {@code error_code} where the code is 0 (Milvus before 2.3), by the failure's
 * {@link FailureKind} and by the gRPC status. Words of the server's reason decide only where the
 * server sends a code that means nothing in particular: Milvus 2.3's 65535 ("unexpected error",
 * for example "create duplicate collection with different parameters" and "cannot parse
 * expression"), and Milvus Lite 3.x's generic codes 1 ("collection 'x' already exists") and 6 (its
 * invalid-argument code; expression errors point at a column). The words matched are listed on
 * each constant. A failure matching none of the cases is {@link #OTHER}.
 */
public enum MilvusError {
  /**
   * The collection (or the alias naming it) does not exist: code 100 (Milvus 2.3+, Milvus Lite),
   * legacy error_code 4 or 28.
   */
  COLLECTION_NOT_FOUND,
  /** The collection exists but is not loaded: code 101, or 103 (not fully loaded yet). */
  COLLECTION_NOT_LOADED,
  /**
   * Something to be created already exists: code 1602 (alias), or a generic code (1, 6, 5, 65535)
   * whose reason says "already exist(s)" or "duplicate collection" (Milvus Lite for collections,
   * aliases and databases; Milvus 2.3 for a collection re-created with other parameters and a
   * database). Milvus 2.3 answers success when a collection is re-created with the same schema.
   */
  ALREADY_EXISTS,
  /**
   * Something other than the collection does not exist: partition (200), index (700), database
   * (800, or {@link FailureKind#DATABASE_NOT_FOUND}), alias (1600, 1603), legacy error_code 25; or
   * a generic code whose reason says "does not exist" or "not found" (Milvus 2.3's missing
   * partition, Milvus Lite's missing database).
   */
  NOT_FOUND,
  /**
   * The filter expression is invalid: a reason that says "cannot parse expression", "failed to
   * create expr plan", "failed to create query plan" or "invalid expr" (Milvus sends these with
   * 65535 or 1100), or Milvus Lite's code 6 with an "at column N" pointer.
   */
  INVALID_EXPRESSION,
  /**
   * The request does not fit the schema or the rules: invalid, missing or too large parameter
   * (1100, 1101, 1102), invalid database name (802), illegal schema (105), legacy error_code 5 and
   * 7-12, 22, 23, Milvus Lite's code 6.
   */
  INVALID_REQUEST,
  /**
   * The server refused the call for its rate: rate limit (8), too many requests (4), legacy
   * error_code 49, or gRPC RESOURCE_EXHAUSTED. Retriable after a pause.
   */
  RATE_LIMITED,
  /**
   * A quota or limit of the server is reached and waiting will not help: memory (3), disk (7),
   * force-deny quota (9), collection count (102), database count (801), legacy error_code 48 and
   * 52-54.
   */
  QUOTA_EXCEEDED,
  /**
   * The server cannot be reached or is not ready: {@link FailureKind#UNREACHABLE} (timeouts
   * included), {@link FailureKind#CLOSED}, {@link FailureKind#CALL_LIMIT_EXCEEDED}, gRPC
   * UNAVAILABLE or DEADLINE_EXCEEDED, Milvus "not ready" (code 1 with legacy error_code 56),
   * "unavailable" (2), a collection still recovering (106).
   */
  UNAVAILABLE,
  /**
   * The credentials were refused or the user may not do this: {@link FailureKind#AUTHENTICATION},
   * gRPC PERMISSION_DENIED, code 1400 or 1401, legacy error_code 3.
   */
  PERMISSION_DENIED,
  /**
   * The server does not implement the call: gRPC UNIMPLEMENTED (Milvus Lite 2.5 for aliases,
   * partitions and databases), {@link FailureKind#NOT_MILVUS}, code 10 or 3000.
   */
  UNSUPPORTED,
  /** None of the above (a server's internal error, a client-side failure, an unknown alias...). */
  OTHER;

  /** Milvus 2.3's generic "unexpected error" code. */
  private static final int UNEXPECTED = 65_535;
  private static final int LEGACY_NOT_READY = 56;
  private static final Pattern EXPRESSION = Pattern.compile(
      "(?i)cannot parse expression|failed to create (expr|query) plan|invalid expr");
  private static final Pattern LITE_EXPRESSION = Pattern.compile("\\bat column \\d+");
  private static final Pattern EXISTS = Pattern.compile("(?i)\\balready exists?\\b|\\bduplicate collection\\b");
  private static final Pattern MISSING = Pattern.compile("(?i)\\b(does not exist|doesn't exist|not exist|not found)\\b");

  /**
   * Whether {@code error} (or a cause of it) is a {@link MilvusConnectionException} of this case;
   * usable as a predicate: {@code onErrorResume(MilvusError.NOT_FOUND::is, ...)}.
   */
  public boolean is(@Nullable Throwable error) {
    return of(error) == this;
  }

  /**
   * The case of the first {@link MilvusConnectionException} in {@code error}'s cause chain;
   * {@link #OTHER} when there is none.
   */
  public static MilvusError of(@Nullable Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 32; t = t.getCause(), depth++) {
      if (t instanceof MilvusConnectionException m) {
        return m.error();
      }
    }
    return OTHER;
  }

  /** The case of a failure without a Milvus status: by kind, gRPC status and code alone. */
  static MilvusError ofFailure(FailureKind kind, io.grpc.@Nullable Status grpc, int serverCode) {
    switch (kind) {
      case UNREACHABLE, CLOSED, CALL_LIMIT_EXCEEDED:
        return UNAVAILABLE;
      case AUTHENTICATION:
        return PERMISSION_DENIED;
      case NOT_MILVUS:
        return UNSUPPORTED;
      case DATABASE_NOT_FOUND:
        return NOT_FOUND;
      case TLS, UNKNOWN_ALIAS, CLIENT:
        return OTHER;
      default:
        break;
    }
    if (serverCode != 0) {
      MilvusError byCode = byCode(serverCode, 0);
      return byCode == null ? OTHER : byCode;
    }
    if (grpc == null) {
      return OTHER;
    }
    return switch (grpc.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> UNAVAILABLE;
      case RESOURCE_EXHAUSTED -> RATE_LIMITED;
      case UNAUTHENTICATED, PERMISSION_DENIED -> PERMISSION_DENIED;
      case UNIMPLEMENTED -> UNSUPPORTED;
      case NOT_FOUND -> NOT_FOUND;
      case ALREADY_EXISTS -> ALREADY_EXISTS;
      case INVALID_ARGUMENT -> INVALID_REQUEST;
      default -> OTHER;
    };
  }

  /** The case of a Milvus error status (code, legacy error_code and, for generic codes, reason). */
  static MilvusError ofStatus(Status status) {
    int code = status.getCode();
    int legacy = status.getErrorCodeValue();
    String reason = status.getReason();
    if (EXPRESSION.matcher(reason).find() || (code == 6 && LITE_EXPRESSION.matcher(reason).find())) {
      return INVALID_EXPRESSION;
    }
    boolean generic = code == 1 && legacy != LEGACY_NOT_READY || code == 5 || code == 6 || code == UNEXPECTED
        || code == 0 && legacy == 1;
    if (generic && EXISTS.matcher(reason).find()) {
      return ALREADY_EXISTS;
    }
    if (generic && MISSING.matcher(reason).find()) {
      return NOT_FOUND;
    }
    MilvusError byCode = code != 0 ? byCode(code, legacy) : byLegacy(legacy);
    return byCode == null ? OTHER : byCode;
  }

  private static @Nullable MilvusError byCode(int code, int legacy) {
    return switch (code) {
      case 100 -> COLLECTION_NOT_FOUND;
      case 101, 103 -> COLLECTION_NOT_LOADED;
      case 1602, 1601 -> ALREADY_EXISTS;
      case 200, 700, 800, 1600, 1603 -> NOT_FOUND;
      // 6 is Milvus Lite's invalid-argument code (in Milvus, cross-cluster routing: never sent to a client)
      case 6, 105, 802, 1100, 1101, 1102 -> INVALID_REQUEST;
      case 4, 8, 1807 -> RATE_LIMITED;
      case 3, 7, 9, 102, 801 -> QUOTA_EXCEEDED;
      case 2, 106 -> UNAVAILABLE;
      // Milvus's code 1 (not ready) comes with legacy error_code 56; Milvus Lite's generic 1 without
      case 1 -> legacy == LEGACY_NOT_READY ? UNAVAILABLE : null;
      case 1400, 1401 -> PERMISSION_DENIED;
      case 10, 3000 -> UNSUPPORTED;
      default -> null;
    };
  }

  private static @Nullable MilvusError byLegacy(int legacy) {
    return switch (legacy) {
      case 4, 28 -> COLLECTION_NOT_FOUND;
      case 25 -> NOT_FOUND;
      case 5, 7, 8, 9, 10, 11, 12, 22, 23 -> INVALID_REQUEST;
      case 49 -> RATE_LIMITED;
      case 48, 52, 53, 54 -> QUOTA_EXCEEDED;
      case 3 -> PERMISSION_DENIED;
      case LEGACY_NOT_READY -> UNAVAILABLE;
      default -> null;
    };
  }
}
