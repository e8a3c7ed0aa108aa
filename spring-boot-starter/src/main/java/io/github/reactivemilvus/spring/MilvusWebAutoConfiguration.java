package io.github.reactivemilvus.spring;

import io.github.reactivemilvus.MilvusConnectionException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;

/**
 * Registers {@link MilvusProblemDetails} (Milvus failures as RFC 9457 problem details) in a
 * reactive web application when {@code milvus.web.problem-details.enabled=true}. Off by default:
 * a service that maps the failures itself keeps its own handler.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ProblemDetail.class, MilvusConnectionException.class})
@ConditionalOnProperty(prefix = "milvus.web.problem-details", name = "enabled", havingValue = "true")
public class MilvusWebAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  MilvusProblemDetails milvusProblemDetails() {
    return new MilvusProblemDetails();
  }
}
