package io.github.reactivemilvus.spring.example;

import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.ConsistencyLevel;
import io.github.reactivemilvus.client.DataType;
import io.github.reactivemilvus.client.Field;
import io.github.reactivemilvus.client.Hit;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.Search;
import io.github.reactivemilvus.client.WriteResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A WebFlux service on the auto-configured registry and the {@code default} alias's
 * {@link MilvusClient}. Configure it with {@code application.yaml} as shown in the starter's
 * README; run it with {@code SpringApplication.run(WebfluxSearchApplication.class, args)}.
 *
 * <ul>
 *   <li>{@code GET /version}, {@code GET /collections}: of an alias ({@code ?alias=}, default
 *       {@code default});
 *   <li>{@code PUT /collections/{name}?dim=&metric=}: the client's quick collection form (Int64
 *       {@code id}, FloatVector {@code vector}, dynamic field, AUTOINDEX, loaded), 201 when
 *       created, 200 when it already exists;
 *   <li>{@code DELETE /collections/{name}}: drops it, 204;
 *   <li>{@code POST /collections/{name}/rows}: a JSON array (or NDJSON stream) of rows, streamed
 *       into Milvus in batches without holding the body; answers one {@link WriteResult} per batch;
 *   <li>{@code POST /collections/{name}/rows/generate?count=&first-id=&seed=}: {@code count} rows
 *       of random vectors (components in [-1, 1), reproducible by seed), ids from
 *       {@code first-id}, generated as Milvus asks for them; answers a {@link Generated} summary;
 *   <li>{@code GET /collections/{name}/search?vector=0.1,0.2,...&limit=} and
 *       {@code POST /collections/{name}/search} with a {@link SearchRequest}: the top-k hits,
 *       best first.
 * </ul>
 *
 * <p>Every endpoint is a cold, non-blocking Milvus call per request, cancelled with the request.
 * Errors answer as RFC 9457 problem details: 400 for a request Milvus or the client refuses (a row
 * that does not fit the schema, a vector of the wrong dimension), 404 for an unknown collection or
 * alias, 503 when Milvus cannot be reached; the detail never names the server's address.
 */
@SpringBootApplication
public class WebfluxSearchApplication {
  /** Milvus's status code for a collection that does not exist. */
  private static final int COLLECTION_NOT_FOUND = 100;
  /** Bound on the rows one generate request writes. */
  static final int MAX_GENERATED_ROWS = 1_000_000;

  public static void main(String[] args) {
    SpringApplication.run(WebfluxSearchApplication.class, args);
  }

  /** A search: {@code vector} is required; {@code limit} defaults to 10, the consistency to the collection's. */
  public record SearchRequest(float[] vector, Integer limit, String filter, List<String> outputFields,
      ConsistencyLevel consistency) {
  }

  /** What a generate request wrote: rows the server counted, batches, and the ids used. */
  public record Generated(String collection, long inserted, long batches, long firstId, long lastId) {
  }

  /** The endpoints; every call is a non-blocking Milvus RPC on the alias's channel. */
  @RestController
  static class MilvusController {
    private final ReactiveConnections registry;
    private final MilvusClient milvus;

    MilvusController(ReactiveConnections registry, MilvusClient milvus) {
      this.registry = registry;
      this.milvus = milvus;
    }

    @GetMapping("/version")
    Mono<String> version(@RequestParam(defaultValue = ReactiveConnections.DEFAULT_ALIAS) String alias) {
      return registry.stub(alias).getVersion();
    }

    @GetMapping("/collections")
    Mono<List<String>> collections(@RequestParam(defaultValue = ReactiveConnections.DEFAULT_ALIAS) String alias) {
      return registry.stub(alias).showCollections();
    }

    @PutMapping("/collections/{name}")
    Mono<ResponseEntity<Void>> create(@PathVariable String name, @RequestParam int dim,
        @RequestParam(defaultValue = "COSINE") String metric) {
      if (dim < 1 || dim > 32_768) {
        throw new IllegalArgumentException("dim must be 1-32768, was " + dim);
      }
      return milvus.hasCollection(name).flatMap(exists -> exists
          ? Mono.just(ResponseEntity.ok().<Void>build())
          : milvus.createCollection(name, dim, metric).thenReturn(ResponseEntity.status(HttpStatus.CREATED).<Void>build()));
    }

    @DeleteMapping("/collections/{name}")
    Mono<ResponseEntity<Void>> drop(@PathVariable String name) {
      return milvus.dropCollection(name).thenReturn(ResponseEntity.noContent().<Void>build());
    }

