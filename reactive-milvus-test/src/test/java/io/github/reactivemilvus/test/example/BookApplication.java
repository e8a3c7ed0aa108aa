package io.github.reactivemilvus.test.example;

import io.github.reactivemilvus.client.ConsistencyLevel;
import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.client.Search;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The service of the README's testing example: books with a 4-dimensional embedding, found by similarity,
 * on the starter's auto-configured {@link MilvusClient}.
 */
@SpringBootApplication
public class BookApplication {

  /** A book as the API takes it. */
  public record Book(long id, String title, List<Float> embedding) {
  }

  /** A search hit: the book's id and title and its similarity. */
  public record Found(Object id, Object title, float score) {
  }

  /** The endpoints. */
  @RestController
  static class Books {
    private final MilvusClient milvus;
    private final String collection;

    Books(MilvusClient milvus, @Value("${books.collection:books}") String collection) {
      this.milvus = milvus;
      this.collection = collection;
    }

    @PutMapping("/books")
    Mono<Void> create() {
      return milvus.hasCollection(collection)
          .flatMap(exists -> exists ? Mono.<Void>empty() : milvus.createCollection(collection, 4, "COSINE"));
    }

    @PostMapping("/books")
    Mono<Long> add(@RequestBody List<Book> books) {
      Flux<Map<String, Object>> rows = Flux.fromIterable(books)
          .map(b -> Map.<String, Object>of("id", b.id(), "title", b.title(), "vector", b.embedding()));
      return milvus.insert(collection, rows).map(r -> r.insertCount()).reduce(0L, Long::sum);
    }

    @GetMapping("/books/similar")
    Flux<Found> similar(@RequestParam List<Float> to, @RequestParam(defaultValue = "3") int limit) {
      Search search = Search.builder(collection).vector(to).limit(limit).outputFields("title")
          .consistency(ConsistencyLevel.STRONG).build();
      return milvus.search(search).flatMapIterable(results -> results.get(0))
          .map(hit -> new Found(hit.id(), hit.fields().get("title"), hit.score()));
    }
  }
}
