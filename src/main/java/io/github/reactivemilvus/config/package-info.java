/**
 * Connection configs and their resolution: {@link io.github.reactivemilvus.config.ConnectionConfig}
 * (typed builder or pymilvus-style map keys), {@link io.github.reactivemilvus.config.NamedConfig},
 * the secret-free view {@link io.github.reactivemilvus.config.ConnectionInfo}, and
 * {@link io.github.reactivemilvus.config.ConnectionConfigException} listing every
 * {@link io.github.reactivemilvus.config.ConfigProblem} of a config at once.
 *
 * <p>Resolution is pure: it checks that certificate files exist and are readable but never reads
 * them, never touches DNS and knows nothing of gRPC or Netty. Only the public types are API.
 *
 * <p>Every accepted key is declared once, as a {@link io.github.reactivemilvus.config.Setting} of
 * the catalogue {@link io.github.reactivemilvus.config.Setting#all()}.
 *
 * <p>Nullness: types are non-null unless annotated {@code @Nullable} (JSpecify {@code @NullMarked}).
 */
@NullMarked
package io.github.reactivemilvus.config;

import org.jspecify.annotations.NullMarked;
