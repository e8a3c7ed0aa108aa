package io.github.reactivemilvus.client;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a typed operation with the MilvusService RPCs it makes and the {@code MilvusClientV2} methods it
 * stands for; the coverage table of docs/coverage.md is generated from these marks.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Rpc {
  /** RPC names, for example {@code GetCollectionStatistics}. */
  String[] value();

  /** The milvus-sdk-java {@code MilvusClientV2} methods (v2.6) this operation covers. */
  String[] sdk() default {};
}
