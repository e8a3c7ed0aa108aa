/**
 * Test harness with real servers, used by the integration tests.
 *
 * <ul>
 *   <li>{@link io.github.reactivemilvus.testing.MilvusLiteExtension} /
 *       {@link io.github.reactivemilvus.testing.MilvusLiteServer}: real Milvus Lite 3.2.2 (no auth,
 *       no TLS), one server shared by all test classes, injectable as a parameter; the process is the
 *       published test artifact's {@code io.github.reactivemilvus.test.server.MilvusLite}
 *       (reactive-milvus-test-server), run from the project's venv;</li>
 *   <li>{@link io.github.reactivemilvus.testing.MilvusLite25Extension} /
 *       {@link io.github.reactivemilvus.testing.MilvusLite25Server}: real Milvus Lite 2.5.1 (the C++ engine),
 *       the same artifact's {@code MilvusLite} started with {@code LiteVersion.V2_5_1};</li>
 *   <li>{@link io.github.reactivemilvus.testing.MilvusStandaloneExtension} /
 *       {@link io.github.reactivemilvus.testing.MilvusStandaloneServer}: real Milvus 2.3.5 standalone
 *       with authorization (root / Milvus), its process in the artifact's
 *       {@code io.github.reactivemilvus.test.server.ServerHome};</li>
 *   <li>{@link io.github.reactivemilvus.testing.FaultServer}: programmable grpc-java server (delays,
 *       failures, Milvus error statuses, hangs, auth, TLS / mutual TLS, header capture);</li>
 *   <li>{@link io.github.reactivemilvus.testing.TestCertificates},
 *       {@link io.github.reactivemilvus.testing.HttpPortServer},
 *       {@link io.github.reactivemilvus.test.server.FreePorts} (the artifact's),
 *       {@link io.github.reactivemilvus.testing.LeakCheck}.</li>
 * </ul>
 *
 * <p>The Python servers live in a venv ({@code -Dmilvus.venv}, default {@code target/venv}) that
 * {@code scripts/install-test-servers.sh} creates; {@link io.github.reactivemilvus.testing.TestVenv}
 * runs it on first use, so a clean clone needs no manual step. Every server listens on 127.0.0.1
 * (Milvus standalone: all interfaces, see its Javadoc), on a free port, with a fresh data
 * directory, and is stopped with its whole process group when the test run ends.
 */
package io.github.reactivemilvus.testing;
