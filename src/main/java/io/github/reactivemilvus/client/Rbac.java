package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.proto.AlterRoleRequest;
import io.github.reactivemilvus.proto.AddUserTagsRequest;
import io.github.reactivemilvus.proto.CreateRowPolicyRequest;
import io.github.reactivemilvus.proto.DeleteUserTagsRequest;
import io.github.reactivemilvus.proto.DropRowPolicyRequest;
import io.github.reactivemilvus.proto.GetUserTagsRequest;
import io.github.reactivemilvus.proto.ListRowPoliciesRequest;
import io.github.reactivemilvus.proto.ListUsersWithTagRequest;
import io.github.reactivemilvus.proto.RowPolicyAction;
import io.github.reactivemilvus.proto.CreateCredentialRequest;
import io.github.reactivemilvus.proto.CreatePrivilegeGroupRequest;
import io.github.reactivemilvus.proto.CreateRoleRequest;
import io.github.reactivemilvus.proto.DeleteCredentialRequest;
import io.github.reactivemilvus.proto.DropPrivilegeGroupRequest;
import io.github.reactivemilvus.proto.DropRoleRequest;
import io.github.reactivemilvus.proto.GrantEntity;
import io.github.reactivemilvus.proto.GrantorEntity;
import io.github.reactivemilvus.proto.ListCredUsersRequest;
import io.github.reactivemilvus.proto.ListPrivilegeGroupsRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ObjectEntity;
import io.github.reactivemilvus.proto.OperatePrivilegeGroupRequest;
import io.github.reactivemilvus.proto.OperatePrivilegeGroupType;
import io.github.reactivemilvus.proto.OperatePrivilegeRequest;
import io.github.reactivemilvus.proto.OperatePrivilegeType;
import io.github.reactivemilvus.proto.OperatePrivilegeV2Request;
import io.github.reactivemilvus.proto.OperateUserRoleRequest;
import io.github.reactivemilvus.proto.OperateUserRoleType;
import io.github.reactivemilvus.proto.PrivilegeEntity;
import io.github.reactivemilvus.proto.RoleEntity;
import io.github.reactivemilvus.proto.SelectGrantRequest;
import io.github.reactivemilvus.proto.SelectRoleRequest;
import io.github.reactivemilvus.proto.SelectUserRequest;
import io.github.reactivemilvus.proto.UpdateCredentialRequest;
import io.github.reactivemilvus.proto.UserEntity;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Users, roles, privileges and privilege groups (role-based access control; the server must run with
 * authorization on). Names follow pymilvus. Cold {@link Mono}s over {@link MilvusStub#call}: the alias's
 * headers (its credentials and database), deadline, limits and retry policy. A refusal for lack of a
 * privilege fails with a {@link io.github.reactivemilvus.MilvusConnectionException} of kind
 * {@link io.github.reactivemilvus.FailureKind#PERMISSION_DENIED}. Passwords are sent Base64-encoded, as
 * Milvus expects, and never appear in a message. Immutable and thread-safe.
 */
public final class Rbac {
  /** The database name that stands for every database in a grant. */
  public static final String ALL_DATABASES = "*";
  private final MilvusStub stub;

  Rbac(MilvusStub stub) {
    this.stub = stub;
  }

  /** The access-control operations over {@code stub}. */
  public static Rbac of(MilvusStub stub) {
    return new Rbac(Objects.requireNonNull(stub, "stub"));
  }

  /**
   * A privilege granted to a role: on object {@code objectName} (a collection name, or {@code *}) of type
   * {@code objectType} ({@code Global}, {@code Collection} or {@code User}) in database {@code dbName}, by
   * user {@code grantor}.
   */
  public record Grant(String role, String objectType, String objectName, String dbName, String privilege, String grantor) { }

  /** A privilege group and the privileges in it. */
  public record PrivilegeGroup(String name, List<String> privileges) {
    /** Copies {@code privileges}. */
    public PrivilegeGroup {
      privileges = List.copyOf(privileges);
    }
  }

  // ---- users ----

  /** The user names. A read. */
  @Rpc(value = "ListCredUsers", sdk = "listUsers")
  public Mono<List<String>> listUsers() {
    return stub.call(MilvusServiceGrpc.getListCredUsersMethod(), ListCredUsersRequest.getDefaultInstance())
        .map(r -> List.copyOf(r.getUsernamesList()));
  }

  /** The roles granted to {@code user} (empty for an unknown user). A read. */
  @Rpc(value = "SelectUser", sdk = "describeUser")
  public Mono<List<String>> describeUser(String user) {
    SelectUserRequest request = SelectUserRequest.newBuilder()
        .setUser(UserEntity.newBuilder().setName(Props.requireName(user, "user"))).setIncludeRoleInfo(true).build();
    return stub.call(MilvusServiceGrpc.getSelectUserMethod(), request)
        .map(r -> r.getResultsList().stream().flatMap(u -> u.getRolesList().stream()).map(RoleEntity::getName).toList());
  }

  /** Creates user {@code user} with {@code password}. A write. */
  @Rpc(value = "CreateCredential", sdk = "createUser")
  public Mono<Void> createUser(String user, String password) {
    CreateCredentialRequest request = CreateCredentialRequest.newBuilder().setUsername(Props.requireName(user, "user"))
        .setPassword(encode(password)).build();
    return stub.call(MilvusServiceGrpc.getCreateCredentialMethod(), request).then();
  }

  /** Changes the password of {@code user}; the server checks {@code oldPassword}. A write. */
  @Rpc(value = "UpdateCredential", sdk = "updatePassword")
  public Mono<Void> updatePassword(String user, String oldPassword, String newPassword) {
    UpdateCredentialRequest request = UpdateCredentialRequest.newBuilder().setUsername(Props.requireName(user, "user"))
        .setOldPassword(encode(oldPassword)).setNewPassword(encode(newPassword)).build();
    return stub.call(MilvusServiceGrpc.getUpdateCredentialMethod(), request).then();
  }

  /** Drops user {@code user}. A write. */
  @Rpc(value = "DeleteCredential", sdk = "dropUser")
  public Mono<Void> dropUser(String user) {
    return stub.call(MilvusServiceGrpc.getDeleteCredentialMethod(),
        DeleteCredentialRequest.newBuilder().setUsername(Props.requireName(user, "user")).build()).then();
  }

  private static String encode(String password) {
    Objects.requireNonNull(password, "password");
    return Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
  }

  // ---- roles ----

  /** The role names. A read. */
  @Rpc(value = "SelectRole", sdk = "listRoles")
  public Mono<List<String>> listRoles() {
    return stub.call(MilvusServiceGrpc.getSelectRoleMethod(), SelectRoleRequest.getDefaultInstance())
        .map(r -> r.getResultsList().stream().map(x -> x.getRole().getName()).toList());
  }

  /** The users granted role {@code role}. A read. */
  @Rpc(value = "SelectRole", sdk = {})
  public Mono<List<String>> usersOfRole(String role) {
    SelectRoleRequest request = SelectRoleRequest.newBuilder().setRole(RoleEntity.newBuilder().setName(Props.requireName(role, "role")))
        .setIncludeUserInfo(true).build();
    return stub.call(MilvusServiceGrpc.getSelectRoleMethod(), request)
        .map(r -> r.getResultsList().stream().flatMap(x -> x.getUsersList().stream()).map(UserEntity::getName).toList());
  }

  /** Creates role {@code role}. A write. */
  @Rpc(value = "CreateRole", sdk = "createRole")
  public Mono<Void> createRole(String role) {
    return stub.call(MilvusServiceGrpc.getCreateRoleMethod(), CreateRoleRequest.newBuilder()
        .setEntity(RoleEntity.newBuilder().setName(Props.requireName(role, "role"))).build()).then();
  }

  /** Sets the description of role {@code role}. A write. */
  @Rpc(value = "AlterRole", sdk = "alterRole")
  public Mono<Void> alterRole(String role, String description) {
    return stub.call(MilvusServiceGrpc.getAlterRoleMethod(), AlterRoleRequest.newBuilder()
        .setRoleName(Props.requireName(role, "role")).setDescription(Objects.requireNonNull(description, "description")).build())
        .then();
  }

  /** Drops role {@code role}; with {@code force} its grants go too (else the server refuses a role with grants). A write. */
  @Rpc(value = "DropRole", sdk = "dropRole")
  public Mono<Void> dropRole(String role, boolean force) {
    return stub.call(MilvusServiceGrpc.getDropRoleMethod(), DropRoleRequest.newBuilder()
        .setRoleName(Props.requireName(role, "role")).setForceDrop(force).build()).then();
  }

  /** Grants role {@code role} to user {@code user}. A write. */
  @Rpc(value = "OperateUserRole", sdk = "grantRole")
  public Mono<Void> grantRole(String user, String role) {
    return operateUserRole(user, role, OperateUserRoleType.AddUserToRole);
  }

  /** Takes role {@code role} from user {@code user}. A write. */
  @Rpc(value = "OperateUserRole", sdk = "revokeRole")
  public Mono<Void> revokeRole(String user, String role) {
    return operateUserRole(user, role, OperateUserRoleType.RemoveUserFromRole);
  }

  private Mono<Void> operateUserRole(String user, String role, OperateUserRoleType type) {
    return stub.call(MilvusServiceGrpc.getOperateUserRoleMethod(), OperateUserRoleRequest.newBuilder()
        .setUsername(Props.requireName(user, "user")).setRoleName(Props.requireName(role, "role")).setType(type).build()).then();
  }

  // ---- privileges ----

  /**
   * The grants of role {@code role} in database {@code dbName} (null: the alias's database; {@link #ALL_DATABASES}
   * for grants on every database). A read.
   */
  @Rpc(value = "SelectGrant", sdk = "describeRole")
  public Mono<List<Grant>> describeRole(String role, @org.jspecify.annotations.Nullable String dbName) {
    GrantEntity.Builder entity = GrantEntity.newBuilder().setRole(RoleEntity.newBuilder().setName(Props.requireName(role, "role")));
    if (dbName != null) {
      entity.setDbName(dbName);
    }
    return stub.call(MilvusServiceGrpc.getSelectGrantMethod(), SelectGrantRequest.newBuilder().setEntity(entity).build())
        .map(r -> r.getEntitiesList().stream().map(g -> new Grant(g.getRole().getName(), g.getObject().getName(),
            g.getObjectName(), g.getDbName(), g.getGrantor().getPrivilege().getName(), g.getGrantor().getUser().getName()))
            .toList());
  }

  /**
   * Grants {@code privilege} (for example {@code Search}, {@code Insert}) on object {@code objectName} of type
   * {@code objectType} ({@code Global}, {@code Collection}, {@code User}) in database {@code dbName} (null: the
   * alias's database) to role {@code role}. A write.
   */
  @Rpc(value = "OperatePrivilege", sdk = "grantPrivilege")
  public Mono<Void> grantPrivilege(String role, String objectType, String privilege, String objectName,
      @org.jspecify.annotations.Nullable String dbName) {
    return operatePrivilege(role, objectType, privilege, objectName, dbName, OperatePrivilegeType.Grant);
  }

  /** Revokes what {@link #grantPrivilege} granted. A write. */
  @Rpc(value = "OperatePrivilege", sdk = "revokePrivilege")
  public Mono<Void> revokePrivilege(String role, String objectType, String privilege, String objectName,
      @org.jspecify.annotations.Nullable String dbName) {
    return operatePrivilege(role, objectType, privilege, objectName, dbName, OperatePrivilegeType.Revoke);
  }

  private Mono<Void> operatePrivilege(String role, String objectType, String privilege, String objectName,
      @org.jspecify.annotations.Nullable String dbName, OperatePrivilegeType type) {
    GrantEntity.Builder entity = GrantEntity.newBuilder()
        .setRole(RoleEntity.newBuilder().setName(Props.requireName(role, "role")))
        .setObject(ObjectEntity.newBuilder().setName(Props.requireName(objectType, "object type")))
        .setObjectName(Props.requireName(objectName, "object name"))
        .setGrantor(GrantorEntity.newBuilder().setPrivilege(PrivilegeEntity.newBuilder()
            .setName(Props.requireName(privilege, "privilege"))));
    if (dbName != null) {
      entity.setDbName(dbName);
    }
    return stub.call(MilvusServiceGrpc.getOperatePrivilegeMethod(),
        OperatePrivilegeRequest.newBuilder().setEntity(entity).setType(type).build()).then();
  }

  /**
   * Grants {@code privilege} (a privilege or a privilege group, for example {@code CollectionReadOnly}) on
   * {@code collection} ({@code *}: all) of {@code dbName} ({@code *}: all) to {@code role}: the form of
   * Milvus 2.5 and later. A write.
   */
  @Rpc(value = "OperatePrivilegeV2", sdk = "grantPrivilegeV2")
  public Mono<Void> grantPrivilegeV2(String role, String privilege, String dbName, String collection) {
    return operatePrivilegeV2(role, privilege, dbName, collection, OperatePrivilegeType.Grant);
  }

  /** Revokes what {@link #grantPrivilegeV2} granted. A write. */
  @Rpc(value = "OperatePrivilegeV2", sdk = "revokePrivilegeV2")
  public Mono<Void> revokePrivilegeV2(String role, String privilege, String dbName, String collection) {
    return operatePrivilegeV2(role, privilege, dbName, collection, OperatePrivilegeType.Revoke);
  }

  private Mono<Void> operatePrivilegeV2(String role, String privilege, String dbName, String collection,
      OperatePrivilegeType type) {
    OperatePrivilegeV2Request request = OperatePrivilegeV2Request.newBuilder()
        .setRole(RoleEntity.newBuilder().setName(Props.requireName(role, "role")))
        .setGrantor(GrantorEntity.newBuilder().setPrivilege(PrivilegeEntity.newBuilder()
            .setName(Props.requireName(privilege, "privilege"))))
        .setType(type).setDbName(Props.requireName(dbName, "database name"))
        .setCollectionName(Props.requireName(collection, "collection")).build();
    return stub.call(MilvusServiceGrpc.getOperatePrivilegeV2Method(), request).then();
  }

  // ---- privilege groups ----

  /** Creates an empty privilege group. A write. */
  @Rpc(value = "CreatePrivilegeGroup", sdk = "createPrivilegeGroup")
  public Mono<Void> createPrivilegeGroup(String group) {
    return stub.call(MilvusServiceGrpc.getCreatePrivilegeGroupMethod(),
        CreatePrivilegeGroupRequest.newBuilder().setGroupName(Props.requireName(group, "privilege group")).build()).then();
  }

  /** Drops a privilege group. A write. */
  @Rpc(value = "DropPrivilegeGroup", sdk = "dropPrivilegeGroup")
  public Mono<Void> dropPrivilegeGroup(String group) {
    return stub.call(MilvusServiceGrpc.getDropPrivilegeGroupMethod(),
        DropPrivilegeGroupRequest.newBuilder().setGroupName(Props.requireName(group, "privilege group")).build()).then();
  }

  /** The privilege groups (built-in ones included) with their privileges. A read. */
  @Rpc(value = "ListPrivilegeGroups", sdk = "listPrivilegeGroups")
  public Mono<List<PrivilegeGroup>> listPrivilegeGroups() {
    return stub.call(MilvusServiceGrpc.getListPrivilegeGroupsMethod(), ListPrivilegeGroupsRequest.getDefaultInstance())
        .map(r -> r.getPrivilegeGroupsList().stream().map(g -> new PrivilegeGroup(g.getGroupName(),
            g.getPrivilegesList().stream().map(PrivilegeEntity::getName).toList())).toList());
  }

  /** Adds {@code privileges} to a privilege group. A write. */
  @Rpc(value = "OperatePrivilegeGroup", sdk = "addPrivilegesToGroup")
  public Mono<Void> addPrivilegesToGroup(String group, Collection<String> privileges) {
    return operateGroup(group, privileges, OperatePrivilegeGroupType.AddPrivilegesToGroup);
  }

  /** Removes {@code privileges} from a privilege group. A write. */
  @Rpc(value = "OperatePrivilegeGroup", sdk = "removePrivilegesFromGroup")
  public Mono<Void> removePrivilegesFromGroup(String group, Collection<String> privileges) {
    return operateGroup(group, privileges, OperatePrivilegeGroupType.RemovePrivilegesFromGroup);
  }

  private Mono<Void> operateGroup(String group, Collection<String> privileges, OperatePrivilegeGroupType type) {
    OperatePrivilegeGroupRequest request = OperatePrivilegeGroupRequest.newBuilder()
        .setGroupName(Props.requireName(group, "privilege group")).setType(type)
        .addAllPrivileges(Props.names(privileges, "privileges").stream()
            .map(p -> PrivilegeEntity.newBuilder().setName(p).build()).toList()).build();
    return stub.call(MilvusServiceGrpc.getOperatePrivilegeGroupMethod(), request).then();
  }

  // ---- user tags ----

  /** Sets tags (key-value labels) on user {@code user}. A write. */
  @Rpc(value = "AddUserTags", sdk = {})
  public Mono<Void> addUserTags(String user, Map<String, String> tags) {
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("tags must not be empty");
    }
    tags.forEach((k, v) -> Objects.requireNonNull(v, () -> "value of tag " + k));
    return stub.call(MilvusServiceGrpc.getAddUserTagsMethod(), AddUserTagsRequest.newBuilder()
        .setUserName(Props.requireName(user, "user")).putAllTags(tags).build()).then();
  }

  /** Removes tags of user {@code user} by key. A write. */
  @Rpc(value = "DeleteUserTags", sdk = {})
  public Mono<Void> deleteUserTags(String user, Collection<String> keys) {
    return stub.call(MilvusServiceGrpc.getDeleteUserTagsMethod(), DeleteUserTagsRequest.newBuilder()
        .setUserName(Props.requireName(user, "user")).addAllTagKeys(Props.names(keys, "tag keys")).build()).then();
  }

  /** The tags of user {@code user}. A read. */
  @Rpc(value = "GetUserTags", sdk = {})
  public Mono<Map<String, String>> getUserTags(String user) {
    return stub.call(MilvusServiceGrpc.getGetUserTagsMethod(),
        GetUserTagsRequest.newBuilder().setUserName(Props.requireName(user, "user")).build()).map(r -> Map.copyOf(r.getTagsMap()));
  }

  /** The users whose tag {@code key} has value {@code value}. A read. */
  @Rpc(value = "ListUsersWithTag", sdk = {})
  public Mono<List<String>> listUsersWithTag(String key, String value) {
    return stub.call(MilvusServiceGrpc.getListUsersWithTagMethod(), ListUsersWithTagRequest.newBuilder()
        .setTagKey(Props.requireName(key, "tag key")).setTagValue(Objects.requireNonNull(value, "value")).build())
        .map(r -> List.copyOf(r.getUserNamesList()));
  }

  // ---- row policies ----

  /** What a row policy controls. */
  public enum RowAction {
    /** Queries see only rows matching the policy's filter. */
    QUERY,
    /** Searches see only rows matching the policy's filter. */
    SEARCH,
    /** Inserted rows must pass the policy's check. */
    INSERT,
    /** Deletes reach only rows matching the policy's filter. */
    DELETE,
    /** Upserted rows must pass the policy's check. */
    UPSERT
  }

  /**
   * A row-level security policy of a collection: for {@code roles} and {@code actions}, reads and deletes see
   * only rows matching {@code usingExpr}, writes must pass {@code checkExpr}.
   */
  public record RowPolicy(String name, Set<RowAction> actions, List<String> roles, String usingExpr, String checkExpr,
      String description) {
    /** Copies the set and list. */
    public RowPolicy {
      actions = Set.copyOf(actions);
      roles = List.copyOf(roles);
    }
  }

  /** Creates a row policy on {@code collection} ({@code description} and {@code createdAt} are the server's). A write. */
  @Rpc(value = "CreateRowPolicy", sdk = {})
  public Mono<Void> createRowPolicy(String collection, RowPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    CreateRowPolicyRequest request = CreateRowPolicyRequest.newBuilder().setCollectionName(Props.requireName(collection, "collection"))
        .setPolicyName(Props.requireName(policy.name(), "policy name"))
        .addAllActions(policy.actions().stream().sorted().map(a -> RowPolicyAction.forNumber(a.ordinal())).toList())
        .addAllRoles(policy.roles()).setUsingExpr(policy.usingExpr()).setCheckExpr(policy.checkExpr()).build();
    return stub.call(MilvusServiceGrpc.getCreateRowPolicyMethod(), request).then();
  }

  /** Drops row policy {@code policy} of {@code collection}. A write. */
  @Rpc(value = "DropRowPolicy", sdk = {})
  public Mono<Void> dropRowPolicy(String collection, String policy) {
    return stub.call(MilvusServiceGrpc.getDropRowPolicyMethod(), DropRowPolicyRequest.newBuilder()
        .setCollectionName(Props.requireName(collection, "collection")).setPolicyName(Props.requireName(policy, "policy name"))
        .build()).then();
  }

  /** The row policies of {@code collection}. A read. */
  @Rpc(value = "ListRowPolicies", sdk = {})
  public Mono<List<RowPolicy>> listRowPolicies(String collection) {
    return stub.call(MilvusServiceGrpc.getListRowPoliciesMethod(), ListRowPoliciesRequest.newBuilder()
        .setCollectionName(Props.requireName(collection, "collection")).build())
        .map(r -> r.getPoliciesList().stream().map(p -> new RowPolicy(p.getPolicyName(),
            p.getActionsList().stream().map(a -> RowAction.values()[a.getNumber()]).collect(java.util.stream.Collectors.toSet()),
            p.getRolesList(), p.getUsingExpr(), p.getCheckExpr(), p.getDescription())).toList());
  }
}
