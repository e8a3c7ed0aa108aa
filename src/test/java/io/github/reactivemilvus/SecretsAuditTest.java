package io.github.reactivemilvus;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.config.ConnectionConfigException;
import io.github.reactivemilvus.config.NamedConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.github.reactivemilvus.cli.MilvusConnectionsCli;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.FaultServer.Method;
import io.github.reactivemilvus.test.server.FreePorts;
import io.github.reactivemilvus.testing.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * SPEC §3.9: secrets never appear in an exception message (whole cause chain), a
 * {@code toString}, an event, command line output or a log line. Every error path is driven with
 * known secret values (password, token, a URI's user-info password, and their base64
 * {@code authorization} forms) while System.out, System.err (where slf4j-simple writes) and
 * java.util.logging (grpc-java's logger) are captured.
 */
class SecretsAuditTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PASSWORD = "pw-Secret-7731";
  private static final String TOKEN = "tok-Secret-9917";
  private static final String URI_PASSWORD = "uri-Secret-4402";
  private static final String TOKEN_PASSWORD = "tokpw-Secret-5520";
  private static final String CANARY = "secrets-audit-capture-canary";

  private static final List<String> SECRETS = List.of(PASSWORD, TOKEN, URI_PASSWORD, TOKEN_PASSWORD,
      base64("alice:" + PASSWORD), base64(TOKEN), base64("bob:" + URI_PASSWORD), base64("carol:" + TOKEN_PASSWORD));

  private final List<String> observed = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final List<String> julRecords = new CopyOnWriteArrayList<>();
  private PrintStream originalOut;
  private PrintStream originalErr;
  private Handler julHandler;
  private ReactiveConnections registry;
  private Disposable eventSubscription;

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void capture() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(new Tee(captured, originalOut), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(captured, originalErr), true, StandardCharsets.UTF_8));
    julHandler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        StringBuilder b = new StringBuilder(String.valueOf(record.getMessage()));
        if (record.getParameters() != null) {
          for (Object p : record.getParameters()) {
            b.append(' ').append(p);
          }
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
          b.append(' ').append(t);
        }
        julRecords.add(b.toString());
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger.getLogger("").addHandler(julHandler);
    org.slf4j.LoggerFactory.getLogger(SecretsAuditTest.class).warn(CANARY);
    Logger.getLogger("io.grpc.audit").warning(CANARY);
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    eventSubscription = registry.events().subscribe(e -> observed.add(e.toString() + " | " + e.message()));
  }

  @AfterEach
  void restore() {
    eventSubscription.dispose();
    registry.close();
    Logger.getLogger("").removeHandler(julHandler);
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  /** Everything said so far: recorded strings, events, System.out/err, java.util.logging. */
  private void assertNoSecretWasShown() {
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(output).as("slf4j-simple output is captured").contains(CANARY);
    assertThat(julRecords).as("java.util.logging is captured").anyMatch(r -> r.contains(CANARY));
    List<String> everything = new ArrayList<>(observed);
    everything.add(output);
    everything.addAll(julRecords);
    assertThat(observed).as("the audit saw messages").isNotEmpty();
    for (String text : everything) {
      for (String secret : SECRETS) {
        assertThat(text).as("a secret in: %s", text).doesNotContain(secret);
      }
    }
  }

  /** The message and toString of the error and of every cause and suppressed exception. */
  private void record(Throwable error) {
    assertThat(error).isNotNull();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> queue = new ArrayList<>(List.of(error));
    while (!queue.isEmpty()) {
      Throwable t = queue.remove(0);
      if (!seen.add(t)) {
        continue;
      }
      observed.add(t.toString());
      observed.add(String.valueOf(t.getMessage()));
      observed.add(String.valueOf(t.getLocalizedMessage()));
      if (t instanceof MilvusConnectionException m) {
        observed.add(m.detail());
        observed.add(String.valueOf(m.grpcStatus()));
      }
      if (t instanceof ConnectionConfigException c) {
        c.problems().forEach(p -> observed.add(p.toString() + " | " + p.field() + " | " + p.message()));
      }
      if (t.getCause() != null) {
        queue.add(t.getCause());
      }
      queue.addAll(List.of(t.getSuppressed()));
    }
  }

  private void recordFailure(Runnable action) {
    record(catchThrowable(action::run));
  }

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  private static List<Map<String, Object>> invalidConfigs() {
    return List.of(
        map("uri", "http://bob:" + URI_PASSWORD + "@h:99999"),
        map("uri", "http://bob:" + URI_PASSWORD + "@h o:1"),
        map("uri", "ftp://bob:" + URI_PASSWORD + "@h:1"),
        map("uri", "bob:" + URI_PASSWORD + "@h:1"),
        map("uri", "http://bob:" + URI_PASSWORD + "%zz@h:1"),
        map("uri", "http://bob:" + URI_PASSWORD + "@h:1/x.db"),
        map("uri", "http://bob:" + URI_PASSWORD + "@h:1", "address", "other:2"),
        map("user", "alice", "password", PASSWORD, "token", TOKEN),
        map("password", PASSWORD),
        map("user", "alice", "password", PASSWORD, "timeout", "soon"),
        map("token", TOKEN, "secure", "maybe"),
        map("token", TOKEN, "passwrd", PASSWORD),
        map("user", "alice", "pasword", PASSWORD),
        map("user", "alice", "password", List.of(PASSWORD)),
        map("token", new StringBuilder(TOKEN), "port", "x"),
        map("token", "carol:" + TOKEN_PASSWORD, "password", PASSWORD),
        map("uri", "https://bob:" + URI_PASSWORD + "@h", "secure", false),
        // a URI with user info in a key that takes a host or host:port
        map("host", "http://bob:" + URI_PASSWORD + "@localhost:19530"),
        map("host", "bob:" + URI_PASSWORD + "@h"),
        map("address", "http://bob:" + URI_PASSWORD + "@h1:19530,"),
        map("address", "bob:" + URI_PASSWORD + "@h1:19530,h2:19530"),
        map("secure", true, "server_name", "http://bob:" + URI_PASSWORD + "@h:1"),
        // a pymilvus token pasted into user
        map("user", "carol:" + TOKEN_PASSWORD));
  }

  @Test
  void invalidConfigsNeverShowASecret() {
    for (Map<String, Object> config : invalidConfigs()) {
      Throwable e = catchThrowable(() -> ConnectionConfig.fromMap(config));
      assertThat(e).as("rejected: %s", config.keySet()).isInstanceOf(ConnectionConfigException.class);
      record(e);
      record(catchThrowable(() -> ConnectionConfig.builder().putAll(config).build()));
      record(catchThrowable(() -> registry.addConnection("bad", config).block(WAIT)));
    }
    record(catchThrowable(() -> ReactiveConnections.builder()
        .environment(Map.of("MILVUS_URI", "http://bob:" + URI_PASSWORD + "@h:0")).build()));
    assertNoSecretWasShown();
  }

  @Test
  void aRejectedBatchNeverShowsASecret() {
    List<NamedConfig> batch = new ArrayList<>();
    List<Map<String, Object>> invalid = invalidConfigs();
    for (int i = 0; i < invalid.size(); i++) {
      batch.add(NamedConfig.of("bad-" + i, invalid.get(i)));
    }
    batch.add(NamedConfig.of("good", map("uri", "http://bob:" + URI_PASSWORD + "@h:1")));
    Throwable e = catchThrowable(() -> registry.addConnections(Flux.fromIterable(batch)).block(WAIT));
    assertThat(e).isInstanceOf(ConnectionConfigException.class);
    assertThat(((ConnectionConfigException) e).invalidAliases()).hasSize(invalid.size());
    record(e);
    batch.forEach(n -> observed.add(n.toString()));
    assertThat(registry.getConnectionAddr("good")).isEmpty();
    assertNoSecretWasShown();
  }

  @Test
  void toStringsOfConfigsViewsAndEventsNeverShowASecret() {
    Map<String, Object> userInfo = map("uri", "http://bob:" + URI_PASSWORD + "@127.0.0.1:" + FreePorts.closedPort() + "/db1");
    Map<String, Object> password = map("uri", "http://h:1", "user", "alice", "password", PASSWORD);
    Map<String, Object> token = map("uri", "http://h:1", "token", TOKEN);
    Map<String, Object> userToken = map("uri", "http://h:1", "token", "carol:" + TOKEN_PASSWORD);
    for (Map<String, Object> m : List.of(userInfo, password, token, userToken)) {
      ConnectionConfig config = ConnectionConfig.fromMap(m);
      observed.add(config.toString());
      observed.add(config.info("x", Duration.ofSeconds(1)).toString());
      observed.add(NamedConfig.of("x", m).toString());
      observed.add(NamedConfig.of("x", config).toString());
      observed.add(String.valueOf(config.differingFields(ConnectionConfig.fromMap(map("uri", "http://h:1")))));
    }
    registry.addConnection("userinfo", userInfo).block(WAIT);
    registry.addConnection("password", password).block(WAIT);
    registry.addConnection("token", token).block(WAIT);
    observed.add(registry.listConnections().toString());
    observed.add(registry.getConnectionAddr("userinfo").orElseThrow().toString());
    observed.add(registry.getConnectionAddr("token").orElseThrow().toString());
    registry.removeConnection("token").block(WAIT);
    assertNoSecretWasShown();
  }

  @Test
  void connectFailuresNeverShowASecret() {
    TestCertificates certs = TestCertificates.get();
    try (FaultServer auth = FaultServer.builder().credentials("alice", PASSWORD).start();
         FaultServer tls = FaultServer.builder().tls(certs).start()) {
      int closed = FreePorts.closedPort();
      Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
      configs.put("unreachable", map("uri", "http://bob:" + URI_PASSWORD + "@127.0.0.1:" + closed, "timeout", 1));
      configs.put("unreachable-token", map("address", "127.0.0.1:" + closed, "token", TOKEN, "timeout", 1));
      configs.put("wrong-password", map("uri", auth.uri(), "user", "alice", "password", TOKEN));
      configs.put("wrong-token", map("uri", auth.uri(), "token", TOKEN));
      configs.put("wrong-user-token", map("uri", auth.uri(), "token", "carol:" + TOKEN_PASSWORD));
      configs.put("wrong-userinfo", map("uri", "http://bob:" + URI_PASSWORD + "@" + auth.target()));
      configs.put("no-database", map("uri", auth.uri(), "user", "alice", "password", PASSWORD, "db_name", "nodb"));
      configs.put("plain-to-tls", map("uri", "http://bob:" + URI_PASSWORD + "@127.0.0.1:" + tls.port(), "timeout", 60));
      configs.put("untrusted", map("uri", "https://localhost:" + tls.port(), "token", TOKEN,
          "server_pem_path", certs.wrongCaCert().toString(), "timeout", 60));
      for (Map.Entry<String, Map<String, Object>> e : configs.entrySet()) {
        registry.addConnection(e.getKey(), e.getValue()).block(WAIT);
        Throwable failure = catchThrowable(() -> registry.stub(e.getKey()).getVersion().block(WAIT));
        assertThat(failure).as(e.getKey()).isInstanceOf(MilvusConnectionException.class);
        record(failure);
      }
      // events reach subscribers on the registry's scheduler, shortly after the failures
      await().atMost(WAIT).untilAsserted(() -> assertThat(observed).anyMatch(s -> s.contains("FAILED wrong-password"))
          .anyMatch(s -> s.contains("FAILED no-database")));
      cliCheck("http://bob:" + URI_PASSWORD + "@127.0.0.1:" + closed);
      cliCheck("http://bob:" + URI_PASSWORD + "@h:0");
      cliCheck("http://bob:" + URI_PASSWORD + "@" + auth.target());
      cliResolve();
    }
    assertNoSecretWasShown();
  }

  @Test
  void callLimitUnknownAliasAndConflictErrorsNeverShowASecret() {
    try (FaultServer server = FaultServer.builder().credentials("alice", PASSWORD).start()) {
      Map<String, Object> config = map("uri", server.uri(), "user", "alice", "password", PASSWORD,
          "max_concurrent_calls", 1, "max_pending_calls", 1);
      registry.addConnection("limited", config).block(WAIT);
      registry.channel("limited").block(WAIT);
      server.hang(Method.GET_VERSION);
      List<Disposable> running = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        running.add(registry.stub("limited").getVersion().subscribe(v -> { }, e -> { }));
      }
      await().atMost(WAIT).until(() -> server.hanging(Method.GET_VERSION) == 1);
      Throwable limit = catchThrowable(() -> registry.stub("limited").getVersion().block(WAIT));
      assertThat(((MilvusConnectionException) limit).kind()).isEqualTo(FailureKind.CALL_LIMIT_EXCEEDED);
      record(limit);
      server.release(Method.GET_VERSION);
      running.forEach(Disposable::dispose);

      Map<String, Object> changed = new HashMap<>(config);
      changed.put("password", TOKEN);
      record(catchThrowable(() -> registry.addConnection("limited", changed).block(WAIT)));
    }
    record(catchThrowable(() -> registry.channel("nope").block(WAIT)));
    record(catchThrowable(() -> registry.stub("nope").getVersion().block(WAIT)));
    assertNoSecretWasShown();
  }

  private void cliCheck(String uri) {
    int exit = new CommandLine(new MilvusConnectionsCli()).execute("check", "--uri", uri);
    assertThat(exit).isNotZero();
  }

  private void cliResolve() {
    InputStream stdin = System.in;
    try {
      String lines = "{\"alias\": \"r\", \"config\": {\"uri\": \"http://bob:" + URI_PASSWORD + "@h:1\", \"token\": \""
          + TOKEN + "\"}}\n{\"alias\": \"s\", \"config\": {\"user\": \"alice\", \"password\": \"" + PASSWORD
          + "\", \"timeout\": \"x\"}}\n";
      System.setIn(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)));
      assertThat(new CommandLine(new MilvusConnectionsCli()).execute("resolve")).isEqualTo(1);
    } finally {
      System.setIn(stdin);
    }
  }

  /** Writes to the capture buffer and to the original stream. */
  private static final class Tee extends OutputStream {
    private final OutputStream capture;
    private final OutputStream original;

    Tee(OutputStream capture, OutputStream original) {
      this.capture = capture;
      this.original = original;
    }

    @Override
    public void write(int b) {
      synchronized (capture) {
        ((ByteArrayOutputStream) capture).write(b);
      }
      try {
        original.write(b);
      } catch (java.io.IOException e) {
        // the console is best effort
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (capture) {
        ((ByteArrayOutputStream) capture).write(b, off, len);
      }
      try {
        original.write(b, off, len);
      } catch (java.io.IOException e) {
        // the console is best effort
      }
    }
  }
}
