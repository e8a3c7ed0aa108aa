package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.proto.CreateResourceGroupRequest;
import io.github.reactivemilvus.proto.DescribeResourceGroupRequest;
import io.github.reactivemilvus.proto.DropResourceGroupRequest;
import io.github.reactivemilvus.proto.KeyValuePair;
import io.github.reactivemilvus.proto.ListResourceGroupsRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.TransferNodeRequest;
import io.github.reactivemilvus.proto.TransferReplicaRequest;
import io.github.reactivemilvus.proto.UpdateResourceGroupsRequest;
import io.github.reactivemilvus.proto.ResourceGroupLimit;
import io.github.reactivemilvus.proto.ResourceGroupNodeFilter;
import io.github.reactivemilvus.proto.ResourceGroupTransfer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Resource groups: query nodes set apart for some collections' replicas. Cold {@link Mono}s over
 * {@link MilvusStub#call}: the alias's headers, deadline, limits and retry policy; a non-success status
 * fails with a {@link io.github.reactivemilvus.MilvusConnectionException}. Immutable and thread-safe.
 */
public final class ResourceGroups {
  /** The resource group every node starts in. */
  public static final String DEFAULT_GROUP = "__default_resource_group";
  private final MilvusStub stub;

  ResourceGroups(MilvusStub stub) {
    this.stub = stub;
  }

  /** The resource-group operations over {@code stub}. */
  public static ResourceGroups of(MilvusStub stub) {
    return new ResourceGroups(Objects.requireNonNull(stub, "stub"));
  }

  /**
   * How many nodes a group asks for ({@code requests}) and keeps at most ({@code limits}), which groups it
   * takes missing nodes from and gives spare nodes to, in order, and the labels its nodes must carry.
   */
  public record Config(int requests, int limits, List<String> transferFrom, List<String> transferTo,
      Map<String, String> nodeLabels) {
    /** Checks the numbers and copies the lists. */
    public Config {
      if (requests < 0 || limits < 0) {
        throw new IllegalArgumentException("requests and limits must not be negative, were " + requests + " and " + limits);
      }
      transferFrom = List.copyOf(transferFrom);
      transferTo = List.copyOf(transferTo);
      nodeLabels = Map.copyOf(nodeLabels);
    }

    /** A group asking for {@code requests} nodes and keeping at most {@code limits}, without transfers or labels. */
    public static Config of(int requests, int limits) {
      return new Config(requests, limits, List.of(), List.of(), Map.of());
    }

    io.github.reactivemilvus.proto.ResourceGroupConfig toProto() {
      return io.github.reactivemilvus.proto.ResourceGroupConfig.newBuilder()
          .setRequests(ResourceGroupLimit.newBuilder().setNodeNum(requests))
          .setLimits(ResourceGroupLimit.newBuilder().setNodeNum(limits))
          .addAllTransferFrom(transferFrom.stream().map(g -> ResourceGroupTransfer.newBuilder().setResourceGroup(g).build()).toList())
          .addAllTransferTo(transferTo.stream().map(g -> ResourceGroupTransfer.newBuilder().setResourceGroup(g).build()).toList())
          .setNodeFilter(ResourceGroupNodeFilter.newBuilder().addAllNodeLabels(Props.toPairs(nodeLabels))).build();
    }

    static Config of(io.github.reactivemilvus.proto.ResourceGroupConfig c) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (KeyValuePair p : c.getNodeFilter().getNodeLabelsList()) {
        labels.put(p.getKey(), p.getValue());
      }
      return new Config(c.getRequests().getNodeNum(), c.getLimits().getNodeNum(),
          c.getTransferFromList().stream().map(ResourceGroupTransfer::getResourceGroup).toList(),
          c.getTransferToList().stream().map(ResourceGroupTransfer::getResourceGroup).toList(), labels);
    }
  }

  /** A query node: its id, address and host name. */
  public record Node(long id, String address, String hostname) { }

  /**
   * A resource group as the server describes it: capacity and available nodes, loaded replicas and nodes
   * lent out or borrowed per collection, its config (the server's defaults on servers without configs) and
   * its nodes.
   */
  public record Description(String name, int capacity, int availableNodes, Map<String, Integer> loadedReplicas,
      Map<String, Integer> outgoingNodes, Map<String, Integer> incomingNodes, Config config, List<Node> nodes) {
    /** Copies the maps and lists. */
    public Description {
      loadedReplicas = Map.copyOf(loadedReplicas);
      outgoingNodes = Map.copyOf(outgoingNodes);
      incomingNodes = Map.copyOf(incomingNodes);
      nodes = List.copyOf(nodes);
    }
  }

  /** Creates resource group {@code name} with {@code config}. A write. */
  @Rpc(value = "CreateResourceGroup", sdk = "createResourceGroup")
  public Mono<Void> create(String name, Config config) {
    Objects.requireNonNull(config, "config");
    return stub.call(MilvusServiceGrpc.getCreateResourceGroupMethod(), CreateResourceGroupRequest.newBuilder()
        .setResourceGroup(Props.requireName(name, "resource group")).setConfig(config.toProto()).build()).then();
  }

  /** Replaces the configs of the named groups, all in one request. A write. */
  @Rpc(value = "UpdateResourceGroups", sdk = "updateResourceGroups")
  public Mono<Void> update(Map<String, Config> configs) {
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("configs must not be empty");
    }
    UpdateResourceGroupsRequest.Builder request = UpdateResourceGroupsRequest.newBuilder();
    configs.forEach((name, config) -> request.putResourceGroups(Props.requireName(name, "resource group"),
        Objects.requireNonNull(config, "config").toProto()));
    return stub.call(MilvusServiceGrpc.getUpdateResourceGroupsMethod(), request.build()).then();
  }

  /** Drops resource group {@code name} (the server refuses one with nodes or replicas). A write. */
  @Rpc(value = "DropResourceGroup", sdk = "dropResourceGroup")
  public Mono<Void> drop(String name) {
    return stub.call(MilvusServiceGrpc.getDropResourceGroupMethod(),
        DropResourceGroupRequest.newBuilder().setResourceGroup(Props.requireName(name, "resource group")).build()).then();
  }

  /** The resource group names, {@link #DEFAULT_GROUP} included. A read. */
  @Rpc(value = "ListResourceGroups", sdk = "listResourceGroups")
  public Mono<List<String>> list() {
    return stub.call(MilvusServiceGrpc.getListResourceGroupsMethod(), ListResourceGroupsRequest.getDefaultInstance())
        .map(r -> List.copyOf(r.getResourceGroupsList()));
  }

  /** What the server says about resource group {@code name}; an unknown group fails the Mono. A read. */
  @Rpc(value = "DescribeResourceGroup", sdk = "describeResourceGroup")
  public Mono<Description> describe(String name) {
    return stub.call(MilvusServiceGrpc.getDescribeResourceGroupMethod(),
        DescribeResourceGroupRequest.newBuilder().setResourceGroup(Props.requireName(name, "resource group")).build())
        .map(r -> {
          io.github.reactivemilvus.proto.ResourceGroup g = r.getResourceGroup();
          return new Description(g.getName(), g.getCapacity(), g.getNumAvailableNode(), g.getNumLoadedReplicaMap(),
              g.getNumOutgoingNodeMap(), g.getNumIncomingNodeMap(), Config.of(g.getConfig()),
              g.getNodesList().stream().map(n -> new Node(n.getNodeId(), n.getAddress(), n.getHostname())).toList());
        });
  }

  /** Moves {@code nodes} query nodes from group {@code source} to group {@code target}. A write. */
  @Rpc(value = "TransferNode", sdk = "transferNode")
  public Mono<Void> transferNode(String source, String target, int nodes) {
    if (nodes <= 0) {
      throw new IllegalArgumentException("nodes must be positive, was " + nodes);
    }
    return stub.call(MilvusServiceGrpc.getTransferNodeMethod(), TransferNodeRequest.newBuilder()
        .setSourceResourceGroup(Props.requireName(source, "source group"))
        .setTargetResourceGroup(Props.requireName(target, "target group")).setNumNode(nodes).build()).then();
  }

  /** Moves {@code replicas} replicas of {@code collection} from group {@code source} to group {@code target}. A write. */
  @Rpc(value = "TransferReplica", sdk = "transferReplica")
  public Mono<Void> transferReplica(String source, String target, String collection, long replicas) {
    if (replicas <= 0) {
      throw new IllegalArgumentException("replicas must be positive, was " + replicas);
    }
    return stub.call(MilvusServiceGrpc.getTransferReplicaMethod(), TransferReplicaRequest.newBuilder()
        .setSourceResourceGroup(Props.requireName(source, "source group"))
        .setTargetResourceGroup(Props.requireName(target, "target group"))
        .setCollectionName(Props.requireName(collection, "collection")).setNumReplica(replicas).build()).then();
  }
}
