package io.github.reactivemilvus.test.spring;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registers the {@link MilvusLiteConnectionDetails} bean of a test class annotated with
 * {@link AutoConfigureMilvusLite} (found by Spring's test framework through {@code META-INF/spring.factories}).
 */
public final class MilvusLiteContextCustomizerFactory implements ContextCustomizerFactory {

  @Override
  public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
    AutoConfigureMilvusLite annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, AutoConfigureMilvusLite.class);
    return annotation == null ? null : new Customizer(annotation);
  }

  /** Equal for equal annotations, so Spring's context cache shares the context between such classes. */
  private static final class Customizer implements ContextCustomizer {
    private final AutoConfigureMilvusLite annotation;

    Customizer(AutoConfigureMilvusLite annotation) {
      this.annotation = annotation;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
      context.getBeanFactory().registerSingleton("milvusLiteConnectionDetails." + annotation.alias(),
          MilvusLiteConnectionDetails.shared(annotation.lite(), annotation.alias()));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Customizer c && c.annotation.lite() == annotation.lite() && c.annotation.alias().equals(annotation.alias());
    }

    @Override
    public int hashCode() {
      return Objects.hash(annotation.lite(), annotation.alias());
    }
  }
}
