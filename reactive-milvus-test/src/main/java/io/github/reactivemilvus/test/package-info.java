/**
 * Test support for services built on reactive-milvus-connections.
 *
 * <ul>
 *   <li>{@link io.github.reactivemilvus.test.MilvusTest} / {@link io.github.reactivemilvus.test.MilvusExtension}:
 *       a real Milvus (Milvus Lite, no Docker, or an external server) for JUnit 5 tests, with the registry, the
 *       client, the URI and per-test names injected;</li>
 *   <li>{@link io.github.reactivemilvus.test.ScriptedMilvus}: a scripted Milvus for tests of error handling
 *       (queued responses, Milvus statuses, gRPC errors, delays; the requests read back with their headers);</li>
 *   <li>{@link io.github.reactivemilvus.test.spring}: Spring Boot's service connection for Milvus Lite and for
 *       Testcontainers' MilvusContainer.</li>
 * </ul>
 *
 * <p>Types and members are non-null unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.github.reactivemilvus.test;

import org.jspecify.annotations.NullMarked;
