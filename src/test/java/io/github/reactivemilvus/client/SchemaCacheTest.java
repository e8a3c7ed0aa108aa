package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.FailureKind;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.proto.DescribeCollectionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** When the schema cache describes a collection again and retries a call, decided by codes and collection ids. */
class SchemaCacheTest {
  private final AtomicLong serverId = new AtomicLong(1);
  private final AtomicInteger describes = new AtomicInteger();
  private final SchemaCache cache = new SchemaCache(name -> Mono.fromCallable(() -> {
    describes.incrementAndGet();
    return DescribeCollectionResponse.newBuilder().setCollectionID(serverId.get())
        .setSchema(Schema.builder().field(Field.int64("id").primaryKey()).field(Field.floatVector("v", 4)).build().toProto(name))
        .build();
  }));

  private static MilvusConnectionException status(int code) {
    return new MilvusConnectionException(FailureKind.SERVER_STATUS, "a", null, "code " + code, null, code, null);
  }

  @Test
  void aCallFailingOnAReCreatedCollectionIsRetriedOnceWithItsNewSchema() {
    List<Long> seen = new ArrayList<>();
    StepVerifier.create(cache.withSchema("c", e -> {
      seen.add(e.collectionId());
      if (seen.size() == 1) {
        serverId.set(2); // dropped and re-created elsewhere meanwhile
        return Mono.error(status(100));
      }
      return Mono.just("ok");
    })).expectNext("ok").verifyComplete();
    assertThat(seen).containsExactly(1L, 2L);
    assertThat(describes).hasValue(2);
  }

  @Test
  void theSameCollectionKeepsTheFirstError() {
    AtomicInteger calls = new AtomicInteger();
    StepVerifier.create(cache.withSchema("c", e -> {
      calls.incrementAndGet();
      return Mono.error(new RowConversionException(0, "v", "float[] of 4", "3 elements for dim 4"));
    })).expectError(RowConversionException.class).verify();
    assertThat(calls).hasValue(1);
    assertThat(describes).hasValue(2);
  }

  @Test
  void otherCodesAreNotRetriedNorDescribedAgain() {
    AtomicInteger calls = new AtomicInteger();
    serverId.set(1);
    StepVerifier.create(cache.withSchema("c", e -> {
      calls.incrementAndGet();
      serverId.set(3);
      return Mono.error(status(101)); // collection not loaded: no schema question
    })).expectErrorSatisfies(e -> assertThat(((MilvusConnectionException) e).serverCode()).isEqualTo(101)).verify();
    assertThat(calls).hasValue(1);
    assertThat(describes).hasValue(1);
    assertThat(SchemaCache.mayBeStale(status(1100))).isTrue();
    assertThat(SchemaCache.mayBeStale(status(65535))).isFalse();
    // a transport failure is never a schema question, whatever code it carries
    assertThat(SchemaCache.mayBeStale(new MilvusConnectionException(FailureKind.UNREACHABLE, "a", null, null, null, 100, null)))
        .isFalse();
  }
}
