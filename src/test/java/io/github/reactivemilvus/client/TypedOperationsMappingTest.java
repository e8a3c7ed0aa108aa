package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.FailureKind;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.proto.AddCollectionFieldRequest;
import io.github.reactivemilvus.proto.AddCollectionFunctionRequest;
import io.github.reactivemilvus.proto.AlterCollectionFieldRequest;
import io.github.reactivemilvus.proto.AlterDatabaseRequest;
import io.github.reactivemilvus.proto.AlterIndexRequest;
import io.github.reactivemilvus.proto.AlterRoleRequest;
import io.github.reactivemilvus.proto.AnalyzerResult;
import io.github.reactivemilvus.proto.BatchDescribeCollectionRequest;
import io.github.reactivemilvus.proto.BatchDescribeCollectionResponse;
import io.github.reactivemilvus.proto.CompactionMergeInfo;
import io.github.reactivemilvus.proto.ConnectResponse;
import io.github.reactivemilvus.proto.CreatePrivilegeGroupRequest;
import io.github.reactivemilvus.proto.DescribeCollectionResponse;
import io.github.reactivemilvus.proto.DescribeIndexResponse;
import io.github.reactivemilvus.proto.DescribeResourceGroupResponse;
import io.github.reactivemilvus.proto.DumpMessagesRequest;
import io.github.reactivemilvus.proto.DumpMessagesResponse;
import io.github.reactivemilvus.proto.FieldSchema;
import io.github.reactivemilvus.proto.FlushAllResponse;
import io.github.reactivemilvus.proto.FunctionType;
import io.github.reactivemilvus.proto.GetCompactionPlansResponse;
import io.github.reactivemilvus.proto.GetCompactionStateResponse;
import io.github.reactivemilvus.proto.GetFlushAllStateRequest;
import io.github.reactivemilvus.proto.GetFlushAllStateResponse;
import io.github.reactivemilvus.proto.GetLoadStateResponse;
import io.github.reactivemilvus.proto.GetQuerySegmentInfoResponse;
import io.github.reactivemilvus.proto.GetReplicasRequest;
import io.github.reactivemilvus.proto.GetReplicasResponse;
import io.github.reactivemilvus.proto.GetReplicateConfigurationResponse;
import io.github.reactivemilvus.proto.GetReplicateInfoResponse;
import io.github.reactivemilvus.proto.ImmutableMessage;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.ListPrivilegeGroupsResponse;
import io.github.reactivemilvus.proto.LoadCollectionRequest;
import io.github.reactivemilvus.proto.LoadState;
import io.github.reactivemilvus.proto.ManualCompactionRequest;
import io.github.reactivemilvus.proto.ManualCompactionResponse;
import io.github.reactivemilvus.proto.MessageID;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.NodeInfo;
import io.github.reactivemilvus.proto.OperatePrivilegeGroupRequest;
import io.github.reactivemilvus.proto.OperatePrivilegeGroupType;
import io.github.reactivemilvus.proto.OperatePrivilegeType;
import io.github.reactivemilvus.proto.OperatePrivilegeV2Request;
import io.github.reactivemilvus.proto.PrivilegeEntity;
import io.github.reactivemilvus.proto.PrivilegeGroupInfo;
import io.github.reactivemilvus.proto.QuerySegmentInfo;
import io.github.reactivemilvus.proto.ReplicaInfo;
import io.github.reactivemilvus.proto.ReplicateCheckpoint;
import io.github.reactivemilvus.proto.ReplicateConfiguration;
import io.github.reactivemilvus.proto.ResourceGroup;
import io.github.reactivemilvus.proto.ResourceGroupConfig;
import io.github.reactivemilvus.proto.ResourceGroupLimit;
import io.github.reactivemilvus.proto.RunAnalyzerRequest;
import io.github.reactivemilvus.proto.RunAnalyzerResponse;
import io.github.reactivemilvus.proto.SegmentState;
import io.github.reactivemilvus.proto.ServerInfo;
import io.github.reactivemilvus.proto.ShardReplica;
import io.github.reactivemilvus.proto.Status;
import io.github.reactivemilvus.proto.TransferReplicaRequest;
import io.github.reactivemilvus.proto.TruncateCollectionResponse;
import io.github.reactivemilvus.proto.UpdateReplicateConfigurationRequest;
import io.github.reactivemilvus.proto.UpdateResourceGroupsRequest;
import io.github.reactivemilvus.proto.WALName;
import io.github.reactivemilvus.testing.FaultServer;
import io.github.reactivemilvus.testing.ScriptedRpcs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Request and response mapping of the typed operations that neither test server implements (Milvus Lite
 * answers UNIMPLEMENTED, Milvus 2.3.5 predates them or needs a cluster): each request is checked field by
 * field as the server receives it, each scripted response as the caller gets it.
 */
class TypedOperationsMappingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ScriptedRpcs SCRIPT = new ScriptedRpcs();
  private static final Status OK = Status.getDefaultInstance();
  private static FaultServer server;
  private static ReactiveConnections registry;
  private static MilvusStub stub;

  @BeforeAll
  static void start() {
    server = FaultServer.builder().interceptor(SCRIPT).start();
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("f", Map.of("uri", server.uri())).block(WAIT);
    stub = registry.stub("f");
  }

  @AfterAll
  static void stop() {
    // a failed start leaves nulls: its own error is the one to see
    if (registry != null) {
      registry.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void reset() {
    SCRIPT.reset();
  }

  private static KeyValuePair kv(String k, String v) {
    return KeyValuePair.newBuilder().setKey(k).setValue(v).build();
  }

  @Test
  void databasePropertiesAreSetAndDroppedByKey() {
    SCRIPT.answer(MilvusServiceGrpc.getAlterDatabaseMethod(), r -> OK);
    Databases databases = Databases.of(stub);
    databases.alterProperties("d", Map.of("database.replica.number", "2")).block(WAIT);
    assertThat(SCRIPT.lastRequest(AlterDatabaseRequest.class)).isEqualTo(AlterDatabaseRequest.newBuilder().setDbName("d")
        .addProperties(kv("database.replica.number", "2")).build());
    databases.dropProperties("d", List.of("database.replica.number")).block(WAIT);
    assertThat(SCRIPT.lastRequest(AlterDatabaseRequest.class)).isEqualTo(AlterDatabaseRequest.newBuilder().setDbName("d")
        .addDeleteKeys("database.replica.number").build());
  }

  @Test
  void fieldsAndFunctionsAreAddedToACollection() {
    SCRIPT.answer(MilvusServiceGrpc.getAddCollectionFieldMethod(), r -> OK)
        .answer(MilvusServiceGrpc.getAddCollectionFunctionMethod(), r -> OK)
        .answer(MilvusServiceGrpc.getAlterCollectionFieldMethod(), r -> OK)
        .answer(MilvusServiceGrpc.getTruncateCollectionMethod(), r -> TruncateCollectionResponse.newBuilder().setStatus(OK).build());
    CollectionAdmin admin = CollectionAdmin.of(stub);
    admin.addField("c", Field.varChar("note", 64).nullable(true).build()).block(WAIT);
    AddCollectionFieldRequest added = SCRIPT.lastRequest(AddCollectionFieldRequest.class);
    assertThat(added.getCollectionName()).isEqualTo("c");
    assertThat(parseField(added).getName()).isEqualTo("note");
    assertThat(parseField(added).getNullable()).isTrue();

    admin.addFunction("c", new CollectionAdmin.CollectionFunction("bm25", CollectionAdmin.FunctionKind.BM25, List.of("text"),
        List.of("sparse"), Map.of(), "")).block(WAIT);
    AddCollectionFunctionRequest function = SCRIPT.lastRequest(AddCollectionFunctionRequest.class);
    assertThat(function.getFunctionSchema().getType()).isEqualTo(FunctionType.BM25);
    assertThat(function.getFunctionSchema().getInputFieldNamesList()).containsExactly("text");
    assertThat(function.getFunctionSchema().getOutputFieldNamesList()).containsExactly("sparse");

    admin.alterFieldProperties("c", "note", Map.of("max_length", "128")).block(WAIT);
    assertThat(SCRIPT.lastRequest(AlterCollectionFieldRequest.class)).isEqualTo(AlterCollectionFieldRequest.newBuilder()
        .setCollectionName("c").setFieldName("note").addProperties(kv("max_length", "128")).build());
    admin.truncate("c").block(WAIT);
  }

  private static FieldSchema parseField(AddCollectionFieldRequest request) {
    try {
      return FieldSchema.parseFrom(request.getSchema());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aBatchDescriptionFailsForAnUnknownCollectionAndMapsTheOthers() {
    SCRIPT.answer(MilvusServiceGrpc.getBatchDescribeCollectionMethod(), r -> BatchDescribeCollectionResponse.newBuilder()
        .setStatus(OK).addResponses(DescribeCollectionResponse.newBuilder().setStatus(OK).setCollectionName("a").setCollectionID(7)
            .setShardsNum(2).addProperties(kv("mmap.enabled", "true"))).build());
    List<CollectionDescription> described = CollectionAdmin.of(stub).describeAll(List.of("a")).block(WAIT);
    assertThat(described).singleElement().satisfies(d -> {
      assertThat(d.name()).isEqualTo("a");
      assertThat(d.id()).isEqualTo(7);
      assertThat(d.shards()).isEqualTo(2);
      assertThat(d.properties()).containsEntry("mmap.enabled", "true");
    });
    assertThat(SCRIPT.lastRequest(BatchDescribeCollectionRequest.class).getCollectionNameList()).containsExactly("a");

    SCRIPT.answer(MilvusServiceGrpc.getBatchDescribeCollectionMethod(), r -> BatchDescribeCollectionResponse.newBuilder()
        .setStatus(OK).addResponses(DescribeCollectionResponse.newBuilder().setCollectionName("gone")
            .setStatus(Status.newBuilder().setCode(100).setReason("collection not found"))).build());
    StepVerifier.create(CollectionAdmin.of(stub).describeAll(List.of("gone")))
        .expectErrorSatisfies(e -> {
          assertThat(((MilvusConnectionException) e).serverCode()).isEqualTo(100);
          assertThat(e.getMessage()).contains("'gone'");
        })
        .verify(WAIT);
  }

  @Test
  void replicasLoadStateAndRefreshAreMapped() {
    SCRIPT.answer(MilvusServiceGrpc.getGetReplicasMethod(), r -> GetReplicasResponse.newBuilder().setStatus(OK)
            .addReplicas(ReplicaInfo.newBuilder().setReplicaID(1).setCollectionID(2).setResourceGroupName("rg").addNodeIds(5)
                .addShardReplicas(ShardReplica.newBuilder().setDmChannelName("ch0").setLeaderID(5).setLeaderAddr("h:1")
                    .addNodeIds(5)))
            .build())
        .answer(MilvusServiceGrpc.getGetLoadStateMethod(), r -> GetLoadStateResponse.newBuilder().setStatus(OK)
            .setState(LoadState.LoadStateLoading).build())
        .answer(MilvusServiceGrpc.getLoadCollectionMethod(), r -> OK);
    CollectionAdmin admin = CollectionAdmin.of(stub);
    assertThat(admin.describeReplicas("c").block(WAIT)).containsExactly(new CollectionAdmin.Replica(1, 2, "rg", List.of(),
        List.of(5L), List.of(new CollectionAdmin.Shard("ch0", 5, "h:1", List.of(5L)))));
    assertThat(SCRIPT.lastRequest(GetReplicasRequest.class).getWithShardNodes()).isTrue();
    assertThat(admin.loadState("c").block(WAIT)).isEqualTo(io.github.reactivemilvus.client.LoadState.LOADING);
    admin.refreshLoad("c").block(WAIT);
    assertThat(SCRIPT.lastRequest(LoadCollectionRequest.class).getRefresh()).isTrue();
    admin.load("c", new CollectionAdmin.LoadOptions(2, List.of("rg"), List.of("id", "v"), true)).block(WAIT);
    LoadCollectionRequest load = SCRIPT.lastRequest(LoadCollectionRequest.class);
    assertThat(load.getReplicaNumber()).isEqualTo(2);
    assertThat(load.getResourceGroupsList()).containsExactly("rg");
    assertThat(load.getLoadFieldsList()).containsExactly("id", "v");
    assertThat(load.getSkipLoadDynamicField()).isTrue();
    assertThat(load.getRefresh()).isFalse();
  }

  @Test
  void indexPropertiesAreAlteredAndACollectionWithoutIndexListsNone() {
    SCRIPT.answer(MilvusServiceGrpc.getAlterIndexMethod(), r -> OK)
        .answer(MilvusServiceGrpc.getDescribeIndexMethod(), r -> DescribeIndexResponse.newBuilder()
            .setStatus(Status.newBuilder().setCode(700).setReason("index not found")).build());
    Indexes indexes = Indexes.of(stub);
    indexes.alterProperties("c", "v_idx", Map.of("mmap.enabled", "true")).block(WAIT);
    assertThat(SCRIPT.lastRequest(AlterIndexRequest.class)).isEqualTo(AlterIndexRequest.newBuilder().setCollectionName("c")
        .setIndexName("v_idx").addExtraParams(kv("mmap.enabled", "true")).build());
    indexes.dropProperties("c", "v_idx", List.of("mmap.enabled")).block(WAIT);
    assertThat(SCRIPT.lastRequest(AlterIndexRequest.class).getDeleteKeysList()).containsExactly("mmap.enabled");
    assertThat(indexes.list("c", null).block(WAIT)).isEmpty();
  }

  @Test
  void privilegeGroupsRoleDescriptionsAndV2GrantsAreMapped() {
    SCRIPT.answer(MilvusServiceGrpc.getCreatePrivilegeGroupMethod(), r -> OK)
        .answer(MilvusServiceGrpc.getOperatePrivilegeGroupMethod(), r -> OK)
        .answer(MilvusServiceGrpc.getOperatePrivilegeV2Method(), r -> OK)
        .answer(MilvusServiceGrpc.getAlterRoleMethod(), r -> OK)
        .answer(MilvusServiceGrpc.getListPrivilegeGroupsMethod(), r -> ListPrivilegeGroupsResponse.newBuilder().setStatus(OK)
            .addPrivilegeGroups(PrivilegeGroupInfo.newBuilder().setGroupName("readers")
                .addPrivileges(PrivilegeEntity.newBuilder().setName("Query"))
                .addPrivileges(PrivilegeEntity.newBuilder().setName("Search"))).build());
    Rbac rbac = Rbac.of(stub);
    rbac.createPrivilegeGroup("readers").block(WAIT);
    assertThat(SCRIPT.lastRequest(CreatePrivilegeGroupRequest.class).getGroupName()).isEqualTo("readers");
    rbac.addPrivilegesToGroup("readers", List.of("Query", "Search")).block(WAIT);
    OperatePrivilegeGroupRequest add = SCRIPT.lastRequest(OperatePrivilegeGroupRequest.class);
    assertThat(add.getType()).isEqualTo(OperatePrivilegeGroupType.AddPrivilegesToGroup);
    assertThat(add.getPrivilegesList()).extracting(PrivilegeEntity::getName).containsExactly("Query", "Search");
    rbac.removePrivilegesFromGroup("readers", List.of("Search")).block(WAIT);
    assertThat(SCRIPT.lastRequest(OperatePrivilegeGroupRequest.class).getType())
        .isEqualTo(OperatePrivilegeGroupType.RemovePrivilegesFromGroup);
    assertThat(rbac.listPrivilegeGroups().block(WAIT)).containsExactly(new Rbac.PrivilegeGroup("readers", List.of("Query", "Search")));
    rbac.grantPrivilegeV2("role1", "readers", "db1", "*").block(WAIT);
    OperatePrivilegeV2Request v2 = SCRIPT.lastRequest(OperatePrivilegeV2Request.class);
    assertThat(v2.getRole().getName()).isEqualTo("role1");
    assertThat(v2.getGrantor().getPrivilege().getName()).isEqualTo("readers");
    assertThat(v2.getDbName()).isEqualTo("db1");
    assertThat(v2.getCollectionName()).isEqualTo("*");
    assertThat(v2.getType()).isEqualTo(OperatePrivilegeType.Grant);
    rbac.revokePrivilegeV2("role1", "readers", "db1", "*").block(WAIT);
    assertThat(SCRIPT.lastRequest(OperatePrivilegeV2Request.class).getType()).isEqualTo(OperatePrivilegeType.Revoke);
    rbac.alterRole("role1", "reads only").block(WAIT);
    assertThat(SCRIPT.lastRequest(AlterRoleRequest.class)).isEqualTo(AlterRoleRequest.newBuilder().setRoleName("role1")
        .setDescription("reads only").build());
  }

  @Test
  void aPrivilegeRefusalInAResponseStatusIsPermissionDenied() {
    SCRIPT.answer(MilvusServiceGrpc.getCreatePrivilegeGroupMethod(), r -> Status.newBuilder().setCode(1401)
        .setReason("privilege not permitted").build());
    MilvusConnectionException e = RbacAgainstMilvusStandaloneTest.failure(Rbac.of(stub).createPrivilegeGroup("g"));
    assertThat(e.kind()).isEqualTo(FailureKind.PERMISSION_DENIED);
    assertThat(e.serverCode()).isEqualTo(1401);
  }

  @Test
  void resourceGroupConfigsAndReplicaTransfersAreMapped() {
    SCRIPT.answer(MilvusServiceGrpc.getUpdateResourceGroupsMethod(), r -> OK)
        .answer(MilvusServiceGrpc.getTransferReplicaMethod(), r -> OK)
        .answer(MilvusServiceGrpc.getDescribeResourceGroupMethod(), r -> DescribeResourceGroupResponse.newBuilder().setStatus(OK)
            .setResourceGroup(ResourceGroup.newBuilder().setName("rg").setCapacity(2).setNumAvailableNode(1)
                .putNumLoadedReplica("c", 1).setConfig(ResourceGroupConfig.newBuilder()
                    .setRequests(ResourceGroupLimit.newBuilder().setNodeNum(1)).setLimits(ResourceGroupLimit.newBuilder().setNodeNum(2)))
                .addNodes(NodeInfo.newBuilder().setNodeId(9).setAddress("h:2").setHostname("h"))).build());
    ResourceGroups groups = ResourceGroups.of(stub);
    groups.update(Map.of("rg", new ResourceGroups.Config(1, 2, List.of("__default_resource_group"), List.of(), Map.of("zone", "a"))))
        .block(WAIT);
    ResourceGroupConfig sent = SCRIPT.lastRequest(UpdateResourceGroupsRequest.class).getResourceGroupsOrThrow("rg");
    assertThat(sent.getRequests().getNodeNum()).isEqualTo(1);
    assertThat(sent.getLimits().getNodeNum()).isEqualTo(2);
    assertThat(sent.getTransferFrom(0).getResourceGroup()).isEqualTo("__default_resource_group");
    assertThat(sent.getNodeFilter().getNodeLabelsList()).containsExactly(kv("zone", "a"));
    groups.transferReplica("a", "b", "c", 2).block(WAIT);
    assertThat(SCRIPT.lastRequest(TransferReplicaRequest.class)).isEqualTo(TransferReplicaRequest.newBuilder()
        .setSourceResourceGroup("a").setTargetResourceGroup("b").setCollectionName("c").setNumReplica(2).build());
    ResourceGroups.Description d = groups.describe("rg").block(WAIT);
    assertThat(d.capacity()).isEqualTo(2);
    assertThat(d.loadedReplicas()).containsEntry("c", 1);
    assertThat(d.config()).isEqualTo(ResourceGroups.Config.of(1, 2));
    assertThat(d.nodes()).containsExactly(new ResourceGroups.Node(9, "h:2", "h"));
  }

  @Test
  void flushAllCompactionPlansSegmentsAnalyzerAndServerBuildAreMapped() {
    SCRIPT.answer(MilvusServiceGrpc.getFlushAllMethod(), r -> FlushAllResponse.newBuilder().setStatus(OK).setFlushAllTs(42).build())
        .answer(MilvusServiceGrpc.getGetFlushAllStateMethod(), r -> GetFlushAllStateResponse.newBuilder().setStatus(OK)
            .setFlushed(r.getFlushAllTs() == 42).build())
        .answer(MilvusServiceGrpc.getGetCompactionStateWithPlansMethod(), r -> GetCompactionPlansResponse.newBuilder().setStatus(OK)
            .setState(io.github.reactivemilvus.proto.CompactionState.Completed)
            .addMergeInfos(CompactionMergeInfo.newBuilder().addSources(1).addSources(2).setTarget(3)).build())
        .answer(MilvusServiceGrpc.getGetQuerySegmentInfoMethod(), r -> GetQuerySegmentInfoResponse.newBuilder().setStatus(OK)
            .addInfos(QuerySegmentInfo.newBuilder().setSegmentID(11).setNumRows(5).setState(SegmentState.Sealed).addNodeIds(4))
            .build())
        .answer(MilvusServiceGrpc.getRunAnalyzerMethod(), r -> RunAnalyzerResponse.newBuilder().setStatus(OK)
            .addResults(AnalyzerResult.newBuilder().addTokens(io.github.reactivemilvus.proto.AnalyzerToken.newBuilder()
                .setToken("hello").setEndOffset(5).setHash(-1))).build())
        .answer(MilvusServiceGrpc.getConnectMethod(), r -> ConnectResponse.newBuilder().setStatus(OK)
            .setServerInfo(ServerInfo.newBuilder().setBuildTags("v2.6.4").setDeployMode("STANDALONE")).build());
    Maintenance maintenance = Maintenance.of(stub);
    assertThat(maintenance.isFlushAllDone(maintenance.flushAll().block(WAIT)).block(WAIT)).isTrue();
    assertThat(SCRIPT.lastRequest(GetFlushAllStateRequest.class).getFlushAllTs()).isEqualTo(42);
    assertThat(maintenance.compactionPlans(5).block(WAIT)).isEqualTo(new Maintenance.CompactionPlans(
        Maintenance.CompactionState.COMPLETED, List.of(new Maintenance.CompactionMerge(List.of(1L, 2L), 3))));
    assertThat(maintenance.querySegments("c").block(WAIT)).singleElement().satisfies(s -> {
      assertThat(s.id()).isEqualTo(11);
      assertThat(s.rows()).isEqualTo(5);
      assertThat(s.state()).isEqualTo(Maintenance.SegmentState.SEALED);
      assertThat(s.nodeIds()).containsExactly(4L);
    });
    assertThat(maintenance.runAnalyzer(List.of("Hello"), "{\"tokenizer\": \"standard\"}", true, true).block(WAIT))
        .containsExactly(List.of(new Maintenance.AnalyzerToken("hello", 0, 5, 0, 0, 0xFFFFFFFFL)));
    RunAnalyzerRequest analyzed = SCRIPT.lastRequest(RunAnalyzerRequest.class);
    assertThat(analyzed.getPlaceholder(0).toStringUtf8()).isEqualTo("Hello");
    assertThat(analyzed.getAnalyzerParams()).isEqualTo("{\"tokenizer\": \"standard\"}");
    assertThat(analyzed.getWithDetail()).isTrue();
    assertThat(analyzed.getWithHash()).isTrue();
    Maintenance.ServerBuild build = maintenance.serverBuild().block(WAIT);
    assertThat(build.version()).isEqualTo("v2.6.4");
    assertThat(build.deployMode()).isEqualTo("STANDALONE");
  }

  @Test
  void optimizeWaitsForTheCompactionAndRefreshesALoadedCollection() {
    int[] polls = {0};
    SCRIPT.answer(MilvusServiceGrpc.getManualCompactionMethod(), r -> ManualCompactionResponse.newBuilder().setStatus(OK)
            .setCompactionID(77).build())
        .answer(MilvusServiceGrpc.getGetCompactionStateMethod(), r -> GetCompactionStateResponse.newBuilder().setStatus(OK)
            .setState(++polls[0] < 3 ? io.github.reactivemilvus.proto.CompactionState.Executing
                : io.github.reactivemilvus.proto.CompactionState.Completed).build())
        .answer(MilvusServiceGrpc.getGetLoadStateMethod(), r -> GetLoadStateResponse.newBuilder().setStatus(OK)
            .setState(LoadState.LoadStateLoaded).build())
        .answer(MilvusServiceGrpc.getLoadCollectionMethod(), r -> OK);
    assertThat(Maintenance.of(stub).optimize("c", 1 << 20, Duration.ofMillis(10), WAIT).block(WAIT)).isEqualTo(77);
    assertThat(polls[0]).isEqualTo(3);
    assertThat(SCRIPT.requests().get(0)).isEqualTo(ManualCompactionRequest.newBuilder().setCollectionName("c")
        .setTargetSize(1 << 20).build());
    assertThat(SCRIPT.lastRequest(LoadCollectionRequest.class).getRefresh()).isTrue();
  }

  @Test
  void replicationConfigurationCheckpointsAndDumpedMessagesAreMapped() {
    ReplicateConfiguration configuration = new Replication.Configuration(
        List.of(new Replication.Cluster("a", "http://a:19530", "secret-token", List.of("a-p0"))),
        List.of(new Replication.Topology("a", "b"))).toProto();
    SCRIPT.answer(MilvusServiceGrpc.getUpdateReplicateConfigurationMethod(), r -> OK)
        .answer(MilvusServiceGrpc.getGetReplicateConfigurationMethod(), r -> GetReplicateConfigurationResponse.newBuilder()
            .setStatus(OK).setConfiguration(configuration).build())
        .answer(MilvusServiceGrpc.getGetReplicateInfoMethod(), r -> GetReplicateInfoResponse.newBuilder()
            .setCheckpoint(ReplicateCheckpoint.newBuilder().setClusterId("a").setPchannel("a-p0").setTimeTick(9)
                .setMessageId(MessageID.newBuilder().setId("m9").setWALName(WALName.Pulsar)))
            .build())
        .stream(MilvusServiceGrpc.getDumpMessagesMethod(), (call, request) -> {
          call.sendMessage(DumpMessagesResponse.newBuilder().setMessage(ImmutableMessage.newBuilder()
              .setId(MessageID.newBuilder().setId("m1").setWALName(WALName.Kafka))
              .setPayload(com.google.protobuf.ByteString.copyFromUtf8("body")).putProperties("k", "v")).build());
          call.close(io.grpc.Status.OK, new io.grpc.Metadata());
        });
    Replication replication = Replication.of(stub);
    Replication.Configuration read = replication.getReplicateConfiguration().block(WAIT);
    assertThat(read.clusters().get(0).token()).isEqualTo("secret-token");
    assertThat(read.toString()).doesNotContain("secret-token");
    replication.updateReplicateConfiguration(read, true).block(WAIT);
    assertThat(SCRIPT.lastRequest(UpdateReplicateConfigurationRequest.class)).isEqualTo(UpdateReplicateConfigurationRequest
        .newBuilder().setReplicateConfiguration(configuration).setForcePromote(true).build());
    Replication.ReplicateInfo info = replication.getReplicateInfo("a", "b-p0").block(WAIT);
    assertThat(info.checkpoint()).isEqualTo(new Replication.Checkpoint("a", "a-p0", new Replication.MessageId("m9", "Pulsar"), 9));

    List<Replication.WalMessage> dumped = replication.dumpMessages("a-p0", new Replication.MessageId("m0", "Kafka"), 5, 0)
        .collectList().block(WAIT);
    assertThat(dumped).singleElement().satisfies(m -> {
      assertThat(m.id()).isEqualTo(new Replication.MessageId("m1", "Kafka"));
      assertThat(java.nio.charset.StandardCharsets.UTF_8.decode(m.payload()).toString()).isEqualTo("body");
      assertThat(m.properties()).containsEntry("k", "v");
    });
    DumpMessagesRequest dump = SCRIPT.lastRequest(DumpMessagesRequest.class);
    assertThat(dump.getPchannel()).isEqualTo("a-p0");
    assertThat(dump.getStartMessageId().getWALName()).isEqualTo(WALName.Kafka);
    assertThat(dump.getStartTimetick()).isEqualTo(5);
  }
}
