package io.github.reactivemilvus.spring.example;

import io.github.reactivemilvus.ReactiveConnections;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A WebFlux service on the auto-configured registry: {@code GET /version} and
 * {@code GET /collections} of an alias ({@code ?alias=}, default {@code default}). Configure it
 * with {@code application.yaml} as shown in the starter's README; run it with
 * {@code SpringApplication.run(WebfluxSearchApplication.class, args)}.
 */
@SpringBootApplication
public class WebfluxSearchApplication {

  public static void main(String[] args) {
    SpringApplication.run(WebfluxSearchApplication.class, args);
  }

  /** The endpoints; every call is a non-blocking Milvus RPC on the alias's channel. */
  @RestController
  static class MilvusController {
    private final ReactiveConnections milvus;

    MilvusController(ReactiveConnections milvus) {
      this.milvus = milvus;
    }

    @GetMapping("/version")
    Mono<String> version(@RequestParam(defaultValue = ReactiveConnections.DEFAULT_ALIAS) String alias) {
      return milvus.stub(alias).getVersion();
    }

    @GetMapping("/collections")
    Mono<List<String>> collections(@RequestParam(defaultValue = ReactiveConnections.DEFAULT_ALIAS) String alias) {
      return milvus.stub(alias).showCollections();
    }
  }
}
