package io.github.reactivemilvus;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * The OpenTelemetry database conventions for Milvus calls. The observation is named
 * {@value #NAME} (so its timer is the semconv metric of that name, in seconds) and its span
 * {@code "<db.operation.name> <db.collection.name>"} (for example {@code Search books}), or the
 * operation alone when the request names no collection.
 *
 * <p>Low-cardinality key values (on the span and the metric), always present so that every
 * timer of the name has the same tags; {@value #NONE} where there is no value:
 * {@code db.system.name} ({@code milvus}), {@code db.operation.name}, {@code db.collection.name},
 * {@code db.namespace}, {@code server.address}, {@code server.port}, {@code db.response.status_code}
 * (the Milvus code of a response that reports a failure), {@code error.type} (that Milvus code, or
 * the gRPC status code name such as {@code UNAVAILABLE} of a call that failed in gRPC).
 * High-cardinality (span only): {@code db.operation.batch.size} (when the request has a batch),
 * {@code milvus.alias}, {@code milvus.attempt} (1 for the first attempt of a library call, 2 and
 * more for its retries; absent for calls made on the channel by other code).
 */
public class DefaultMilvusObservationConvention implements MilvusObservationConvention {
  /** The observation's name, and so its timer's. */
  public static final String NAME = "db.client.operation.duration";
  /** The value of a low-cardinality key that has none for a call. */
  public static final String NONE = KeyValue.NONE_VALUE;

  /** The convention with the defaults above. */
  public DefaultMilvusObservationConvention() {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(MilvusObservationContext context) {
    String collection = context.collectionName();
    return collection == null ? context.operationName() : context.operationName() + " " + collection;
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(MilvusObservationContext context) {
    String error = NONE;
    String status = NONE;
    if (context.milvusCode() != 0) {
      status = Integer.toString(context.milvusCode());
      error = status;
    } else if (context.grpcCode() != null && context.grpcCode() != io.grpc.Status.Code.OK) {
      error = context.grpcCode().name();
    }
    return KeyValues.of(
        KeyValue.of("db.system.name", "milvus"),
        KeyValue.of("db.operation.name", context.operationName()),
        KeyValue.of("db.collection.name", orNone(context.collectionName())),
        KeyValue.of("db.namespace", orNone(context.namespace())),
        KeyValue.of("server.address", orNone(context.serverAddress())),
        KeyValue.of("server.port", context.serverPort() == 0 ? NONE : Integer.toString(context.serverPort())),
        KeyValue.of("db.response.status_code", status),
        KeyValue.of("error.type", error));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(MilvusObservationContext context) {
    KeyValues values = KeyValues.of("milvus.alias", context.alias());
    if (context.batchSize() > 0) {
      values = values.and("db.operation.batch.size", Long.toString(context.batchSize()));
    }
    if (context.attempt() > 0) {
      values = values.and("milvus.attempt", Integer.toString(context.attempt()));
    }
    return values;
  }

  private static String orNone(@Nullable String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }
}
