package io.github.reactivemilvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read/write table covers exactly the unary methods of the generated MilvusService. */
class MilvusRpcsTableTest {

  @Test
  void everyUnaryMilvusMethodIsClassified() {
    List<String> missing = new ArrayList<>();
    for (MethodDescriptor<?, ?> m : MilvusServiceGrpc.getServiceDescriptor().getMethods()) {
      if (m.getType() == MethodDescriptor.MethodType.UNARY && MilvusRpcs.kindOf(m.getFullMethodName()).isEmpty()) {
        missing.add(m.getFullMethodName());
      }
    }
    assertThat(missing).as("unary methods without a read/write entry").isEmpty();
  }

  @Test
  void streamingMethodsAreNotClassified() {
    List<String> streaming = new ArrayList<>();
    for (MethodDescriptor<?, ?> m : MilvusServiceGrpc.getServiceDescriptor().getMethods()) {
      if (m.getType() != MethodDescriptor.MethodType.UNARY) {
        streaming.add(m.getFullMethodName());
        assertThat(MilvusRpcs.kindOf(m.getFullMethodName())).isEmpty();
      }
    }
    assertThat(streaming).containsExactlyInAnyOrder(
        MilvusRpcs.SERVICE + "/CreateReplicateStream", MilvusRpcs.SERVICE + "/DumpMessages");
  }

  @Test
  void everyEntryNamesAnExistingMethod() {
    List<String> methods = new ArrayList<>();
    MilvusServiceGrpc.getServiceDescriptor().getMethods().forEach(m -> methods.add(m.getFullMethodName()));
    assertThat(methods).containsAll(MilvusRpcs.all().keySet());
    assertThat(MilvusRpcs.all()).hasSizeGreaterThan(100);
  }

  @Test
  void searchesAndQueriesAreReadsAndDataChangesAreWrites() {
    assertThat(MilvusRpcs.kindOf(MilvusServiceGrpc.getSearchMethod().getFullMethodName())).contains(RpcKind.READ);
    assertThat(MilvusRpcs.kindOf(MilvusServiceGrpc.getQueryMethod().getFullMethodName())).contains(RpcKind.READ);
    assertThat(MilvusRpcs.kindOf(MilvusServiceGrpc.getHybridSearchMethod().getFullMethodName())).contains(RpcKind.READ);
    assertThat(MilvusRpcs.kindOf(MilvusServiceGrpc.getInsertMethod().getFullMethodName())).contains(RpcKind.WRITE);
    assertThat(MilvusRpcs.kindOf(MilvusServiceGrpc.getDeleteMethod().getFullMethodName())).contains(RpcKind.WRITE);
    assertThat(MilvusRpcs.kindOf(MilvusServiceGrpc.getUpsertMethod().getFullMethodName())).contains(RpcKind.WRITE);
    assertThat(MilvusRpcs.kindOf(MilvusServiceGrpc.getCreateCollectionMethod().getFullMethodName())).contains(RpcKind.WRITE);
    assertThat(MilvusRpcs.kindOf("my.Service/Method")).isEmpty();
  }
}