    @PostMapping(path = "/collections/{name}/rows",
        consumes = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
    Flux<WriteResult> insert(@PathVariable String name, @RequestBody Flux<Map<String, Object>> rows) {
      return milvus.insert(name, rows);
    }

    @PostMapping("/collections/{name}/rows/generate")
    Mono<Generated> generate(@PathVariable String name, @RequestParam int count,
        @RequestParam(name = "first-id", defaultValue = "0") long firstId,
        @RequestParam(defaultValue = "42") long seed) {
      if (count < 1 || count > MAX_GENERATED_ROWS) {
        throw new IllegalArgumentException("count must be 1-" + MAX_GENERATED_ROWS + ", was " + count);
      }
      return milvus.describeCollection(name).flatMap(description -> {
        Field vector = description.schema().fields().stream()
            .filter(f -> f.dataType() == DataType.FloatVector).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("collection '" + name + "' has no FloatVector field"));
        Field key = description.schema().primaryKey();
        if (key.dataType() != DataType.Int64) {
          throw new IllegalArgumentException("generate needs an Int64 primary key, '" + key.name() + "' is " + key.dataType());
        }
        int dim = Integer.parseInt(vector.typeParams().get("dim"));
        return milvus.insert(name, randomRows(key, vector.name(), dim, count, firstId, seed))
            .reduceWith(() -> new long[2], (sum, batch) -> {
              sum[0] += batch.insertCount();
              sum[1]++;
              return sum;
            })
            .map(sum -> new Generated(name, sum[0], sum[1], firstId, firstId + count - 1));
      });
    }

    /** Rows made one at a time as the insert pulls them: a million rows never sit in memory. */
    private static Flux<Map<String, Object>> randomRows(Field key, String vectorField, int dim, int count,
        long firstId, long seed) {
      return Flux.defer(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        return Flux.range(0, count).map(i -> {
          float[] v = new float[dim];
          for (int d = 0; d < dim; d++) {
            v[d] = (float) random.nextDouble(-1, 1);
          }
          Map<String, Object> row = new LinkedHashMap<>();
          if (!key.isAutoId()) {
            row.put(key.name(), firstId + i);
          }
          row.put(vectorField, v);
          return row;
        });
      });
    }

    @GetMapping("/collections/{name}/search")
    Mono<List<Hit>> search(@PathVariable String name, @RequestParam float[] vector,
        @RequestParam(defaultValue = "10") int limit, @RequestParam(required = false) String filter,
        @RequestParam(name = "output-fields", required = false) List<String> outputFields,
        @RequestParam(required = false) ConsistencyLevel consistency) {
      return search(name, new SearchRequest(vector, limit, filter, outputFields, consistency));
    }

    @PostMapping(path = "/collections/{name}/search", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<List<Hit>> search(@PathVariable String name, @RequestBody SearchRequest request) {
      if (request.vector() == null || request.vector().length == 0) {
        throw new IllegalArgumentException("a search needs a non-empty 'vector'");
      }
      Search.Builder search = Search.builder(name).vector(request.vector())
          .limit(request.limit() == null ? 10 : request.limit());
      if (request.filter() != null) {
        search.filter(request.filter());
      }
      if (request.outputFields() != null) {
        search.outputFields(request.outputFields().toArray(String[]::new));
      }
      if (request.consistency() != null) {
        search.consistency(request.consistency());
      }
      return milvus.search(search.build()).map(perVector -> perVector.get(0));
    }

    /** Bad input from the caller, including a row that does not fit the schema. */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> badRequest(IllegalArgumentException e) {
      return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** The kind decides the status; the detail leaves out the server's address. */
    @ExceptionHandler(MilvusConnectionException.class)
    ResponseEntity<ProblemDetail> milvusFailed(MilvusConnectionException e) {
      HttpStatus status = switch (e.kind()) {
        case SERVER_STATUS -> e.serverCode() == COLLECTION_NOT_FOUND ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
        case UNKNOWN_ALIAS -> HttpStatus.NOT_FOUND;
        case CLIENT -> HttpStatus.INTERNAL_SERVER_ERROR;
        default -> HttpStatus.SERVICE_UNAVAILABLE;
      };
      return problem(status, e.kind().description() + (e.detail().isEmpty() ? "" : ": " + e.detail()));
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
      return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(ProblemDetail.forStatusAndDetail(status, detail));
    }
  }
}
