package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.MilvusObservationContext;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.FaultServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Spring Boot's {@link ObservationRegistry} (its observation auto-configuration, an
 * {@link ObservationHandler} bean as tracing or metrics would add), every Milvus call is observed
 * unless {@code milvus.observations.enabled=false}.
 * Calls go to the FaultServer (one GetVersion per context).
 */
class ObservationsAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final FaultServer SERVER = FaultServer.start();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, ReactiveMilvusAutoConfiguration.class))
      .withPropertyValues("milvus.connections.default.uri=" + SERVER.uri());

  @AfterAll
  static void stopServer() {
    SERVER.close();
  }

  /** Keeps the contexts of the observations it sees, as a tracing or meter handler would handle them. */
  @Configuration(proxyBeanMethods = false)
  static class RecordingHandlerConfiguration {
    @Bean
    RecordingHandler recordingHandler() {
      return new RecordingHandler();
    }
  }

  static final class RecordingHandler implements ObservationHandler<Observation.Context> {
    final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    @Override
    public void onStop(Observation.Context context) {
      stopped.add(context);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }

  private static List<MilvusObservationContext> milvusCalls(RecordingHandler handler) {
    return handler.stopped.stream().filter(MilvusObservationContext.class::isInstance)
        .map(MilvusObservationContext.class::cast).toList();
  }

  @Test
  void withBootsObservationRegistryEveryCallIsObservedByDefault() {
    runner.withUserConfiguration(RecordingHandlerConfiguration.class).run(context -> {
      context.getBean(ReactiveConnections.class).stub("default").getVersion().block(WAIT);

      assertThat(milvusCalls(context.getBean(RecordingHandler.class)))
          .filteredOn(call -> call.operationName().equals("GetVersion")).singleElement().satisfies(call -> {
        assertThat(call.getName()).isEqualTo("db.client.operation.duration");
        assertThat(call.operationName()).isEqualTo("GetVersion");
        assertThat(call.alias()).isEqualTo("default");
        assertThat(call.serverPort()).isEqualTo(SERVER.port());
      });
    });
  }

  @Test
  void thePropertyTurnsTheObservationsOff() {
    runner.withUserConfiguration(RecordingHandlerConfiguration.class).withPropertyValues("milvus.observations.enabled=false")
        .run(context -> {
          int before = SERVER.calls(FaultServer.Method.GET_VERSION);
          context.getBean(ReactiveConnections.class).stub("default").getVersion().block(WAIT);

          assertThat(SERVER.calls(FaultServer.Method.GET_VERSION)).isEqualTo(before + 1);
          assertThat(milvusCalls(context.getBean(RecordingHandler.class))).isEmpty();
          assertThat(context).doesNotHaveBean("milvusObservations");
        });
  }
}
