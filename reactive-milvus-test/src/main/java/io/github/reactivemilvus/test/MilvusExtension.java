package io.github.reactivemilvus.test;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.test.server.MilvusLite;
import io.github.reactivemilvus.test.server.MilvusServer;
import io.github.reactivemilvus.test.server.MilvusServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link MilvusTest} (also usable as {@code @ExtendWith(MilvusExtension.class)},
 * with {@link MilvusTest}'s defaults).
 *
 * <p>Before the class: the server (the external one when {@code REACTIVE_MILVUS_TEST_URI} is set; otherwise
 * Milvus Lite, shared by the JVM or started for the class). Parameters: {@link MilvusServer}, {@link MilvusLite}
 * (not with an external server), {@code @MilvusUri String}, {@link ReactiveConnections} (one per test class,
 * alias {@code default} on the server, closed after the class), {@link MilvusClient} (of that alias),
 * {@link MilvusNames} (one per test method). After each test that asked for {@link MilvusNames}: the collections
 * with its prefix are dropped. A server that cannot start fails the tests with the reason (never a skip).
 *
 * <p>Time: everything here runs in real time. Tests of the library's own clocks (retry backoff, connect
 * timeout, default deadline) build their registry with a {@code VirtualTimeScheduler}
 * ({@code ReactiveConnections.builder().scheduler(time)}) against {@code @MilvusUri}; see docs/testing.md.
 *
 * <p>Threading: the callbacks run on JUnit's threads and block while a server starts.
 */
public final class MilvusExtension implements BeforeAllCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MilvusExtension.class);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  /** The server of {@code context}'s test class, started if needed. */
  public static MilvusServer server(ExtensionContext context) {
    MilvusTest settings = settings(context);
    if (settings.scope() == MilvusTest.Scope.JVM) {
      return SharedMilvus.get(settings.lite());
    }
    ExtensionContext classContext = classContext(context);
    return stored(classContext, "server",
        () -> new Closing<>(MilvusServers.start(MilvusLite.options().version(settings.lite())), MilvusServer::close),
        MilvusServer.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == MilvusServer.class || type == MilvusLite.class || type == ReactiveConnections.class
        || type == MilvusClient.class || type == MilvusNames.class
        || type == String.class && parameter.isAnnotated(MilvusUri.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    MilvusServer server = server(context);
    if (type == MilvusServer.class) {
      return server;
    }
    if (type == String.class) {
      return server.uri();
    }
    if (type == MilvusLite.class) {
      if (server instanceof MilvusLite lite) {
        return lite;
      }
      throw new ParameterResolutionException("no MilvusLite: the tests run against " + server);
    }
    if (type == MilvusNames.class) {
      return names(context);
    }
    ReactiveConnections registry = registry(context);
    return type == ReactiveConnections.class ? registry : MilvusClient.of(registry, ReactiveConnections.DEFAULT_ALIAS);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    MilvusNames names = context.getStore(NAMESPACE).get("names", MilvusNames.class);
    if (names == null) {
      return;
    }
    MilvusClient client = MilvusClient.of(registry(context), ReactiveConnections.DEFAULT_ALIAS);
    List<String> collections = client.listCollections().block(WAIT);
    if (collections != null) {
      for (String name : collections) {
        if (name.startsWith(names.prefix())) {
          client.dropCollection(name).block(WAIT);
        }
      }
    }
  }

  private static MilvusNames names(ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException("MilvusNames belong to a test method (declare them on the test, not on @BeforeAll)");
    }
    String database = database(context);
    return Objects.requireNonNull(context.getStore(NAMESPACE).getOrComputeIfAbsent("names",
        k -> MilvusNames.forTest(context.getRequiredTestMethod().getName(), database), MilvusNames.class));
  }

  private static String database(ExtensionContext context) {
    if (settings(context).isolation() != MilvusTest.Isolation.DATABASE) {
      return "default";
    }
    ExtensionContext classContext = classContext(context);
    return stored(classContext, "database", () -> {
      String name = MilvusNames.forTest(classContext.getRequiredTestClass().getSimpleName(), "default").prefix()
          .toLowerCase(Locale.ROOT) + "db";
      MilvusServer server = server(context);
      try (ReactiveConnections admin = newRegistry(server, null)) {
        MilvusClient.of(admin, ReactiveConnections.DEFAULT_ALIAS).createDatabase(name).block(WAIT);
      }
      return new Closing<>(name, db -> dropDatabase(server, db));
    }, String.class);
  }

  private static void dropDatabase(MilvusServer server, String database) {
    try (ReactiveConnections admin = newRegistry(server, database)) {
      MilvusClient client = MilvusClient.of(admin, ReactiveConnections.DEFAULT_ALIAS);
      List<String> left = client.listCollections().block(WAIT);
      if (left != null) {
        left.forEach(c -> client.dropCollection(c).block(WAIT));
      }
      client.dropDatabase(database).block(WAIT);
    }
  }

  private static ReactiveConnections registry(ExtensionContext context) {
    String database = database(context);
    MilvusServer server = server(context);
    return stored(classContext(context), "registry",
        () -> new Closing<>(newRegistry(server, "default".equals(database) ? null : database), ReactiveConnections::close),
        ReactiveConnections.class);
  }

  /** The value kept under {@code key} in the store of {@code context}, created (and closed with it) when missing. */
  private static <V> V stored(ExtensionContext context, String key, Supplier<Closing<?>> create, Class<V> type) {
    Closing<?> closing = Objects.requireNonNull(
        context.getStore(NAMESPACE).getOrComputeIfAbsent(key, k -> create.get(), Closing.class));
    return closing.value(type);
  }

  /** A registry whose {@code default} alias is {@code server} (in {@code database} when not null). */
  static ReactiveConnections newRegistry(MilvusServer server, @Nullable String database) {
    Map<String, Object> config = new HashMap<>();
    config.put("uri", server.uri());
    String token = server.token();
    if (token != null) {
      config.put("token", token);
    }
    if (database != null) {
      config.put("db_name", database);
    }
    ReactiveConnections registry = ReactiveConnections.builder().environment(Map.of()).build();
    try {
      registry.addConnection(ReactiveConnections.DEFAULT_ALIAS, config).block(WAIT);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    return registry;
  }

  private static MilvusTest settings(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
      Optional<Class<?>> type = c.get().getTestClass();
      if (type.isPresent()) {
        Optional<MilvusTest> found = AnnotationSupport.findAnnotation(type.get(), MilvusTest.class);
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    return Defaults.class.getAnnotation(MilvusTest.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  /** The settings of {@code @ExtendWith(MilvusExtension.class)} without {@link MilvusTest}. */
  @MilvusTest
  private static final class Defaults {
  }

  /** A value closed with the store that holds it. */
  private static final class Closing<T> implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final T value;
    private final java.util.function.Consumer<T> closer;
    private boolean closed;

    Closing(T value, java.util.function.Consumer<T> closer) {
      this.value = value;
      this.closer = closer;
    }

    <V> V value(Class<V> type) {
      return type.cast(value);
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        closer.accept(value);
      }
    }
  }
}
