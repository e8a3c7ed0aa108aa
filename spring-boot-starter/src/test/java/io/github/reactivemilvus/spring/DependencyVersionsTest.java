package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import org.junit.jupiter.api.Test;

/**
 * The starter's classpath, with Spring Boot's dependency management imported, runs the Netty the
 * library is built and tested with, one version for every Netty artifact.
 */
class DependencyVersionsTest {

  @Test
  void everyNettyArtifactIsTheLibrarysVersion() {
    assertThat(Version.identify().values()).isNotEmpty()
        .allSatisfy(v -> assertThat(v.artifactVersion()).as(v.artifactId()).isEqualTo("4.2.18.Final"));
  }

  @Test
  void reactorIsTheLibrarysVersion() {
    assertThat(reactor.core.publisher.Flux.class.getPackage().getImplementationVersion()).isEqualTo("3.8.7");
  }
}
