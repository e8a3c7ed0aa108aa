package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.MilvusRpcs;
import io.github.reactivemilvus.RpcKind;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The coverage table of docs/coverage.md is generated from the code: every RPC of the MilvusService has a
 * typed operation (its {@link Rpc} mark) or a reason to stay raw only, every typed operation is marked, and
 * the page holds exactly the table the code makes. Run with {@code -Dcoverage.write=true} to rewrite the page.
 */
class CoverageTableTest {
  private static final Path PAGE = Path.of("docs/coverage.md");

  /** The classes whose public methods are the typed operations. */
  private static final List<Class<?>> TYPED = List.of(MilvusClient.class, Databases.class, CollectionAdmin.class,
      Indexes.class, Partitions.class, Rbac.class, ResourceGroups.class, Maintenance.class, Replication.class);

  /** Public methods of those classes that make no RPC. */
  private static final Set<String> NOT_OPERATIONS = Set.of("MilvusClient.alias", "MilvusClient.forgetSchema",
      "MilvusClient.of", "Maintenance.withTimer", "MilvusClient.databases", "MilvusClient.collectionAdmin",
      "MilvusClient.indexes", "MilvusClient.partitions", "MilvusClient.rbac", "MilvusClient.resourceGroups",
      "MilvusClient.maintenance", "MilvusClient.replication", "MilvusClient.withCodecScheduler");

  /** RPCs left to {@code MilvusStub.call}, and why. */
  static final Map<String, String> RAW_ONLY = Map.ofEntries(
      Map.entry("Dummy", "a no-op of the proxy for server tests"),
      Map.entry("RegisterLink", "the proxy's link check for other Milvus components"),
      Map.entry("GetComponentStates", "the states of the cluster's internal components; checkHealth is the client's view"),
      Map.entry("GetIndexStatistics", "older index progress call: describeIndexes reports state and indexed rows"),
      Map.entry("GetIndexState", "older index progress call: describeIndexes reports state and indexed rows"),
      Map.entry("GetIndexBuildProgress", "older index progress call: describeIndexes reports state and indexed rows"),
      Map.entry("CalcDistance", "removed from Milvus 2.3 and later servers"),
      Map.entry("LoadBalance", "moves sealed segments between query nodes: an operator's tool, not in MilvusClientV2"),
      Map.entry("Import", "bulk import v1, superseded by the import jobs of the RESTful API (which MilvusClientV2 uses too)"),
      Map.entry("GetImportState", "bulk import v1, superseded by the import jobs of the RESTful API"),
      Map.entry("ListImportTasks", "bulk import v1, superseded by the import jobs of the RESTful API"),
      Map.entry("BackupRBAC", "an opaque snapshot (RBACMeta) made to be given back as is to RestoreRBAC"),
      Map.entry("RestoreRBAC", "restores the opaque snapshot of BackupRBAC"),
      Map.entry("ListIndexedSegment", "index internals for the federation tools (feder)"),
      Map.entry("DescribeSegmentIndexData", "index internals for the federation tools (feder)"),
      Map.entry("ReplicateMessage", "internal to Milvus-CDC: replays one message into a target cluster"),
      Map.entry("CreateReplicateStream", "internal to the 2.6 replication between clusters: MilvusStub.bidiStream carries it"));

  /** The server operations of milvus-sdk-java v2.6.24's MilvusClientV2 (async variants included). */
  static final List<String> SDK_METHODS = List.of(
      "createDatabase", "dropDatabase", "listDatabases", "alterDatabase", "alterDatabaseProperties",
      "dropDatabaseProperties", "describeDatabase",
      "createCollection", "listCollections", "listCollectionsV2", "dropCollection", "truncateCollection", "alterCollection",
      "alterCollectionProperties", "addCollectionField", "alterCollectionField", "dropCollectionProperties",
      "dropCollectionFieldProperties", "hasCollection", "describeCollection", "batchDescribeCollection",
      "getCollectionStats", "renameCollection", "loadCollection", "refreshLoad", "releaseCollection", "getLoadState",
      "getLoadStateV2", "describeReplicas", "addCollectionFunction", "alterCollectionFunction", "dropCollectionFunction",
      "createIndex", "dropIndex", "alterIndex", "alterIndexProperties", "dropIndexProperties", "describeIndex", "listIndexes",
      "insert", "upsert", "delete", "get", "getAsync", "query", "queryAsync", "search", "searchAsync", "hybridSearch",
      "hybridSearchAsync", "queryIterator", "searchIterator", "searchIteratorV2", "runAnalyzer",
      "createPartition", "dropPartition", "hasPartition", "listPartitions", "getPartitionStats", "loadPartitions",
      "releasePartitions",
      "listUsers", "describeUser", "createUser", "updatePassword", "updateUser", "dropUser", "listRoles", "describeRole",
      "createRole", "alterRole", "dropRole", "grantPrivilege", "revokePrivilege", "grantRole", "revokeRole",
      "createPrivilegeGroup", "dropPrivilegeGroup", "listPrivilegeGroups", "addPrivilegesToGroup",
      "removePrivilegesFromGroup", "grantPrivilegeV2", "revokePrivilegeV2",
      "createResourceGroup", "updateResourceGroups", "dropResourceGroup", "listResourceGroups", "describeResourceGroup",
      "transferNode", "transferReplica",
      "createAlias", "dropAlias", "alterAlias", "listAliases", "describeAlias",
      "flush", "flushAll", "getFlushAllState", "getPersistentSegmentInfo", "getQuerySegmentInfo", "compact",
      "getCompactionState", "getCompactionPlans", "dumpMessages", "optimize", "getServerVersion", "getServerVersionV2",
      "checkHealth", "getReplicateInfo", "getReplicateConfiguration", "updateReplicateConfiguration");

