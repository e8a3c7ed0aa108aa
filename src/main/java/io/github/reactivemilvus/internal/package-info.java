/**
 * Channel plumbing of the registry: event loops, channel building and the TLS probe, shared
 * reference-counted channel groups, the per-alias channel with its headers, deadlines and call
 * limits, and the bridge from grpc-java calls to {@code Mono}.
 *
 * <p><b>Not API.</b> These types are public only so that the registry's package can use them; they
 * may change or disappear in any release. Use {@link io.github.reactivemilvus.ReactiveConnections}.
 */
@NullMarked
package io.github.reactivemilvus.internal;

import org.jspecify.annotations.NullMarked;
