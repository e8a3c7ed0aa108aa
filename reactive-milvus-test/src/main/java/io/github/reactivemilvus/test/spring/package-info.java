/**
 * Spring Boot support: {@link io.github.reactivemilvus.test.spring.AutoConfigureMilvusLite} and
 * {@link io.github.reactivemilvus.test.spring.MilvusLiteConnectionDetails} (Milvus Lite as a service connection),
 * {@link io.github.reactivemilvus.test.spring.MilvusContainerConnectionDetailsFactory} ({@code @ServiceConnection}
 * for Testcontainers' MilvusContainer). Needs the starter and spring-test on the test class path.
 *
 * <p>Types and members are non-null unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.github.reactivemilvus.test.spring;

import org.jspecify.annotations.NullMarked;
