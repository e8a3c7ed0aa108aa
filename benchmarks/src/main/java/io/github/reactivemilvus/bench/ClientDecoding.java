package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.client.Hit;
import io.github.reactivemilvus.proto.CollectionSchema;
import io.github.reactivemilvus.proto.SearchResults;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * The typed client's decoding of a search answer, reached without an RPC: the package-private
 * {@code Responses.hits(RowEncoder, SearchResults)} that {@code MilvusClient.search} applies to each
 * answer, with the collection's {@code RowEncoder}, looked up reflectively (the library is on the class path, not
 * the module path), so the decode floor measures exactly what {@code MilvusClient.search} runs on
 * each answer.
 */
final class ClientDecoding {
  private final Object codec;
  private final MethodHandle hits;

  private ClientDecoding(Object codec, MethodHandle hits) {
    this.codec = codec;
    this.hits = hits;
  }

  static ClientDecoding forSchema(CollectionSchema schema) throws ReflectiveOperationException {
    Class<?> codecType = Class.forName("io.github.reactivemilvus.client.RowEncoder");
    var constructor = codecType.getDeclaredConstructor(CollectionSchema.class);
    constructor.setAccessible(true);
    Class<?> client = Class.forName("io.github.reactivemilvus.client.Responses");
    var method = client.getDeclaredMethod("hits", codecType, SearchResults.class);
    method.setAccessible(true);
    MethodHandle h = MethodHandles.lookup().unreflect(method)
        .asType(MethodType.methodType(List.class, Object.class, SearchResults.class));
    return new ClientDecoding(constructor.newInstance(schema), h);
  }

  @SuppressWarnings("unchecked")
  List<List<Hit>> hits(SearchResults results) {
    try {
      return (List<List<Hit>>) hits.invokeExact(codec, results);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
