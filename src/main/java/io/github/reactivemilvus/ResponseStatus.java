package io.github.reactivemilvus;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.github.reactivemilvus.proto.Status;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where a response keeps its Milvus {@code common.Status}: the response is one, or it has a
 * {@code status} field of that type, or it has none. Decided once per message type from its
 * protobuf descriptor, then cached. Also finds a request's {@code collection_name} for messages.
 */
final class ResponseStatus {
  static final String STATUS_TYPE = "milvus.proto.common.Status";
  private static final Status SUCCESS = Status.getDefaultInstance();
  private static final ConcurrentHashMap<Descriptor, Function<Message, Status>> BY_TYPE = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<Descriptor, FieldDescriptor> COLLECTION_FIELD = new ConcurrentHashMap<>();
  private static final FieldDescriptor NONE = Status.getDescriptor().findFieldByName("reason");

  private ResponseStatus() {}

  /** The status of any response: a success for non-protobuf responses and ones without status. */
  static Status of(Object response) {
    if (response instanceof Status s) {
      return s;
    }
    if (!(response instanceof Message m)) {
      return SUCCESS;
    }
    return BY_TYPE.computeIfAbsent(m.getDescriptorForType(), ResponseStatus::extractor).apply(m);
  }

  private static Function<Message, Status> extractor(Descriptor type) {
    if (type.getFullName().equals(STATUS_TYPE)) {
      return ResponseStatus::asStatus;
    }
    FieldDescriptor field = type.findFieldByName("status");
    if (field != null && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()
        && field.getMessageType().getFullName().equals(STATUS_TYPE)) {
      return m -> m.hasField(field) ? asStatus((Message) m.getField(field)) : SUCCESS;
    }
    return m -> SUCCESS;
  }

  /** Our Status as is; another class of the same proto type (for example the SDK's) by its bytes. */
  private static Status asStatus(Message message) {
    if (message instanceof Status s) {
      return s;
    }
    try {
      return Status.parseFrom(message.toByteString());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable " + STATUS_TYPE, e);
    }
  }

  /** The request's {@code collection_name}, or null when it has none (or it is empty). */
  static @Nullable String collectionName(Object request) {
    if (!(request instanceof Message m)) {
      return null;
    }
    FieldDescriptor field = COLLECTION_FIELD.computeIfAbsent(m.getDescriptorForType(), t -> {
      FieldDescriptor f = t.findFieldByName("collection_name");
      return f != null && f.getJavaType() == FieldDescriptor.JavaType.STRING && !f.isRepeated() ? f : NONE;
    });
    if (field == NONE) {
      return null;
    }
    String name = (String) m.getField(field);
    return name.isEmpty() ? null : name;
  }
}
