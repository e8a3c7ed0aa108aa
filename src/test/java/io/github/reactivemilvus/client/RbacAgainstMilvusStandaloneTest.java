package io.github.reactivemilvus.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reactivemilvus.FailureKind;
import io.github.reactivemilvus.MilvusConnectionException;
import io.github.reactivemilvus.ReactiveConnections;
import io.github.reactivemilvus.testing.MilvusStandaloneExtension;
import io.github.reactivemilvus.testing.MilvusStandaloneServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Users, roles, grants and resource groups against Milvus 2.3.5 with authorization on, as root and as a
 * user granted only reads. Privilege groups, role descriptions and the v2 grant came with Milvus 2.5/2.6:
 * this server answers them UNIMPLEMENTED, which reaches the caller as such.
 */
@ExtendWith(MilvusStandaloneExtension.class)
class RbacAgainstMilvusStandaloneTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private MilvusStandaloneServer milvus;
  private ReactiveConnections registry;
  private Rbac rbac;

  @BeforeEach
  void setUp(MilvusStandaloneServer milvus) {
    this.milvus = milvus;
    registry = ReactiveConnections.builder().environment(Map.of()).build();
    registry.addConnection("root", Map.of("uri", milvus.uri(), "user", milvus.user(), "password", milvus.password(),
        "timeout", 60)).block(WAIT);
    rbac = Rbac.of(registry.stub("root"));
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void usersRolesAndGrantsRoundTripAndTheNewPasswordIsAccepted() {
    String user = CollectionsAndSearchAgainstMilvusLiteTest.name("u");
    String role = CollectionsAndSearchAgainstMilvusLiteTest.name("r");
    try {
      rbac.createUser(user, "first-Passw0rd").block(WAIT);
      rbac.createRole(role).block(WAIT);
      assertThat(rbac.listUsers().block(WAIT)).contains(user, "root");
      assertThat(rbac.listRoles().block(WAIT)).contains(role, "admin", "public");
      rbac.grantRole(user, role).block(WAIT);
      assertThat(rbac.describeUser(user).block(WAIT)).containsExactly(role);
      assertThat(rbac.usersOfRole(role).block(WAIT)).containsExactly(user);

      rbac.grantPrivilege(role, "Collection", "Query", "*", null).block(WAIT);
      rbac.grantPrivilege(role, "Global", "DescribeCollection", "*", null).block(WAIT);
      assertThat(rbac.describeRole(role, null).block(WAIT))
          .contains(new Rbac.Grant(role, "Collection", "*", "default", "Query", "root"),
              new Rbac.Grant(role, "Global", "*", "default", "DescribeCollection", "root"));
      rbac.revokePrivilege(role, "Global", "DescribeCollection", "*", null).block(WAIT);
      assertThat(rbac.describeRole(role, null).block(WAIT)).extracting(Rbac.Grant::privilege).containsExactly("Query");

      rbac.updatePassword(user, "first-Passw0rd", "second-Passw0rd").block(WAIT);
      registry.addConnection("new", Map.of("uri", milvus.uri(), "user", user, "password", "second-Passw0rd")).block(WAIT);
      assertThat(registry.stub("new").getVersion().block(WAIT)).isNotEmpty();

      rbac.revokeRole(user, role).block(WAIT);
      assertThat(rbac.describeUser(user).block(WAIT)).isEmpty();
      // Milvus 2.3.5 ignores force_drop: a role is dropped once its grants are revoked
      rbac.revokePrivilege(role, "Collection", "Query", "*", null).block(WAIT);
      assertThat(rbac.describeRole(role, null).block(WAIT)).isEmpty();
    } finally {
      rbac.dropRole(role, true).onErrorComplete().block(WAIT);
      rbac.dropUser(user).onErrorComplete().block(WAIT);
    }
    assertThat(rbac.listUsers().block(WAIT)).doesNotContain(user);
    assertThat(rbac.listRoles().block(WAIT)).doesNotContain(role);
  }

  @Test
  void aUserGrantedOnlyReadsIsRefusedAWriteWithPermissionDenied() {
    String user = CollectionsAndSearchAgainstMilvusLiteTest.name("reader");
    String role = CollectionsAndSearchAgainstMilvusLiteTest.name("readonly");
    String collection = CollectionsAndSearchAgainstMilvusLiteTest.name("guarded");
    MilvusClient root = MilvusClient.of(registry, "root");
    try {
      root.createCollection(collection, 4, "L2").block(WAIT);
      root.insert(collection, Flux.just(Map.of("id", 1L, "vector", new float[] {1, 0, 0, 0}))).blockLast(WAIT);
      rbac.createUser(user, "reader-Passw0rd").block(WAIT);
      rbac.createRole(role).block(WAIT);
      rbac.grantRole(user, role).block(WAIT);
      rbac.grantPrivilege(role, "Collection", "Query", collection, null).block(WAIT);
      rbac.grantPrivilege(role, "Global", "DescribeCollection", "*", null).block(WAIT);
      registry.addConnection("reader", Map.of("uri", milvus.uri(), "user", user, "password", "reader-Passw0rd")).block(WAIT);
      MilvusClient reader = MilvusClient.of(registry, "reader");

      // Milvus 2.3.5 refreshes the proxies' privilege cache after the grant call returns: reads are
      // refused for a moment, so the first read waits for the grant to reach the proxy
      assertThat(reader.query(Query.builder(collection).filter("id >= 0").consistency(ConsistencyLevel.STRONG).build())
          .retryWhen(Retry.fixedDelay(150, Duration.ofMillis(200)).filter(RbacAgainstMilvusStandaloneTest::permissionDenied))
          .block(WAIT)).hasSize(1);
      MilvusConnectionException refused = failure(reader.insert(collection,
          Flux.just(Map.<String, Object>of("id", 2L, "vector", new float[] {0, 1, 0, 0}))).then());
      assertThat(refused.kind()).isEqualTo(FailureKind.PERMISSION_DENIED);
      assertThat(refused.alias()).isEqualTo("reader");
      assertThat(refused.getMessage()).contains("permission denied").doesNotContain("reader-Passw0rd");
      assertThat(failure(Partitions.of(registry.stub("reader")).create(collection, "p1")).kind())
          .isEqualTo(FailureKind.PERMISSION_DENIED);
      assertThat(root.get(collection, List.of(2L)).block(WAIT)).isEmpty();
    } finally {
      root.dropCollection(collection).onErrorComplete().block(WAIT);
      rbac.revokePrivilege(role, "Collection", "Query", collection, null).onErrorComplete().block(WAIT);
      rbac.revokePrivilege(role, "Global", "DescribeCollection", "*", null).onErrorComplete().block(WAIT);
      rbac.dropRole(role, true).onErrorComplete().block(WAIT);
      rbac.dropUser(user).onErrorComplete().block(WAIT);
    }
  }

  @Test
  void operationsThisServerLacksFailAsUnimplemented() {
    for (Mono<?> call : List.<Mono<?>>of(rbac.createPrivilegeGroup("g"), rbac.listPrivilegeGroups(), rbac.alterRole("admin", "d"),
        rbac.grantPrivilegeV2("public", "Query", "*", "*"))) {
      MilvusConnectionException e = failure(call);
      assertThat(e.kind()).isEqualTo(FailureKind.RPC);
      assertThat(e.grpcStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNIMPLEMENTED);
    }
  }

  @Test
  void resourceGroupsAreCreatedDescribedGivenANodeAndDropped() {
    ResourceGroups groups = ResourceGroups.of(registry.stub("root"));
    String group = CollectionsAndSearchAgainstMilvusLiteTest.name("rg");
    groups.create(group, ResourceGroups.Config.of(0, 0)).block(WAIT);
    try {
      assertThat(groups.list().block(WAIT)).contains(group, ResourceGroups.DEFAULT_GROUP);
      ResourceGroups.Description empty = groups.describe(group).block(WAIT);
      assertThat(empty.name()).isEqualTo(group);
      assertThat(empty.availableNodes()).isZero();
      int nodes = groups.describe(ResourceGroups.DEFAULT_GROUP).block(WAIT).availableNodes();
      assertThat(nodes).isPositive();
      groups.transferNode(ResourceGroups.DEFAULT_GROUP, group, 1).block(WAIT);
      assertThat(groups.describe(group).block(WAIT).availableNodes()).isEqualTo(1);
      groups.transferNode(group, ResourceGroups.DEFAULT_GROUP, 1).block(WAIT);
      assertThat(groups.describe(ResourceGroups.DEFAULT_GROUP).block(WAIT).availableNodes()).isEqualTo(nodes);
    } finally {
      groups.drop(group).block(WAIT);
    }
    assertThat(groups.list().block(WAIT)).doesNotContain(group);
  }

  private static boolean permissionDenied(Throwable e) {
    return e instanceof MilvusConnectionException failure && failure.kind() == FailureKind.PERMISSION_DENIED;
  }

  static MilvusConnectionException failure(Mono<?> call) {
    try {
      call.block(WAIT);
    } catch (MilvusConnectionException e) {
      return e;
    }
    throw new AssertionError("expected a MilvusConnectionException");
  }
}
