/**
 * Non-blocking, Reactor-based connections to Milvus and Zilliz Cloud over gRPC.
 *
 * <p>Start with {@link io.github.reactivemilvus.ReactiveConnections}: register configs
 * ({@link io.github.reactivemilvus.config.ConnectionConfig}, {@link io.github.reactivemilvus.config.NamedConfig}),
 * then take {@link io.github.reactivemilvus.ReactiveConnections#channel(String) channels} or
 * {@link io.github.reactivemilvus.MilvusStub stubs} by alias. Failures are
 * {@link io.github.reactivemilvus.config.ConnectionConfigException} (invalid configs, raised when they are
 * built or added) and {@link io.github.reactivemilvus.MilvusConnectionException} (connects and
 * calls, classified by {@link io.github.reactivemilvus.FailureKind}).
 *
 * <p>Nullness: the package is {@code @NullMarked} (JSpecify); what may be null is annotated
 * {@code @Nullable}.
 *
 * <p>Only the public types of this package are API; everything package-private may change. The
 * generated protocol classes live in {@code io.github.reactivemilvus.proto}.
 */
@NullMarked
package io.github.reactivemilvus;

import org.jspecify.annotations.NullMarked;
