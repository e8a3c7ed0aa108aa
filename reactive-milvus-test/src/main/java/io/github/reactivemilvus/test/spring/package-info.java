/**
 * Spring Boot support: {@link io.github.reactivemilvus.test.spring.AutoConfigureMilvusLite} and
 * {@link io.github.reactivemilvus.test.spring.MilvusLiteConnectionDetails} (Milvus Lite as a service connection),
 * {@link io.github.reactivemilvus.test.spring.MilvusContainerConnectionDetailsFactory} ({@code @ServiceConnection}
 * for Testcontainers' MilvusContainer). Needs the starter and spring-test on the test class path.
 */
package io.github.reactivemilvus.test.spring;
