/**
 * Connection configs and their resolution: {@link io.github.reactivemilvus.config.ConnectionConfig}
 * (typed builder or pymilvus-style map keys), {@link io.github.reactivemilvus.config.NamedConfig},
 * the secret-free view {@link io.github.reactivemilvus.config.ConnectionInfo}, and
 * {@link io.github.reactivemilvus.config.ConnectionConfigException} listing every
 * {@link io.github.reactivemilvus.config.ConfigProblem} of a config at once.
 *
 * <p>Resolution is pure: it checks that certificate files exist and are readable but never reads
 * them, never touches DNS and knows nothing of gRPC or Netty. Only the public types are API.
 */
package io.github.reactivemilvus.config;
