package io.github.reactivemilvus;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.github.reactivemilvus.proto.Status;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * The observations of one registry's calls: an interceptor per alias that makes every call on the
 * alias's channel one {@link Observation} of a {@link MilvusObservationContext} (one per attempt:
 * the library's retries are calls of their own, siblings under the caller's parent, numbered by
 * {@code milvus.attempt}).
 *
 * <p>The parent: what the library's stubs found in the subscriber's Reactor {@code Context} (an
 * {@link Observation} under the context-propagation key {@value #OBSERVATION_KEY}, as
 * {@code contextCapture()} and Spring WebFlux put it, or under {@code Observation.class}), else the
 * registry's current observation on the subscribing thread; for calls made on the channel by other
 * code, the current observation on the thread that starts the call.
 *
 * <p>Only built when the registry was given an {@link ObservationRegistry}: without one no class of
 * this file is loaded and the call path is unchanged.
 */
final class CallObservations {
  /** {@code ObservationThreadLocalAccessor.KEY}: the Reactor context key of the current observation. */
  static final String OBSERVATION_KEY = "micrometer.observation";
  /** Set by the library's stubs: the caller's parent and the attempt count of one call. */
  static final CallOptions.Key<CallTrace> TRACE = CallOptions.Key.create("reactive-milvus-call-trace");
  private static final MilvusObservationConvention DEFAULT = new DefaultMilvusObservationConvention();

  private final ObservationRegistry registry;
  private final @Nullable MilvusObservationConvention convention;

  CallObservations(ObservationRegistry registry, @Nullable MilvusObservationConvention convention) {
    this.registry = registry;
    this.convention = convention;
  }

  /** {@code options} with the trace of one library call: the parent found in {@code context} (or the thread's). */
  CallOptions withTrace(CallOptions options, ContextView context) {
    if (registry.isNoop()) {
      return options; // no handler: nothing would be observed, so nothing is read or allocated per call
    }
    Object parent = context.getOrDefault(OBSERVATION_KEY, null);
    if (!(parent instanceof Observation)) {
      parent = context.getOrDefault(Observation.class, null);
    }
    Observation observation = parent instanceof Observation o ? o : registry.getCurrentObservation();
    return options.withOption(TRACE, new CallTrace(observation));
  }

  /** The interceptor that observes the calls of {@code alias}, whose database is {@code dbName}. */
  ClientInterceptor forAlias(String alias, @Nullable String dbName) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        if (registry.isNoop()) {
          return next.newCall(method, options);
        }
        CallTrace trace = options.getOption(TRACE);
        int attempt = trace == null ? 0 : trace.attempts.incrementAndGet();
        Observation parent = trace == null ? registry.getCurrentObservation() : trace.parent;
        // the context is made only when the registry will observe (a predicate may still turn it off)
        Observation observation = Observation.createNotStarted(convention, DEFAULT,
            () -> new MilvusObservationContext(alias, method, dbName, attempt), registry).parentObservation(parent);
        if (observation.isNoop()) {
          return next.newCall(method, options);
        }
        return new ObservedCall<>(next.newCall(method, options), observation, (MilvusObservationContext) observation.getContext());
      }
    };
  }

  /** The parent and the attempts of one library call; its retries share it. */
  static final class CallTrace {
    final @Nullable Observation parent;
    final AtomicInteger attempts = new AtomicInteger();

    CallTrace(@Nullable Observation parent) {
      this.parent = parent;
    }
  }

  /** One observed call: started with the call, stopped when it closes. */
  private static final class ObservedCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
    private final Observation observation;
    private final MilvusObservationContext context;

    ObservedCall(ClientCall<Q, R> delegate, Observation observation, MilvusObservationContext context) {
      super(delegate);
      this.observation = observation;
      this.context = context;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      context.setCarrier(headers); // a tracing handler puts traceparent here when the observation starts
      observation.start();
      try {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<R>(listener) {
          @Override
          public void onHeaders(Metadata responseHeaders) {
            server(getAttributes());
            super.onHeaders(responseHeaders);
          }

          @Override
          public void onMessage(R message) {
            int code = milvusCode(message);
            if (code != 0) {
              context.milvusCode(code);
            }
            super.onMessage(message);
          }

          @Override
          public void onClose(io.grpc.Status status, Metadata trailers) {
            finish(status);
            super.onClose(status, trailers);
          }
        }, headers);
      } catch (RuntimeException | Error e) {
        observation.error(e);
        observation.stop();
        throw e;
      }
    }

    @Override
    public void sendMessage(Q message) {
      RequestFields.read(message, context);
      super.sendMessage(message);
    }

    private void server(Attributes attributes) {
      if (context.serverAddress() != null) {
        return;
      }
      SocketAddress remote = attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      if (remote instanceof InetSocketAddress inet) {
        context.server(inet.getHostString(), inet.getPort());
      } else if (remote != null) {
        context.server(remote.toString(), 0);
      }
    }

    private void finish(io.grpc.Status status) {
      try {
        server(getAttributes());
      } catch (RuntimeException e) {
        // the attributes of a call that never reached a transport: the server stays unknown
      }
      context.closed(status.getCode());
      if (!status.isOk()) {
        observation.error(status.asRuntimeException());
      } else if (context.milvusCode() != 0) {
        observation.error(new MilvusStatusError(context.milvusCode()));
      }
      observation.stop();
    }

    private static int milvusCode(Object response) {
      Status status = ResponseStatus.of(response);
      return status.getCode() != 0 ? status.getCode() : status.getErrorCodeValue();
    }
  }

  /** The error of an observation whose call succeeded in gRPC and failed in Milvus: the code only, no stack. */
  static final class MilvusStatusError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MilvusStatusError(int code) {
      super("Milvus status code " + code, null, false, false);
    }
  }

  /** Reads what the observation wants from a request message: fields found once per message type. */
  private static final class RequestFields {
    private static final ConcurrentHashMap<Descriptor, RequestFields> BY_TYPE = new ConcurrentHashMap<>();
    private final @Nullable FieldDescriptor collection;
    private final @Nullable FieldDescriptor db;
    private final @Nullable FieldDescriptor batch;

    private RequestFields(Descriptor type) {
      collection = string(type, "collection_name");
      db = string(type, "db_name");
      FieldDescriptor rows = type.findFieldByName("num_rows");
      FieldDescriptor nq = type.findFieldByName("nq");
      FieldDescriptor count = rows != null ? rows : nq;
      batch = count != null && !count.isRepeated() && isInteger(count) ? count : null;
    }

    static void read(Object request, MilvusObservationContext context) {
      if (!(request instanceof Message m)) {
        return;
      }
      RequestFields fields = BY_TYPE.computeIfAbsent(m.getDescriptorForType(), RequestFields::new);
      String collection = fields.collection == null ? null : (String) m.getField(fields.collection);
      String db = fields.db == null ? null : (String) m.getField(fields.db);
      long batch = fields.batch == null ? 0 : ((Number) m.getField(fields.batch)).longValue();
      context.request(db == null || db.isEmpty() ? null : db, collection == null || collection.isEmpty() ? null : collection,
          batch);
    }

    private static @Nullable FieldDescriptor string(Descriptor type, String name) {
      FieldDescriptor f = type.findFieldByName(name);
      return f != null && !f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.STRING ? f : null;
    }

    private static boolean isInteger(FieldDescriptor f) {
      return f.getJavaType() == FieldDescriptor.JavaType.INT || f.getJavaType() == FieldDescriptor.JavaType.LONG;
    }
  }

  @Override
  public String toString() {
    return "CallObservations{" + Objects.toString(registry) + "}";
  }
}
