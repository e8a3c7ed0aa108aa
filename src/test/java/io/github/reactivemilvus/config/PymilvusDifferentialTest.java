package io.github.reactivemilvus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test against pymilvus 2.5.18 (the functional model, SPEC §1): a few hundred
 * configs in forms both accept (address, http/https/tcp URIs, host/port, explicit user) go through
 * one Python process that calls {@code connections.add_connection} and
 * {@code get_connection_addr}; the normalized address, the user and the secure flag must agree.
 * No server is involved. Ports stop at 65534 and hosts at names and IPv4 because pymilvus rejects
 * 65535 and IPv6 (SPEC §9); host names are compared case-insensitively (pymilvus lower-cases
 * only those from URIs, this library all of them).
 *
 * <p>The Python side lives in {@code target/venv-pymilvus25}, made by
 * {@code scripts/install-pymilvus25.sh}: outside CI the test runs the script itself; in CI
 * ({@code CI=true}) a missing venv fails the test, since the CI script is expected to create it.
 */
class PymilvusDifferentialTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CASES = 240;

  @TempDir
  Path tmp;

  @Test
  void pymilvus25AndThisLibraryAgreeOnAddressUserAndSecure() throws Exception {
    Path python = pymilvusPython();
    List<Map<String, Object>> cases = generate(new Random(20_251_124L));
    JsonNode reply = runPymilvus(python, cases);
    assertThat(reply.get("version").asText()).isEqualTo("2.5.18");

    List<String> mismatches = new ArrayList<>();
    JsonNode results = reply.get("results");
    assertThat(results).hasSize(cases.size());
    for (int i = 0; i < cases.size(); i++) {
      @SuppressWarnings("unchecked")
      Map<String, Object> config = (Map<String, Object>) cases.get(i).get("config");
      JsonNode py = results.get(i);
      if (!py.get("ok").asBoolean()) {
        mismatches.add(config + ": pymilvus rejected it: " + py.get("error").asText());
        continue;
      }
      ConnectionConfig ours;
      try {
        ours = ConnectionConfig.fromMap(config);
      } catch (ConnectionConfigException e) {
        mismatches.add(config + ": rejected here: " + e.getMessage());
        continue;
      }
      String pyAddress = normalize(py.get("address").asText());
      String pyUser = py.get("user").isNull() ? null : py.get("user").asText();
      if (!pyAddress.equals(normalize(ours.address()))) {
        mismatches.add(config + ": address " + ours.address() + " vs pymilvus " + py.get("address").asText());
      }
      if (!java.util.Objects.equals(pyUser, ours.user())) {
        mismatches.add(config + ": user " + ours.user() + " vs pymilvus " + pyUser);
      }
      if (py.get("secure").asBoolean() != ours.secure()) {
        mismatches.add(config + ": secure " + ours.secure() + " vs pymilvus " + py.get("secure").asBoolean());
      }
    }
    assertThat(mismatches).as("differences from pymilvus 2.5.18").isEmpty();
  }

  /** host:port with a lower-case host and a port without leading zeros (pymilvus keeps "019530"). */
  private static String normalize(String address) {
    int colon = address.lastIndexOf(':');
    return address.substring(0, colon).toLowerCase(Locale.ROOT) + ":" + Integer.parseInt(address.substring(colon + 1));
  }

  private static List<Map<String, Object>> generate(Random random) {
    List<Map<String, Object>> cases = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      String host = host(random);
      int port = 1 + random.nextInt(65534);
      Map<String, Object> config = new LinkedHashMap<>();
      switch (i % 8) {
        case 0 -> config.put("address", host + ":" + port);
        case 1 -> config.put("uri", "http://" + host + ":" + port + (random.nextBoolean() ? "/db" + i : ""));
        case 2 -> config.put("uri", "https://" + host + (random.nextBoolean() ? ":" + port : ""));
        case 3 -> config.put("uri", "tcp://" + host + ":" + port);
        case 4 -> {
          config.put("host", host);
          config.put("port", random.nextBoolean() ? port : String.valueOf(port));
        }
        case 5 -> config.put("host", host);
        case 6 -> config.put("port", random.nextBoolean() ? port : String.valueOf(port));
        default -> config.put("uri", (random.nextBoolean() ? "HTTP://" : "http://") + host);
      }
      if (random.nextInt(3) == 0) {
        config.put("user", "user" + i);
        config.put("password", "pw" + i);
      }
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("alias", "c" + i);
      c.put("config", config);
      cases.add(c);
    }
    return cases;
  }

  private static String host(Random random) {
    switch (random.nextInt(5)) {
      case 0:
        return random.nextBoolean() ? "localhost" : "127.0.0.1";
      case 1:
        return random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
      case 2:
        return "Milvus-" + random.nextInt(100) + ".Example.COM";
      default:
        StringBuilder sb = new StringBuilder();
        int labels = 1 + random.nextInt(3);
        for (int l = 0; l < labels; l++) {
          if (l > 0) {
            sb.append('.');
          }
          sb.append((char) ('a' + random.nextInt(26)));
          int more = random.nextInt(8);
          for (int k = 0; k < more; k++) {
            sb.append("abcdefghijklmnopqrstuvwxyz0123456789-_".charAt(random.nextInt(36)));
          }
        }
        return sb.toString();
    }
  }

  private JsonNode runPymilvus(Path python, List<Map<String, Object>> cases) throws IOException, InterruptedException {
    Path script = tmp.resolve("add_connections.py");
    try (InputStream in = getClass().getResourceAsStream("/pymilvus/add_connections.py")) {
      assertThat(in).isNotNull();
      Files.copy(in, script);
    }
    Path input = Files.write(tmp.resolve("cases.json"), JSON.writeValueAsBytes(cases));
    Path output = tmp.resolve("out.txt");
    ProcessBuilder pb = new ProcessBuilder(python.toString(), script.toString())
        .redirectInput(input.toFile()).redirectOutput(output.toFile()).redirectErrorStream(false)
        .redirectError(tmp.resolve("err.txt").toFile());
    pb.environment().remove("MILVUS_URI");
    pb.environment().remove("MILVUS_CONN_TIMEOUT");
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("the pymilvus process did not finish");
    }
    String out = Files.readString(output, StandardCharsets.UTF_8);
    String result = out.lines().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b).orElse(null);
    if (p.exitValue() != 0 || result == null) {
      fail("pymilvus process failed (exit " + p.exitValue() + "): " + Files.readString(tmp.resolve("err.txt")));
    }
    return JSON.readTree(result.substring("RESULT ".length()));
  }

  /**
   * The venv's python. Outside CI the (idempotent, fast when done) install script always runs, so
   * that a half-made venv is repaired; in CI a missing venv is a failure that says why.
   */
  private static Path pymilvusPython() throws IOException, InterruptedException {
    Path base = Path.of(System.getProperty("project.basedir", System.getProperty("user.dir")));
    Path venv = base.resolve("target/venv-pymilvus25");
    Path python = venv.resolve("bin/python");
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      if (!Files.isExecutable(python)) {
        fail(venv + " is missing: the CI script must run scripts/install-pymilvus25.sh before the tests");
      }
      return python;
    }
    Path log = Files.createTempFile("install-pymilvus25", ".log");
    Process p = new ProcessBuilder("bash", base.resolve("scripts/install-pymilvus25.sh").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail("scripts/install-pymilvus25.sh failed: " + Files.readString(log));
    }
    return python;
  }
}
