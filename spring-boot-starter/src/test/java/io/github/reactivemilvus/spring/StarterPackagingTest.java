package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.config.ConnectionConfig;
import io.github.reactivemilvus.ReactiveConnections;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;
import io.netty.util.Version;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the starter ships and runs on. The configuration metadata IDEs read (generated into {@code META-INF/spring-configuration-metadata.json}
 * from {@link MilvusProperties} and the hand-written connection keys) covers every key the library
 * accepts, and the README documents every property. With Spring Boot's dependency management
 * imported, the classpath runs the Netty and Reactor the library is built and tested with.
 */
class StarterPackagingTest {
  private static final Map<String, JsonNode> properties = new LinkedHashMap<>();

  @BeforeAll
  static void readMetadata() throws IOException {
    try (InputStream in = StarterPackagingTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated metadata on the classpath").isNotNull();
      for (JsonNode p : JsonMapper.builder().build().readTree(in).get("properties")) {
        properties.put(p.get("name").asString(), p);
      }
    }
  }

  @Test
  void everyLibraryKeyHasAnEntryWithADescriptionAndADefault() {
    for (String key : ConnectionConfig.keys()) {
      String name = "milvus.connections.default." + ConnectionProperties.propertyKey(key);
      assertThat(properties).as(name).containsKey(name);
      JsonNode p = properties.get(name);
      assertThat(p.path("description").asString()).as(name + " description").isNotBlank();
      assertThat(p.has("defaultValue") || p.path("description").asString().contains("Default: "))
          .as(name + " has a default value or says what applies without one").isTrue();
    }
  }

  @Test
  void theMetadataListsNoKeyTheLibraryDoesNotAccept() {
    List<String> accepted = ConnectionProperties.propertyKeys();
    assertThat(properties.keySet()).filteredOn(n -> n.startsWith("milvus.connections.default."))
        .allSatisfy(n -> assertThat(accepted).contains(n.substring("milvus.connections.default.".length())));
  }

  @Test
  void registryAndHealthPropertiesHaveDescriptionsAndDefaults() {
    assertThat(DurationStyle.detectAndParse(properties.get("milvus.registry.grace-period").path("defaultValue").asString()))
        .isEqualTo(ReactiveConnections.DEFAULT_GRACE_PERIOD);
    assertThat(properties.get("milvus.registry.share-event-loops").path("defaultValue").asBoolean()).isTrue();
    assertThat(properties.get("milvus.registry.connect-on-startup").path("defaultValue").asBoolean()).isFalse();
    assertThat(properties.get("milvus.health.timeout").path("defaultValue").asString()).isEqualTo("2s");
    assertThat(properties.values()).allSatisfy(p -> assertThat(p.path("description").asString()).isNotBlank());
  }

  @Test
  void theReadmeDocumentsEveryProperty() throws IOException {
    String readme = Files.readString(Path.of(System.getProperty("starter.basedir", "."), "README.md"));
    for (String name : properties.keySet()) {
      String shown = name.startsWith("milvus.connections.default.") ? name.substring("milvus.connections.default.".length()) : name;
      assertThat(readme).as("README documents " + name).contains("`" + shown + "`");
    }
  }

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
