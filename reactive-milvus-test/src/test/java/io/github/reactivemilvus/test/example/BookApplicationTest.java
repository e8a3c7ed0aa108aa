package io.github.reactivemilvus.test.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.client.MilvusClient;
import io.github.reactivemilvus.test.example.BookApplication.Book;
import io.github.reactivemilvus.test.example.BookApplication.Found;
import io.github.reactivemilvus.test.spring.AutoConfigureMilvusLite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/**
 * The README's example: a {@code @SpringBootTest} of a WebFlux service against a real Milvus Lite, connected
 * through {@code @AutoConfigureMilvusLite} (no {@code @DynamicPropertySource}), driven over HTTP with
 * WebTestClient and checked in Milvus with StepVerifier.
 */
@SpringBootTest(classes = BookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "books.collection=books_example")
@AutoConfigureMilvusLite
class BookApplicationTest {

  @LocalServerPort
  int port;

  @Autowired
  MilvusClient milvus;

  @AfterEach
  void dropBooks() {
    milvus.dropCollection("books_example").onErrorComplete().block(Duration.ofSeconds(30));
  }

  @Test
  void booksPostedOverHttpAreStoredInMilvusAndFoundBySimilarity() {
    WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
        .responseTimeout(Duration.ofSeconds(30)).build();

    http.put().uri("/books").exchange().expectStatus().isOk();
    http.post().uri("/books")
        .bodyValue(List.of(new Book(1, "Dune", List.of(1f, 0f, 0f, 0f)),
            new Book(2, "Emma", List.of(0f, 1f, 0f, 0f)),
            new Book(3, "Dune Messiah", List.of(0.9f, 0.1f, 0f, 0f))))
        .exchange().expectStatus().isOk().expectBody(Long.class).isEqualTo(3L);

    http.get().uri("/books/similar?to=1,0,0,0&limit=2").exchange()
        .expectStatus().isOk()
        .expectBodyList(Found.class)
        .value(found -> assertThat(found).extracting(Found::title).containsExactly("Dune", "Dune Messiah"));

    // the same data, read straight from Milvus with the auto-configured client
    StepVerifier.create(milvus.get("books_example", List.of(2L), "title"))
        .assertNext(rows -> assertThat(rows).singleElement().satisfies(row -> assertThat(row).containsEntry("title", "Emma")))
        .verifyComplete();
  }
}
