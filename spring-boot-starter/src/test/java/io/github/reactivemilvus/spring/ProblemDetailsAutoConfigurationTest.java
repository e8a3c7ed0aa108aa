package io.github.reactivemilvus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

/** The problem-details handler is opt-in, and only for reactive web applications. */
class ProblemDetailsAutoConfigurationTest {
  private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(MilvusWebAutoConfiguration.class));

  @Test
  void offUnlessEnabled() {
    reactive.run(context -> assertThat(context).doesNotHaveBean(MilvusProblemDetails.class));
    reactive.withPropertyValues("milvus.web.problem-details.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(MilvusProblemDetails.class));
  }

  @Test
  void onWhenEnabledInAReactiveApplicationOnly() {
    reactive.withPropertyValues("milvus.web.problem-details.enabled=true")
        .run(context -> assertThat(context).hasSingleBean(MilvusProblemDetails.class));
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MilvusWebAutoConfiguration.class))
        .withPropertyValues("milvus.web.problem-details.enabled=true")
        .run(context -> assertThat(context).doesNotHaveBean(MilvusProblemDetails.class));
  }
}
