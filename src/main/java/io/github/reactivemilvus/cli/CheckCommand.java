package io.github.reactivemilvus.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.github.reactivemilvus.config.ConnectionConfigException;
import io.github.reactivemilvus.config.ConnectionInfo;
import io.github.reactivemilvus.FailureKind;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.config.NamedConfig;
import io.github.reactivemilvus.ReactiveConnections;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code check}: connects every alias concurrently (bounded), calls GetVersion on each, and prints
 * a table: alias, address, state, server version, latency (connect + GetVersion), error. A server
 * that answers GetVersion with UNIMPLEMENTED (Milvus Lite 2.5) is connected: its version shows as
 * {@value #UNKNOWN_VERSION}. Exit code 0 when every alias answered, 1 when any failed, 2 when the
 * configs are invalid.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Connect every alias concurrently and print a table. With no --config or --uri, "
        + "checks the default alias (MILVUS_URI, else localhost:19530).")
final class CheckCommand implements Callable<Integer> {
  /** The version shown for a server that does not implement GetVersion. */
  static final String UNKNOWN_VERSION = "unknown";

  @Option(names = "--config", paramLabel = "FILE",
      description = "JSON file: an object {alias: {config keys}} or JSON lines {\"alias\": ..., \"config\": {...}}.")
  @Nullable Path config;

  @Option(names = "--uri", paramLabel = "URI", description = "A Milvus URI to check (repeatable); aliases uri-1, uri-2, ...")
  List<String> uris = new ArrayList<>();

  @Option(names = "--data", description = "Also make a data round trip per connected alias through a temporary "
      + "collection (create, insert 1,000 rows, index, load, search, query, drop) and print each step's latency.")
  boolean data;

  @Option(names = "--concurrency", defaultValue = "16", description = "Aliases connected at once (default ${DEFAULT-VALUE}).")
  int concurrency;

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  @Override
  public Integer call() throws IOException {
    List<NamedConfig> configs = new ArrayList<>();
    if (config != null) {
      try {
        configs.addAll(readConfigFile(config));
      } catch (IllegalArgumentException e) {
        err.println("invalid --config " + config + ": " + e.getMessage());
        return 2;
      }
    }
    for (int i = 0; i < uris.size(); i++) {
      configs.add(NamedConfig.of("uri-" + (i + 1), Map.of("uri", uris.get(i))));
    }
    try (ReactiveConnections registry = ReactiveConnections.create()) {
      List<String> aliases = configs.isEmpty() ? List.of(ReactiveConnections.DEFAULT_ALIAS)
          : configs.stream().map(NamedConfig::alias).distinct().toList();
      try {
        registry.addConnections(Flux.fromIterable(configs)).block();
      } catch (ConnectionConfigException e) {
        e.problems().forEach(p -> err.println("invalid config: " + p));
        return 2;
      }
      AtomicInteger done = new AtomicInteger();
      err.printf("checking %d alias%s (up to %d at once)...%n", aliases.size(), aliases.size() == 1 ? "" : "es", concurrency);
      List<Row> rows = Flux.fromIterable(aliases)
          .flatMapSequential(alias -> check(registry, alias)
              .doOnNext(r -> err.printf("  [%d/%d] %s: %s%n", done.incrementAndGet(), aliases.size(), r.alias, r.state)),
              Math.max(1, concurrency))
          .collectList()
          .blockOptional().orElseThrow();
      printTable(rows);
      boolean ok = rows.stream().allMatch(r -> r.error.isEmpty());
      if (data) {
        ok &= printDataRoundTrips(registry, rows);
      }
      return ok ? 0 : 1;
    }
  }

  private Mono<Row> check(ReactiveConnections registry, String alias) {
    String address = registry.getConnectionAddr(alias).map(ConnectionInfo::address).orElse("?");
    return Mono.defer(() -> {
      long started = System.nanoTime();
      return registry.stub(alias).getVersion()
          .onErrorResume(CheckCommand::isUnimplemented, e -> Mono.just(UNKNOWN_VERSION))
          .map(version -> new Row(alias, address, "connected", version, millis(started), ""))
          .onErrorResume(e -> Mono.just(new Row(alias, address, "failed", "", millis(started), describe(e))));
    });
  }

