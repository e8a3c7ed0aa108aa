package io.github.reactivemilvus.test.spring;

import io.github.reactivemilvus.test.server.LiteVersion;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @SpringBootTest} class: the application's Milvus alias ({@code default} unless {@link #alias()}
 * says otherwise) connects to a Milvus Lite server started for the tests (or the external server named by
 * {@code REACTIVE_MILVUS_TEST_URI}), registered as a {@code MilvusConnectionDetails} bean, Spring Boot's service
 * connection: no {@code @DynamicPropertySource}, no {@code milvus.connections.default.uri}. The server is the
 * JVM's shared one ({@code SharedMilvus}), so Spring's cached contexts stay valid across test classes; it stops
 * when the JVM exits.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureMilvusLite
 * class BookServiceTest { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureMilvusLite {

  /** The Milvus Lite release. */
  LiteVersion lite() default LiteVersion.V3_2_2;

  /** The alias whose uri (and token) the server replaces. */
  String alias() default "default";
}
