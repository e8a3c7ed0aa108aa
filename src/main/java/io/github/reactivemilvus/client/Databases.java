package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.proto.AlterDatabaseRequest;
import io.github.reactivemilvus.proto.CreateDatabaseRequest;
import io.github.reactivemilvus.proto.DescribeDatabaseRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Database operations beyond create/list/drop: properties and the full description. Every operation
 * is a cold {@link Mono} over {@link MilvusStub#call} (the alias's headers, deadline, limits and
 * retry policy; a non-success status fails with a {@link io.github.reactivemilvus.MilvusConnectionException}).
 * Immutable and thread-safe.
 */
public final class Databases {
  private final MilvusStub stub;

  Databases(MilvusStub stub) {
    this.stub = stub;
  }

  /** The database operations over {@code stub}. */
  public static Databases of(MilvusStub stub) {
    return new Databases(Objects.requireNonNull(stub, "stub"));
  }

  /** What the server says about a database. {@code createdTimestamp} is the server's hybrid timestamp. */
  public record DatabaseDescription(String name, long id, long createdTimestamp, Map<String, String> properties) {
    /** Copies {@code properties}. */
    public DatabaseDescription {
      properties = Map.copyOf(properties);
    }
  }

  /** Creates database {@code name} with {@code properties} (for example {@code database.replica.number}). A write. */
  @Rpc(value = "CreateDatabase", sdk = "createDatabase")
  public Mono<Void> create(String name, Map<String, String> properties) {
    Props.requireName(name, "database name");
    CreateDatabaseRequest request = CreateDatabaseRequest.newBuilder().setDbName(name)
        .addAllProperties(Props.toPairs(properties)).build();
    return stub.call(MilvusServiceGrpc.getCreateDatabaseMethod(), request).then();
  }

  /** The database's id, creation timestamp and properties; an unknown database fails the Mono. A read. */
  @Rpc(value = "DescribeDatabase", sdk = "describeDatabase")
  public Mono<DatabaseDescription> describe(String name) {
    Props.requireName(name, "database name");
    return stub.call(MilvusServiceGrpc.getDescribeDatabaseMethod(), DescribeDatabaseRequest.newBuilder().setDbName(name).build())
        .map(r -> new DatabaseDescription(r.getDbName(), r.getDbID(), r.getCreatedTimestamp(),
            Props.toMap(r.getPropertiesList())));
  }

  /** Sets (adds or replaces) database properties. A write. */
  @Rpc(value = "AlterDatabase", sdk = {"alterDatabase", "alterDatabaseProperties"})
  public Mono<Void> alterProperties(String name, Map<String, String> properties) {
    Props.requireName(name, "database name");
    if (properties.isEmpty()) {
      throw new IllegalArgumentException("properties must not be empty");
    }
    AlterDatabaseRequest request = AlterDatabaseRequest.newBuilder().setDbName(name)
        .addAllProperties(Props.toPairs(properties)).build();
    return stub.call(MilvusServiceGrpc.getAlterDatabaseMethod(), request).then();
  }

  /** Removes database properties by key. A write. */
  @Rpc(value = "AlterDatabase", sdk = "dropDatabaseProperties")
  public Mono<Void> dropProperties(String name, Collection<String> keys) {
    Props.requireName(name, "database name");
    AlterDatabaseRequest request = AlterDatabaseRequest.newBuilder().setDbName(name)
        .addAllDeleteKeys(Props.names(keys, "property keys")).build();
    return stub.call(MilvusServiceGrpc.getAlterDatabaseMethod(), request).then();
  }
}
