package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.proto.ConnectionParam;
import io.github.reactivemilvus.proto.CrossClusterTopology;
import io.github.reactivemilvus.proto.DumpMessagesRequest;
import io.github.reactivemilvus.proto.GetReplicateConfigurationRequest;
import io.github.reactivemilvus.proto.GetReplicateInfoRequest;
import io.github.reactivemilvus.proto.MessageID;
import io.github.reactivemilvus.proto.MilvusCluster;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.ReplicateCheckpoint;
import io.github.reactivemilvus.proto.ReplicateConfiguration;
import io.github.reactivemilvus.proto.UpdateReplicateConfigurationRequest;
import io.github.reactivemilvus.proto.WALName;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cross-cluster replication (Milvus 2.6 CDC): the replication topology, checkpoints, and the messages of a
 * WAL channel as a stream. Cold publishers over the alias's call path ({@link MilvusStub#call},
 * {@link MilvusStub#serverStream}). Immutable and thread-safe.
 */
public final class Replication {
  private final MilvusStub stub;

  Replication(MilvusStub stub) {
    this.stub = stub;
  }

  /** The replication operations over {@code stub}. */
  public static Replication of(MilvusStub stub) {
    return new Replication(Objects.requireNonNull(stub, "stub"));
  }

  /** A position in a WAL: the id as the WAL spells it, and the WAL's kind (for example {@code Pulsar}, {@code Kafka}). */
  public record MessageId(String id, String wal) {
    MessageID toProto() {
      WALName name;
      try {
        name = WALName.valueOf(wal);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown WAL kind '" + wal + "'; known: " + java.util.Arrays.toString(WALName.values()));
      }
      return MessageID.newBuilder().setId(id).setWALName(name).build();
    }

    static MessageId of(MessageID id) {
      return new MessageId(id.getId(), id.getWALName().name());
    }
  }

  /** How far replication from cluster {@code clusterId}'s channel {@code pchannel} got. */
  public record Checkpoint(String clusterId, String pchannel, MessageId messageId, long timeTick) {
    static Checkpoint of(ReplicateCheckpoint c) {
      return new Checkpoint(c.getClusterId(), c.getPchannel(), MessageId.of(c.getMessageId()), c.getTimeTick());
    }
  }

  /** The replication checkpoint of a channel and the checkpoint to salvage from. */
  public record ReplicateInfo(Checkpoint checkpoint, Checkpoint salvageCheckpoint) { }

  /** A cluster of the topology: its id, address, token (never shown by {@link #toString()}) and WAL channels. */
  public record Cluster(String id, String uri, String token, List<String> pchannels) {
    /** Copies {@code pchannels}. */
    public Cluster {
      pchannels = List.copyOf(pchannels);
    }

    @Override
    public String toString() {
      return "Cluster[id=" + id + ", uri=" + uri + ", token=" + (token.isEmpty() ? "" : "***") + ", pchannels=" + pchannels + "]";
    }
  }

  /** Which cluster replicates to which. */
  public record Topology(String sourceClusterId, String targetClusterId) { }

  /** The clusters taking part in replication and the edges between them. */
  public record Configuration(List<Cluster> clusters, List<Topology> topology) {
    /** Copies the lists. */
    public Configuration {
      clusters = List.copyOf(clusters);
      topology = List.copyOf(topology);
    }

    ReplicateConfiguration toProto() {
      return ReplicateConfiguration.newBuilder()
          .addAllClusters(clusters.stream().map(c -> MilvusCluster.newBuilder().setClusterId(c.id())
              .setConnectionParam(ConnectionParam.newBuilder().setUri(c.uri()).setToken(c.token()))
              .addAllPchannels(c.pchannels()).build()).toList())
          .addAllCrossClusterTopology(topology.stream().map(t -> CrossClusterTopology.newBuilder()
              .setSourceClusterId(t.sourceClusterId()).setTargetClusterId(t.targetClusterId()).build()).toList())
          .build();
    }

    static Configuration of(ReplicateConfiguration c) {
      return new Configuration(c.getClustersList().stream().map(m -> new Cluster(m.getClusterId(),
              m.getConnectionParam().getUri(), m.getConnectionParam().getToken(), m.getPchannelsList())).toList(),
          c.getCrossClusterTopologyList().stream().map(t -> new Topology(t.getSourceClusterId(), t.getTargetClusterId()))
              .toList());
    }
  }

  /** A message of a WAL: its id, body (read-only) and properties. */
  public record WalMessage(MessageId id, ByteBuffer payload, Map<String, String> properties) {
    /** Keeps a read-only view of {@code payload} and copies {@code properties}. */
    public WalMessage {
      payload = payload.asReadOnlyBuffer();
      properties = Map.copyOf(properties);
    }
  }

  /** The replication checkpoints of {@code targetPchannel} for source cluster {@code sourceClusterId}. A read. */
  @Rpc(value = "GetReplicateInfo", sdk = "getReplicateInfo")
  public Mono<ReplicateInfo> getReplicateInfo(String sourceClusterId, String targetPchannel) {
    GetReplicateInfoRequest request = GetReplicateInfoRequest.newBuilder()
        .setSourceClusterId(Props.requireName(sourceClusterId, "source cluster id"))
        .setTargetPchannel(Props.requireName(targetPchannel, "target pchannel")).build();
    return stub.call(MilvusServiceGrpc.getGetReplicateInfoMethod(), request)
        .map(r -> new ReplicateInfo(Checkpoint.of(r.getCheckpoint()), Checkpoint.of(r.getSalvageCheckpoint())));
  }

  /** The replication topology the server runs with. A read. */
  @Rpc(value = "GetReplicateConfiguration", sdk = "getReplicateConfiguration")
  public Mono<Configuration> getReplicateConfiguration() {
    return stub.call(MilvusServiceGrpc.getGetReplicateConfigurationMethod(), GetReplicateConfigurationRequest.getDefaultInstance())
        .map(r -> Configuration.of(r.getConfiguration()));
  }

  /** Replaces the replication topology; {@code forcePromote} makes a secondary the primary. A write. */
  @Rpc(value = "UpdateReplicateConfiguration", sdk = "updateReplicateConfiguration")
  public Mono<Void> updateReplicateConfiguration(Configuration configuration, boolean forcePromote) {
    Objects.requireNonNull(configuration, "configuration");
    return stub.call(MilvusServiceGrpc.getUpdateReplicateConfigurationMethod(), UpdateReplicateConfigurationRequest.newBuilder()
        .setReplicateConfiguration(configuration.toProto()).setForcePromote(forcePromote).build()).then();
  }

  /**
   * The messages of WAL channel {@code pchannel} from {@code start}, with time ticks from {@code startTimeTick}
   * to {@code endTimeTick} (0: no end, the stream runs until cancelled or its deadline), as a stream with
   * demand ({@link MilvusStub#serverStream}): a message is fetched only when asked for. A status message from
   * the server ends the Flux with a {@link io.github.reactivemilvus.MilvusConnectionException}.
   */
  @Rpc(value = "DumpMessages", sdk = "dumpMessages")
  public Flux<WalMessage> dumpMessages(String pchannel, MessageId start, long startTimeTick, long endTimeTick) {
    Objects.requireNonNull(start, "start");
    // the request is built at subscription: a bad position fails the Flux, not this call
    return Flux.defer(() -> stub.serverStream(MilvusServiceGrpc.getDumpMessagesMethod(), DumpMessagesRequest.newBuilder()
            .setPchannel(Props.requireName(pchannel, "pchannel")).setStartMessageId(start.toProto())
            .setStartTimetick(startTimeTick).setEndTimetick(endTimeTick).build()))
        .filter(r -> r.hasMessage())
        .map(r -> new WalMessage(MessageId.of(r.getMessage().getId()), r.getMessage().getPayload().asReadOnlyByteBuffer(),
            r.getMessage().getPropertiesMap()));
  }
}
