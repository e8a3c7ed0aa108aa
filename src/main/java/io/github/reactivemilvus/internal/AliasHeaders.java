package io.github.reactivemilvus.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * Puts an alias's headers on every call: {@code authorization} (the value of its {@link Authorization}
 * when the call starts: a refreshed value reaches the next call) and {@code dbname} from its config,
 * and the {@code identifier} the server returned from the handshake once it is known. A header the
 * caller set itself is left as it is. With refreshable credentials, a call the server refused for
 * them closes with an {@link Authorization.Rejected} cause. Thread-safe.
 */
@Internal
final class AliasHeaders implements ClientInterceptor {
  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> DBNAME = Metadata.Key.of("dbname", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> IDENTIFIER = Metadata.Key.of("identifier", Metadata.ASCII_STRING_MARSHALLER);

  private final Authorization authorization;
  private final boolean refreshable;
  private final @Nullable String dbName;
  private volatile @Nullable String identifier;

  AliasHeaders(@Nullable String authorization, @Nullable String dbName) {
    this(Authorization.fixed(authorization), false, dbName);
  }

  AliasHeaders(Authorization authorization, boolean refreshable, @Nullable String dbName) {
    this.authorization = authorization;
    this.refreshable = refreshable;
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
        if (!refreshable || headers.containsKey(AUTHORIZATION)) {
          super.start(listener, decorate(headers, authorization.header()));
          return;
        }
        // read once, with its version: the refused value is told apart from a newer one
        long refreshes = authorization.refreshesBegun();
        Authorization.Value value = authorization.value();
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<R>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            super.onClose(!status.isOk() && authorization.rejects(status)
                ? authorization.rejected(status, value.version(), refreshes) : status, trailers);
          }
        }, decorate(headers, value.header()));
      }
    };
  }

  private Metadata decorate(Metadata headers, @Nullable String header) {
    putIfAbsent(headers, AUTHORIZATION, header);
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
