package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.proto.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The code table of {@link MilvusError}, including the statuses no test server can be made to send
 * (rate limits, quotas, a proxy that is not ready), and the words that decide only for generic codes.
 */
class MilvusErrorTest {

  @ParameterizedTest(name = "code {0}, error_code {1}, ''{2}'' -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      100   | 4  | collection not found[database=default][collection=x]        | COLLECTION_NOT_FOUND
      0     | 4  | collection x does not exist                                 | COLLECTION_NOT_FOUND
      101   | 1  | failed to search: collection not loaded[collection=1]       | COLLECTION_NOT_LOADED
      103   | 0  | collection not fully loaded                                 | COLLECTION_NOT_LOADED
      1     | 1  | collection 'pc' already exists                              | ALREADY_EXISTS
      65535 | 1  | create duplicate collection with different parameters, collection: pa | ALREADY_EXISTS
      1602  | 1  | al1 is alias to another collection: pa: alias already exist  | ALREADY_EXISTS
      6     | 6  | database 'd1' already exists                                | ALREADY_EXISTS
      65535 | 1  | database already exist: d1                                  | ALREADY_EXISTS
      65535 | 1  | partition name nopart not found                             | NOT_FOUND
      700   | 25 | index not found[collection=pc]                              | NOT_FOUND
      1600  | 1  | alias not found[database=default][alias=nope]               | NOT_FOUND
      800   | 1  | database not found[database=x]                              | NOT_FOUND
      65535 | 1  | cannot parse expression: id >>> 0, error: line 1:5          | INVALID_EXPRESSION
      65535 | 1  | failed to create expr plan, expr = id >>> 1                  | INVALID_EXPRESSION
      1100  | 5  | Invalid expr: TEXT_MATCH(text, 'apple'): invalid parameter  | INVALID_EXPRESSION
      6     | 6  | unexpected token '>' at column 5                            | INVALID_EXPRESSION
      6     | 6  | vector field 'v' expected dim 2, got 3                      | INVALID_REQUEST
      1100  | 5  | the length (50) of 0th string exceeds max length (10)       | INVALID_REQUEST
      0     | 5  | illegal argument                                            | INVALID_REQUEST
      8     | 49 | rate limit exceeded[rate=0.1]                               | RATE_LIMITED
      4     | 1  | request limit exceeded                                      | RATE_LIMITED
      0     | 49 | rate limit                                                  | RATE_LIMITED
      9     | 48 | quota exceeded[reason=deny to write]                        | QUOTA_EXCEEDED
      3     | 52 | memory limit exceeded                                       | QUOTA_EXCEEDED
      1     | 56 | service not ready                                           | UNAVAILABLE
      2     | 1  | service unavailable                                         | UNAVAILABLE
      1401  | 1  | privilege not permitted                                     | PERMISSION_DENIED
      10    | 1  | service unimplemented                                       | UNSUPPORTED
      1     | 0  | operands could not be broadcast together                    | OTHER
      65535 | 1  | topk [100000] is invalid                                    | OTHER
      5     | 1  | service internal error                                      | OTHER
      100   | 4  | collection 'already exists' does not exist                  | COLLECTION_NOT_FOUND
      """)
  void aStatusIsClassifiedByCodeAndWordsOnlyForGenericCodes(int code, int legacy, String reason, MilvusError expected) {
    Status status = Status.newBuilder().setCode(code).setErrorCodeValue(legacy).setReason(reason).build();
    assertThat(MilvusError.ofStatus(status)).isEqualTo(expected);
  }

  @Test
  void failuresWithoutAStatusAreClassifiedByKindAndGrpcCode() {
    assertThat(new MilvusConnectionException(FailureKind.UNREACHABLE, "a", null, "x", null, 0, null).error())
        .isEqualTo(MilvusError.UNAVAILABLE);
    assertThat(new MilvusConnectionException(FailureKind.AUTHENTICATION, "a", null, "x", null, 0, null).error())
        .isEqualTo(MilvusError.PERMISSION_DENIED);
    assertThat(new MilvusConnectionException(FailureKind.RPC, "a", null, "x", io.grpc.Status.UNIMPLEMENTED, 0, null).error())
        .isEqualTo(MilvusError.UNSUPPORTED);
    assertThat(new MilvusConnectionException(FailureKind.RPC, "a", null, "x", io.grpc.Status.RESOURCE_EXHAUSTED, 0, null).error())
        .isEqualTo(MilvusError.RATE_LIMITED);
    assertThat(new MilvusConnectionException(FailureKind.RPC, "a", null, "x", io.grpc.Status.DEADLINE_EXCEEDED, 0, null).error())
        .isEqualTo(MilvusError.UNAVAILABLE);
    assertThat(new MilvusConnectionException(FailureKind.SERVER_STATUS, "a", null, "x", null, 101, null).error())
        .isEqualTo(MilvusError.COLLECTION_NOT_LOADED);
    assertThat(new MilvusConnectionException(FailureKind.CLIENT, "a", null, "x", null, 0, null).error())
        .isEqualTo(MilvusError.OTHER);
  }

  @Test
  void ofFindsTheFailureInACauseChainAndIsOtherWithoutOne() {
    MilvusConnectionException notFound = new MilvusConnectionException(FailureKind.SERVER_STATUS, "a", null, "x", null,
        100, MilvusError.COLLECTION_NOT_FOUND, null);
    assertThat(MilvusError.of(new IllegalStateException("wrapped", notFound))).isEqualTo(MilvusError.COLLECTION_NOT_FOUND);
    assertThat(MilvusError.COLLECTION_NOT_FOUND.is(notFound)).isTrue();
    assertThat(MilvusError.NOT_FOUND.is(notFound)).isFalse();
    assertThat(MilvusError.of(new IllegalStateException("plain"))).isEqualTo(MilvusError.OTHER);
    assertThat(MilvusError.of(null)).isEqualTo(MilvusError.OTHER);
  }
}
