package io.github.reactivemilvus.test;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.github.reactivemilvus.proto.ErrorCode;
import io.github.reactivemilvus.proto.Status;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ScriptedMilvus} answers to one call: a response message, a Milvus error status inside the
 * method's response, a gRPC error, or nothing (the call hangs until the client cancels it), each optionally
 * after a delay. Immutable.
 *
 * <pre>{@code
 * milvus.enqueue(MilvusServiceGrpc.getSearchMethod(), MilvusAnswer.milvusError(100, "collection not found"));
 * milvus.enqueue(MilvusServiceGrpc.getInsertMethod(), MilvusAnswer.grpcError(io.grpc.Status.UNAVAILABLE));
 * milvus.enqueue(MilvusServiceGrpc.getQueryMethod(), MilvusAnswer.reply(results).delay(Duration.ofSeconds(2)));
 * }</pre>
 */
public final class MilvusAnswer {
  private final @Nullable Message reply;
  private final @Nullable Status milvusStatus;
  private final io.grpc.@Nullable Status grpcStatus;
  private final boolean hang;
  private final Duration delay;

  private MilvusAnswer(@Nullable Message reply, @Nullable Status milvusStatus, io.grpc.@Nullable Status grpcStatus, boolean hang,
      Duration delay) {
    this.reply = reply;
    this.milvusStatus = milvusStatus;
    this.grpcStatus = grpcStatus;
    this.hang = hang;
    this.delay = delay;
  }

  /** Answers with {@code response} (it must be the method's response type). */
  public static MilvusAnswer reply(Message response) {
    return new MilvusAnswer(Objects.requireNonNull(response, "response"), null, null, false, Duration.ZERO);
  }

  /**
   * Answers with the method's (otherwise empty) response carrying a Milvus error status: {@code code} (the
   * Milvus 2.3+ error code, for example 100 collection not found, 1100 invalid parameter), the legacy
   * {@code error_code} UnexpectedError and {@code reason}. The call itself succeeds at the gRPC level, as
   * Milvus's do.
   */
  public static MilvusAnswer milvusError(int code, String reason) {
    return milvusStatus(Status.newBuilder().setCode(code).setErrorCode(ErrorCode.UnexpectedError)
        .setReason(reason).setDetail(reason).build());
  }

  /** Answers with the method's (otherwise empty) response carrying {@code status}. */
  public static MilvusAnswer milvusStatus(Status status) {
    return new MilvusAnswer(null, Objects.requireNonNull(status, "status"), null, false, Duration.ZERO);
  }

  /** Fails the call with a gRPC status, for example {@code Status.UNAVAILABLE.withDescription("...")}. */
  public static MilvusAnswer grpcError(io.grpc.Status status) {
    if (Objects.requireNonNull(status, "status").isOk()) {
      throw new IllegalArgumentException("a gRPC error needs a status other than OK");
    }
    return new MilvusAnswer(null, null, status, false, Duration.ZERO);
  }

  /** Never answers: the call stays open until the client cancels it (its deadline, a cancelled subscription). */
  public static MilvusAnswer hang() {
    return new MilvusAnswer(null, null, null, true, Duration.ZERO);
  }

  /** This answer, sent {@code delay} after the request arrived (real time, on the server's scheduler). */
  public MilvusAnswer delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay " + delay);
    }
    return new MilvusAnswer(reply, milvusStatus, grpcStatus, hang, delay);
  }

  Duration delay() {
    return delay;
  }

  boolean hangs() {
    return hang;
  }

  io.grpc.@Nullable Status grpcStatus() {
    return grpcStatus;
  }

  /** The response message for a method whose responses look like {@code prototype}. */
  Message response(Message prototype) {
    if (reply != null) {
      if (reply.getDescriptorForType() != prototype.getDescriptorForType()) {
        throw new IllegalStateException("scripted " + reply.getDescriptorForType().getName() + " for a method answering "
            + prototype.getDescriptorForType().getName());
      }
      return reply;
    }
    Status status = milvusStatus != null ? milvusStatus : Status.getDefaultInstance();
    if (prototype instanceof Status) {
      return status;
    }
    FieldDescriptor field = prototype.getDescriptorForType().findFieldByName("status");
    if (field == null || field.getType() != FieldDescriptor.Type.MESSAGE
        || field.getMessageType() != Status.getDescriptor()) {
      throw new IllegalStateException(prototype.getDescriptorForType().getName() + " has no Milvus status field");
    }
    return prototype.toBuilder().setField(field, status).build();
  }

  @Override
  public String toString() {
    String what = reply != null ? "reply " + reply.getDescriptorForType().getName()
        : milvusStatus != null ? "milvus status " + milvusStatus.getCode() + " " + milvusStatus.getReason()
        : grpcStatus != null ? "grpc " + grpcStatus.getCode() : hang ? "hang" : "default";
    return delay.isZero() ? what : what + " after " + delay;
  }
}
