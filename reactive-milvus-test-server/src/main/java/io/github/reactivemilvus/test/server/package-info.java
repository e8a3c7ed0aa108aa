/**
 * Milvus servers for tests, without Docker.
 *
 * <ul>
 *   <li>{@link io.github.reactivemilvus.test.server.MilvusLite}: a real Milvus Lite server (3.2.2 by default,
 *       2.5.1 selectable) in its own process group on a free 127.0.0.1 port with a fresh data directory,
 *       stopped with its whole process tree when closed, at JVM exit, and by a watchdog when the JVM is
 *       killed;</li>
 *   <li>{@link io.github.reactivemilvus.test.server.MilvusServers#start(MilvusLite.Options)}: that, or the
 *       external server named by {@code REACTIVE_MILVUS_TEST_URI} / {@code -Dreactivemilvus.test.uri};</li>
 *   <li>{@link io.github.reactivemilvus.test.server.PythonVenv}: the cached venv Milvus Lite is installed in,
 *       safe when several builds install at once;</li>
 *   <li>{@link io.github.reactivemilvus.test.server.ServerProcess},
 *       {@link io.github.reactivemilvus.test.server.ServerHome} and
 *       {@link io.github.reactivemilvus.test.server.FreePorts}: the process, directory and port handling Milvus
 *       Lite runs on, for tests that start another server with the same guarantees.</li>
 * </ul>
 *
 * <p>Types and members are non-null unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.github.reactivemilvus.test.server;

import org.jspecify.annotations.NullMarked;
