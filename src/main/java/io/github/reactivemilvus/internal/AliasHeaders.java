package io.github.reactivemilvus.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * Puts an alias's headers on every call: {@code authorization} and {@code dbname} from its config,
 * and the {@code identifier} the server returned from the handshake once it is known. A header the
 * caller set itself is left as it is. Thread-safe.
 */
@Internal
final class AliasHeaders implements ClientInterceptor {
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> DBNAME = Metadata.Key.of("dbname", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> IDENTIFIER = Metadata.Key.of("identifier", Metadata.ASCII_STRING_MARSHALLER);

  private final @Nullable String authorization;
  private final @Nullable String dbName;
  private volatile @Nullable String identifier;

  AliasHeaders(@Nullable String authorization, @Nullable String dbName) {
    this.authorization = authorization;
    this.dbName = dbName;
  }

  void identifier(long id) {
    this.identifier = Long.toString(id);
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<Q, R>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(listener, decorate(headers));
      }
    };
  }

  private Metadata decorate(Metadata headers) {
    putIfAbsent(headers, AUTHORIZATION, authorization);
    putIfAbsent(headers, DBNAME, dbName);
    putIfAbsent(headers, IDENTIFIER, identifier);
    return headers;
  }

  private static void putIfAbsent(Metadata headers, Metadata.Key<String> key, @Nullable String value) {
    if (value != null && !headers.containsKey(key)) {
      headers.put(key, value);
    }
  }
}
