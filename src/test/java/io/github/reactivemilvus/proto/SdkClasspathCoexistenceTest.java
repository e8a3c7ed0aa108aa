package io.github.reactivemilvus.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The official SDK's generated protocol ({@code io.milvus.grpc}) and this library's
 * ({@code io.github.reactivemilvus.proto}) load side by side on one classpath and speak the same
 * wire: same proto packages, service and method names, and messages that parse each other's bytes.
 */
class SdkClasspathCoexistenceTest {

  @Test
  void bothServicesHaveTheSameMethodNames() {
    Set<String> sdk = new TreeSet<>();
    io.milvus.grpc.MilvusServiceGrpc.getServiceDescriptor().getMethods()
        .forEach(m -> sdk.add(m.getFullMethodName()));
    Set<String> ours = new TreeSet<>();
    MilvusServiceGrpc.getServiceDescriptor().getMethods().forEach(m -> ours.add(m.getFullMethodName()));
    assertThat(ours).hasSizeGreaterThan(100).isEqualTo(sdk);
    assertThat(ours).contains("milvus.proto.milvus.MilvusService/Search");
  }

  @Test
  void classesDifferButProtoNamesAreEqual() {
    assertThat(io.milvus.grpc.SearchRequest.class.getName()).isNotEqualTo(SearchRequest.class.getName());
    assertThat(SearchRequest.getDescriptor().getFullName())
        .isEqualTo(io.milvus.grpc.SearchRequest.getDescriptor().getFullName());
    assertThat(messageNames(MilvusProto.getDescriptor()))
        .isEqualTo(messageNames(io.milvus.grpc.MilvusProto.getDescriptor()));
  }

  @Test
  void anSdkRequestParsesIntoOursAndBack() throws Exception {
    io.milvus.grpc.InsertRequest sdk = io.milvus.grpc.InsertRequest.newBuilder()
        .setDbName("db1").setCollectionName("c").setNumRows(2)
        .addFieldsData(io.milvus.grpc.FieldData.newBuilder().setFieldName("id")
            .setType(io.milvus.grpc.DataType.Int64)
            .setScalars(io.milvus.grpc.ScalarField.newBuilder()
                .setLongData(io.milvus.grpc.LongArray.newBuilder().addData(7).addData(8))))
        .build();
    InsertRequest ours = InsertRequest.parseFrom(sdk.toByteArray());
    assertThat(ours.getCollectionName()).isEqualTo("c");
    assertThat(ours.getFieldsData(0).getType()).isEqualTo(DataType.Int64);
    assertThat(ours.getFieldsData(0).getScalars().getLongData().getDataList()).containsExactly(7L, 8L);
    assertThat(io.milvus.grpc.InsertRequest.parseFrom(ours.toByteArray())).isEqualTo(sdk);
  }

  @Test
  void anUnknownErrorCodeSurvivesAsItsNumber() throws Exception {
    // Milvus Lite sends error codes outside the ErrorCode enum (for example 200)
    byte[] wire = io.milvus.grpc.Status.newBuilder().setErrorCodeValue(200).setCode(5).build().toByteArray();
    Status status = Status.parseFrom(wire);
    assertThat(status.getErrorCodeValue()).isEqualTo(200);
    assertThat(status.getErrorCode()).isEqualTo(ErrorCode.UNRECOGNIZED);
  }

  private static Set<String> messageNames(Descriptors.FileDescriptor file) {
    Set<String> names = new TreeSet<>();
    file.getMessageTypes().forEach(m -> names.add(m.getFullName()));
    return names;
  }
}
