/**
 * A typed reactive Milvus client per alias: {@link io.github.reactivemilvus.client.MilvusClient}
 * with schema, index, search and query builders. Rows are {@code Map<String, Object>}; every
 * operation is a cold {@code Mono} or {@code Flux} over the alias's call path
 * ({@link io.github.reactivemilvus.MilvusStub#call}); operation groups per area ({@code databases()},
 * {@code collectionAdmin()}, {@code indexes()}, {@code partitions()}, {@code rbac()}, {@code resourceGroups()},
 * {@code maintenance()}, {@code replication()}).
 */
@NullMarked
package io.github.reactivemilvus.client;

import org.jspecify.annotations.NullMarked;
