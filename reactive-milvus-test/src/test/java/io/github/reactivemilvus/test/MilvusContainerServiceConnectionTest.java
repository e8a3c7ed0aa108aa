package io.github.reactivemilvus.test;

import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.test.example.BookApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.milvus.MilvusContainer;
import reactor.test.StepVerifier;

/**
 * {@code @ServiceConnection} on Testcontainers' {@code MilvusContainer}: the {@code default} alias is the
 * container. Needs Docker; skipped, with that reason, where there is none.
 */
@EnabledIf(value = "dockerIsAvailable", disabledReason = "Docker is not available here: the MilvusContainer service"
    + " connection is tested where Docker runs (Milvus Lite needs none: see BookApplicationTest)")
@SpringBootTest(classes = BookApplication.class)
class MilvusContainerServiceConnectionTest {

  @ServiceConnection
  static final MilvusContainer MILVUS = new MilvusContainer("milvusdb/milvus:v2.5.14");

  static boolean dockerIsAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @BeforeAll
  static void start() {
    MILVUS.start();
  }

  @AfterAll
  static void stop() {
    MILVUS.stop();
  }

  @Autowired
  ReactiveConnections registry;

  @Test
  void theDefaultAliasIsTheContainer() {
    StepVerifier.create(registry.stub("default").getVersion())
        .expectNextMatches(version -> version.startsWith("v2.5"))
        .verifyComplete();
  }
}
