package io.github.reactivemilvus.spring.problems;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.Query;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** A WebFlux service with no error handling of its own: Milvus failures reach the starter's handler. */
@SpringBootApplication
public class ProblemsApplication {

  /** Endpoints that pass Milvus failures through. */
  @RestController
  static class Endpoints {
    private final ReactiveConnections registry;
    private final MilvusClient milvus;

    Endpoints(ReactiveConnections registry, MilvusClient milvus) {
      this.registry = registry;
      this.milvus = milvus;
    }

    @PutMapping("/collections/{name}")
    Mono<Void> create(@PathVariable String name) {
      return milvus.createCollection(name, 4, "L2");
    }

    @GetMapping("/collections/{name}/rows")
    Mono<List<Map<String, Object>>> rows(@PathVariable String name, @RequestParam String filter) {
      return milvus.query(Query.builder(name).filter(filter).build());
    }

    @GetMapping("/offline")
    Mono<String> offline(@RequestParam int port) {
      return registry.addConnection("offline-" + port, Map.of("uri", "http://127.0.0.1:" + port, "timeout", 1,
          "password", "s3cret-pw", "user", "svc")).then(registry.stub("offline-" + port).getVersion());
    }
  }
}
