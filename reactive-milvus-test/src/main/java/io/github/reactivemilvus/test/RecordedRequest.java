package io.github.reactivemilvus.test;

import com.google.protobuf.Message;
import io.grpc.Metadata;

/**
 * One call {@link ScriptedMilvus} received: the method, the request message and the request headers
 * ({@code authorization}, {@code dbname}, {@code grpc-timeout}, ...), in arrival order ({@code sequence}).
 *
 * @param method the full method name, for example {@code milvus.proto.milvus.MilvusService/Search}
 * @param request the request message
 * @param headers a copy of the request headers
 * @param sequence 1 for the first call the server received, then 2, ...
 */
public record RecordedRequest(String method, Message request, Metadata headers, long sequence) {

  /** The value of an ASCII header, or null when absent. */
  public String header(String name) {
    return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
  }

  /** The request as its type, for example {@code recorded.request(SearchRequest.class).getCollectionName()}. */
  public <Q extends Message> Q request(Class<Q> type) {
    return type.cast(request);
  }

  /** The method's short name, for example {@code Search}. */
  public String methodName() {
    return method.substring(method.lastIndexOf('/') + 1);
  }
}