  private boolean printDataRoundTrips(ReactiveConnections registry, List<Row> rows) {
    List<DataRoundTrip.Result> results = Flux.fromIterable(rows).filter(r -> r.error.isEmpty())
        .flatMapSequential(r -> DataRoundTrip.run(registry, r.alias), Math.max(1, concurrency))
        .collectList().blockOptional().orElseThrow();
    out.println();
    String[] header = {"ALIAS", "STEP", "LATENCY", "ERROR"};
    List<String[]> lines = new ArrayList<>();
    for (DataRoundTrip.Result result : results) {
      for (DataRoundTrip.Step step : result.steps()) {
        lines.add(new String[] {result.alias(), step.name(), String.format("%.1f ms", step.nanos() / 1e6),
            step.error().isEmpty() ? "" : "failed: " + step.error()});
      }
    }
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
      for (String[] line : lines) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    printRow(header, width);
    lines.forEach(line -> printRow(line, width));
    return results.stream().allMatch(DataRoundTrip.Result::ok);
  }

  /**
   * An UNIMPLEMENTED answer to a call after a successful Connect: the server is there and speaks
   * Milvus, it just lacks the method (Connect's own UNIMPLEMENTED fails as NOT_MILVUS instead).
   */
  static boolean isUnimplemented(Throwable e) {
    return e instanceof MilvusConnectionException m && m.kind() == FailureKind.RPC && m.grpcStatus() != null
        && m.grpcStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED;
  }

  private static String describe(Throwable e) {
    if (e instanceof MilvusConnectionException m) {
      return m.kind().description() + ": " + m.detail();
    }
    return e.toString();
  }

  private static String millis(long started) {
    return String.format("%.1f ms", (System.nanoTime() - started) / 1e6);
  }

  private void printTable(List<Row> rows) {
    String[] header = {"ALIAS", "ADDRESS", "STATE", "VERSION", "LATENCY", "ERROR"};
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
    }
    for (Row r : rows) {
      String[] cells = r.cells();
      for (int i = 0; i < cells.length - 1; i++) {
        width[i] = Math.max(width[i], cells[i].length());
      }
    }
    printRow(header, width);
    for (Row r : rows) {
      printRow(r.cells(), width);
    }
  }

  private void printRow(String[] cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      b.append(i == cells.length - 1 ? cells[i] : String.format("%-" + width[i] + "s  ", cells[i]));
    }
    out.println(b.toString().stripTrailing());
  }

  /**
   * The {@code --config} file: one JSON object of alias to config, or JSON lines of
   * {@code {"alias": ..., "config": {...}}}. Parsed as {@code resolve} parses (a key given twice is an
   * error); a parse error names the position only, since the parser's message may quote a secret.
   */
  private static List<NamedConfig> readConfigFile(Path file) throws IOException {
    List<JsonNode> values = new ArrayList<>();
    try (MappingIterator<JsonNode> it = ResolveCommand.JSON.readerFor(JsonNode.class).readValues(Files.readString(file))) {
      while (it.hasNextValue()) { // not hasNext(): it wraps a parse error in an unchecked exception
        values.add(it.nextValue());
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("could not be parsed as JSON" + (e.getLocation() != null
          ? " (near line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""));
    }
    List<NamedConfig> configs = new ArrayList<>();
    if (values.size() == 1 && values.get(0).isObject() && !isLine(values.get(0))) {
      for (Iterator<Map.Entry<String, JsonNode>> it = values.get(0).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        configs.add(NamedConfig.of(e.getKey(), JsonValues.toMap(e.getValue())));
      }
      return configs;
    }
    for (JsonNode node : values) {
      if (!isLine(node)) {
        throw new IllegalArgumentException("must be one JSON object of alias to config, or lines of "
            + "{\"alias\": ..., \"config\": {...}}");
      }
      configs.add(NamedConfig.of(node.get("alias").asText(), JsonValues.toMap(node.get("config"))));
    }
    return configs;
  }

  private static boolean isLine(JsonNode node) {
    return node.isObject() && node.size() == 2 && node.path("alias").isTextual() && node.path("config").isObject();
  }

  private record Row(String alias, String address, String state, String version, String latency, String error) {
    String[] cells() {
      return new String[] {alias, address, state, version, latency, error};
    }
  }
}
