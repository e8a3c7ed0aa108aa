package io.github.reactivemilvus.client;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs reads with pymilvus (the script {@code differential/pymilvus_reads.py} of the test resources,
 * under a venv's Python) on a server and collection, and returns their results, for tests that compare
 * this client with pymilvus. Reads are JSON-able maps as the script's docstring describes; one Python
 * process runs them all. Blocking: test threads only.
 */
final class PymilvusReads {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path python;
  private final String uri;
  private final String collection;
  private final List<Map<String, Object>> reads = new ArrayList<>();

  PymilvusReads(Path python, String uri, String collection) {
    this.python = python;
    this.uri = uri;
    this.collection = collection;
  }

  /** Adds a read; returns its index in the results. */
  int add(Map<String, Object> read) {
    reads.add(read);
    return reads.size() - 1;
  }

  /** Runs every read; the results in order ({@code pymilvus} names the version). */
  Result run() throws IOException, InterruptedException {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("uri", uri);
    spec.put("collection", collection);
    spec.put("timeout", 30);
    spec.put("reads", reads);
    Path specFile = Files.createTempFile("pymilvus-reads", ".json");
    Path script = Files.createTempFile("pymilvus_reads", ".py");
    Path err = Files.createTempFile("pymilvus-reads", ".err");
    try (InputStream in = PymilvusReads.class.getResourceAsStream("/differential/pymilvus_reads.py")) {
      if (in == null) {
        throw new IllegalStateException("differential/pymilvus_reads.py missing from the test resources");
      }
      Files.write(script, in.readAllBytes());
      JSON.writeValue(specFile.toFile(), spec);
      Process p = new ProcessBuilder(python.toString(), script.toString(), specFile.toString())
          .redirectError(err.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("pymilvus reads failed: " + new String(out, StandardCharsets.UTF_8)
            + Files.readString(err));
      }
      JsonNode node = JSON.readTree(out);
      return new Result(node.path("pymilvus").asText(), node.path("results"));
    } finally {
      Files.deleteIfExists(specFile);
      Files.deleteIfExists(script);
      Files.deleteIfExists(err);
    }
  }

  /** What pymilvus returned. */
  record Result(String version, JsonNode results) {
    /** The hits of read {@code i}, per query vector: id and score (and fields). */
    JsonNode read(int i) {
      JsonNode r = results.get(i);
      if (r.has("error")) {
        throw new AssertionError("pymilvus " + version + " failed read " + i + ": " + r.get("error").asText());
      }
      return r;
    }
  }
}