  /** MilvusClientV2 operations without a typed counterpart here, and why. */
  static final Map<String, String> SDK_NOT_TYPED = Map.of(
      "updateUser", "sets a user description, a field the protocol of milvus-sdk-java 2.6.22 (built against here) lacks");

  record Op(String name, List<String> rpcs, List<String> sdk) { }

  /** Every typed operation: class.method with its RPCs and SDK names (overloads merged). */
  static List<Op> operations() {
    Map<String, Op> ops = new TreeMap<>();
    List<String> unmarked = new ArrayList<>();
    for (Class<?> type : TYPED) {
      for (Method m : type.getDeclaredMethods()) {
        if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) {
          continue;
        }
        String name = type.getSimpleName() + "." + m.getName();
        if (NOT_OPERATIONS.contains(name) || (Modifier.isStatic(m.getModifiers()) && m.getName().equals("of"))) {
          continue;
        }
        Rpc mark = m.getAnnotation(Rpc.class);
        Op op;
        if (mark != null) {
          op = new Op(name, List.of(mark.value()), List.of(mark.sdk()));
        } else {
          unmarked.add(name);
          continue;
        }
        ops.merge(name, op, (a, b) -> new Op(name, union(a.rpcs(), b.rpcs()), union(a.sdk(), b.sdk())));
      }
    }
    assertThat(unmarked).as("public methods of the typed classes without an @Rpc mark").isEmpty();
    return List.copyOf(ops.values());
  }

  private static List<String> union(List<String> a, List<String> b) {
    LinkedHashSet<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  static List<String> serviceRpcs() {
    return MilvusServiceGrpc.getServiceDescriptor().getMethods().stream()
        .map(m -> ((MethodDescriptor<?, ?>) m).getBareMethodName()).sorted().toList();
  }

  @Test
  void everyRpcIsTypedOrRawOnlyWithAReasonAndEveryMarkNamesARealRpc() {
    List<Op> ops = operations();
    Set<String> typed = ops.stream().flatMap(o -> o.rpcs().stream()).collect(Collectors.toCollection(TreeSet::new));
    List<String> rpcs = serviceRpcs();
    assertThat(rpcs).containsAll(typed);
    assertThat(rpcs).containsAll(RAW_ONLY.keySet());
    List<String> neither = rpcs.stream().filter(r -> !typed.contains(r) && !RAW_ONLY.containsKey(r)).toList();
    assertThat(neither).as("RPCs with neither a typed operation nor a raw-only reason").isEmpty();
    List<String> both = rpcs.stream().filter(r -> typed.contains(r) && RAW_ONLY.containsKey(r)).toList();
    assertThat(both).as("RPCs typed and also listed as raw only").isEmpty();
    // every unary RPC of the service is in the retry table, and only those
    assertThat(MilvusRpcs.all().keySet()).containsExactlyInAnyOrderElementsOf(MilvusServiceGrpc.getServiceDescriptor()
        .getMethods().stream().filter(m -> ((MethodDescriptor<?, ?>) m).getType() == MethodDescriptor.MethodType.UNARY)
        .map(m -> ((MethodDescriptor<?, ?>) m).getFullMethodName()).toList());
  }

  @Test
  void atLeast105OfTheSdkOperationsAreTypedAndEveryOtherHasAReason() {
    Set<String> covered = operations().stream().flatMap(o -> o.sdk().stream()).collect(Collectors.toSet());
    assertThat(SDK_METHODS).hasSize(111).doesNotHaveDuplicates();
    assertThat(SDK_METHODS).containsAll(covered);
    List<String> missing = SDK_METHODS.stream().filter(m -> !covered.contains(m)).toList();
    assertThat(missing).containsExactlyInAnyOrderElementsOf(SDK_NOT_TYPED.keySet());
    assertThat(SDK_METHODS.size() - missing.size()).isGreaterThanOrEqualTo(105);
  }

  @Test
  void thePageHoldsTheTableTheCodeMakes() throws IOException {
    String table = render();
    if (Boolean.getBoolean("coverage.write")) {
      Files.writeString(PAGE, table, StandardCharsets.UTF_8);
    }
    String page = Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "";
    Path expected = Path.of("target/coverage.md");
    Files.createDirectories(expected.getParent());
    Files.writeString(expected, table, StandardCharsets.UTF_8);
    assertThat(page).as("docs/coverage.md differs from the generated table (target/coverage.md); "
        + "rerun with -Dcoverage.write=true").isEqualTo(table);
    for (Op op : operations()) {
      assertThat(page).as("the page lists " + op.name()).contains("`" + op.name() + "`");
    }
  }

  static String render() {
    List<Op> ops = operations();
    Map<String, List<String>> byRpc = new TreeMap<>();
    Map<String, Set<String>> sdkByRpc = new TreeMap<>();
    Map<String, List<String>> bySdk = new TreeMap<>();
    for (Op op : ops) {
      for (String rpc : op.rpcs()) {
        byRpc.computeIfAbsent(rpc, k -> new ArrayList<>()).add(op.name());
        sdkByRpc.computeIfAbsent(rpc, k -> new TreeSet<>());
      }
      // an SDK name belongs to the operation's first (main) RPC
      sdkByRpc.computeIfAbsent(op.rpcs().get(0), k -> new TreeSet<>()).addAll(op.sdk());
      op.sdk().forEach(s -> bySdk.computeIfAbsent(s, k -> new ArrayList<>()).add(op.name()));
    }
    List<String> rpcs = serviceRpcs();
    long typedRpcs = rpcs.stream().filter(byRpc::containsKey).count();
    StringBuilder b = new StringBuilder();
    b.append("# Coverage of the Milvus protocol\n\n")
        .append("<!-- Generated by CoverageTableTest from the @Rpc marks of the typed operations: do not edit by hand;\n")
        .append("     run `mvn test -Dtest=CoverageTableTest -Dcoverage.write=true` after changing an operation. -->\n\n")
        .append("Every RPC of `milvus.proto.milvus.MilvusService` (the protocol of milvus-sdk-java 2.6.22): ")
        .append(rpcs.size()).append(" RPCs, ").append(typedRpcs).append(" with a typed operation, ")
        .append(rpcs.size() - typedRpcs).append(" raw only (reachable through `MilvusStub.call`, or `MilvusStub.serverStream` / ")
        .append("`bidiStream` for streams, with a hand-built request). Groups: `MilvusClient` (rows, search, query, basic ")
        .append("administration), `Databases`, `CollectionAdmin`, `Indexes`, `Partitions`, `Rbac`, `ResourceGroups`, ")
        .append("`Maintenance`, `Replication`; each is made with `of(stub)` or reached from a client (`client.rbac()`, ...).\n\n")
        .append("| RPC | kind | typed operation | MilvusClientV2 (2.6) |\n|---|---|---|---|\n");
    for (String rpc : rpcs) {
      String kind = MilvusRpcs.kindOf(MilvusRpcs.SERVICE + "/" + rpc).map(k -> k == RpcKind.READ ? "read" : "write").orElse("stream");
      String typed = byRpc.containsKey(rpc) ? byRpc.get(rpc).stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "))
          : "raw only: " + RAW_ONLY.get(rpc);
      String sdk = String.join(", ", sdkByRpc.getOrDefault(rpc, Set.of()));
      b.append("| ").append(rpc).append(" | ").append(kind).append(" | ").append(typed).append(" | ").append(sdk).append(" |\n");
    }
    long typedSdk = SDK_METHODS.stream().filter(bySdk::containsKey).count();
    b.append("\n## MilvusClientV2 operations\n\n")
        .append("The ").append(SDK_METHODS.size()).append(" server operations of milvus-sdk-java v2.6.24's `MilvusClientV2` ")
        .append("(the `*Async` variants counted apart): ").append(typedSdk).append(" typed here.\n\n")
        .append("| MilvusClientV2 | here |\n|---|---|\n");
    for (String m : SDK_METHODS) {
      String here = bySdk.containsKey(m) ? bySdk.get(m).stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "))
          : "not typed: " + SDK_NOT_TYPED.get(m);
      b.append("| ").append(m).append(" | ").append(here).append(" |\n");
    }
    return b.toString();
  }
}
