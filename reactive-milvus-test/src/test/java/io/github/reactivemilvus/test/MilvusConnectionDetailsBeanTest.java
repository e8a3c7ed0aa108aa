package io.github.reactivemilvus.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.spring.MilvusConnectionDetails;
import io.github.reactivemilvus.test.example.BookApplication;
import io.github.reactivemilvus.test.spring.MilvusLiteConnectionDetails;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import reactor.test.StepVerifier;

/**
 * The test-{@code @Bean} form of the service connection: the details replace the uri the properties give the
 * {@code default} alias (here a port where nothing listens) and keep its other keys.
 */
@SpringBootTest(classes = {BookApplication.class, MilvusConnectionDetailsBeanTest.MilvusForTests.class},
    properties = {"milvus.connections.default.uri=http://127.0.0.1:1", "milvus.connections.default.timeout=7s"})
class MilvusConnectionDetailsBeanTest {

  @TestConfiguration
  static class MilvusForTests {
    @Bean
    MilvusConnectionDetails milvus() {
      return MilvusLiteConnectionDetails.shared();
    }
  }

  @Autowired
  ReactiveConnections registry;

  @Autowired
  MilvusConnectionDetails details;

  @Test
  void theDetailsBeanReplacesThePropertiesUriAndKeepsTheirOtherKeys() {
    StepVerifier.create(registry.stub("default").getVersion()).expectNext("milvus_lite-3.2.2").verifyComplete();
    assertThat(registry.getConnectionAddr("default")).hasValueSatisfying(info -> {
      assertThat(details.getUri()).endsWith(info.host() + ":" + info.port());
      assertThat(info.timeoutMs()).isEqualTo(7_000);
    });
  }
}
