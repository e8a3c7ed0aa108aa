package io.github.reactivemilvus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of Milvus RPCs: every unary method of {@code milvus.proto.milvus.MilvusService}
 * (the protocol of milvus-sdk-java 2.6.22) as {@link RpcKind#READ} or {@link RpcKind#WRITE}, keyed
 * by full method name ({@code milvus.proto.milvus.MilvusService/Search}).
 *
 * <p>{@link MilvusStub#call(io.grpc.MethodDescriptor, Object)} retries by this table. Reads are the
 * calls without effects: Has*, Describe*, Show*, List*, Get*, Select*, Search, HybridSearch, Query,
 * CalcDistance, CheckHealth, Connect, AllocTimestamp, RunAnalyzer, BackupRBAC, Dummy, RegisterLink.
 * Everything else is a write, including Load/Release, Flush and Compaction, which change server
 * state. The two streaming RPCs (CreateReplicateStream, DumpMessages) are not in the table: they go
 * through {@link MilvusStub#serverStream} and {@link MilvusStub#bidiStream}, never retried. Immutable,
 * thread-safe.
 */
public final class MilvusRpcs {
  /** The service every full method name here starts with, followed by {@code /}. */
  public static final String SERVICE = "milvus.proto.milvus.MilvusService";

  private static final List<String> READS = List.of(
      "HasCollection", "DescribeCollection", "BatchDescribeCollection", "GetCollectionStatistics",
      "ShowCollections", "HasPartition", "GetPartitionStatistics", "ShowPartitions",
      "GetLoadingProgress", "GetLoadState", "DescribeAlias", "ListAliases", "DescribeIndex",
      "GetIndexStatistics", "GetIndexState", "GetIndexBuildProgress", "Search", "HybridSearch",
      "Query", "CalcDistance", "GetFlushState", "GetFlushAllState", "GetPersistentSegmentInfo",
      "GetQuerySegmentInfo", "GetReplicas", "Dummy", "RegisterLink", "GetMetrics",
      "GetComponentStates", "GetCompactionState", "GetCompactionStateWithPlans", "GetImportState",
      "ListImportTasks", "ListCredUsers", "SelectRole", "SelectUser", "SelectGrant", "GetVersion",
      "CheckHealth", "ListResourceGroups", "DescribeResourceGroup", "ListIndexedSegment",
      "DescribeSegmentIndexData", "Connect", "AllocTimestamp", "ListDatabases", "DescribeDatabase",
      "BackupRBAC", "ListPrivilegeGroups", "RunAnalyzer", "ListFileResources", "GetUserTags",
      "ListUsersWithTag", "ListRowPolicies", "GetReplicateConfiguration", "GetReplicateInfo");

  private static final List<String> WRITES = List.of(
      "CreateCollection", "DropCollection", "LoadCollection", "ReleaseCollection",
      "AlterCollection", "AlterCollectionField", "AddCollectionFunction", "AlterCollectionFunction",
      "DropCollectionFunction", "TruncateCollection", "CreatePartition", "DropPartition",
      "LoadPartitions", "ReleasePartitions", "CreateAlias", "DropAlias", "AlterAlias",
      "CreateIndex", "AlterIndex", "DropIndex", "Insert", "Delete", "Upsert", "Flush", "FlushAll",
      "AddCollectionField", "LoadBalance", "ManualCompaction", "Import", "CreateCredential",
      "UpdateCredential", "DeleteCredential", "CreateRole", "AlterRole", "DropRole",
      "OperateUserRole", "OperatePrivilege", "OperatePrivilegeV2", "CreateResourceGroup",
      "DropResourceGroup", "UpdateResourceGroups", "TransferNode", "TransferReplica",
      "RenameCollection", "CreateDatabase", "DropDatabase", "AlterDatabase", "ReplicateMessage",
      "RestoreRBAC", "CreatePrivilegeGroup", "DropPrivilegeGroup", "OperatePrivilegeGroup",
      "AddFileResource", "RemoveFileResource", "AddUserTags", "DeleteUserTags", "CreateRowPolicy",
      "DropRowPolicy", "UpdateReplicateConfiguration");

  private static final Map<String, RpcKind> TABLE = table();

  private MilvusRpcs() {}

  private static Map<String, RpcKind> table() {
    Map<String, RpcKind> table = new LinkedHashMap<>();
    READS.forEach(m -> table.put(SERVICE + "/" + m, RpcKind.READ));
    WRITES.forEach(m -> table.put(SERVICE + "/" + m, RpcKind.WRITE));
    return Map.copyOf(table);
  }

  /** The kind of a MilvusService method, or empty for any other method (or a streaming one). */
  public static Optional<RpcKind> kindOf(String fullMethodName) {
    return Optional.ofNullable(TABLE.get(fullMethodName));
  }

  /** The whole table, full method name to kind; unmodifiable. */
  public static Map<String, RpcKind> all() {
    return TABLE;
  }
}
