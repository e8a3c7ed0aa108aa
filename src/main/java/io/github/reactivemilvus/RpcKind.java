package io.github.reactivemilvus;

import io.github.reactivemilvus.config.RetryPolicy;

/**
 * Whether an RPC may be repeated safely, which decides its retries (see {@link MilvusRpcs}).
 */
public enum RpcKind {
  /**
   * Reads and other calls without effects: retried with the alias's {@link RetryPolicy} on gRPC
   * {@code UNAVAILABLE} and on Milvus rate limiting (code 8 / legacy error_code 49).
   */
  READ,
  /**
   * Calls that change state: retried on the same failures only when the alias's policy has
   * {@code retryWrites}, since a lost answer may hide an applied write.
   */
  WRITE
}
