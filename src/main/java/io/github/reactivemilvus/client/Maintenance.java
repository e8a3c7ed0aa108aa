package io.github.reactivemilvus.client;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ServerHealth;
import io.github.reactivemilvus.proto.AddFileResourceRequest;
import io.github.reactivemilvus.proto.AllocTimestampRequest;
import io.github.reactivemilvus.proto.ConnectRequest;
import io.github.reactivemilvus.proto.FlushAllRequest;
import io.github.reactivemilvus.proto.FlushRequest;
import io.github.reactivemilvus.proto.GetCompactionPlansRequest;
import io.github.reactivemilvus.proto.GetCompactionStateRequest;
import io.github.reactivemilvus.proto.GetFlushAllStateRequest;
import io.github.reactivemilvus.proto.GetFlushStateRequest;
import io.github.reactivemilvus.proto.GetLoadStateRequest;
import io.github.reactivemilvus.proto.GetMetricsRequest;
import io.github.reactivemilvus.proto.GetPersistentSegmentInfoRequest;
import io.github.reactivemilvus.proto.GetQuerySegmentInfoRequest;
import io.github.reactivemilvus.proto.GetVersionRequest;
import io.github.reactivemilvus.proto.LoadCollectionRequest;
import io.github.reactivemilvus.proto.ManualCompactionRequest;
import io.github.reactivemilvus.proto.ListFileResourcesRequest;
import io.github.reactivemilvus.proto.MilvusServiceGrpc;
import io.github.reactivemilvus.proto.RemoveFileResourceRequest;
import io.github.reactivemilvus.proto.RunAnalyzerRequest;
import io.github.reactivemilvus.proto.ServerInfo;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Server and storage maintenance: flush and its state, segments, compaction and its state, the analyzer,
 * server information, health and metrics. Cold {@link Mono}s over {@link MilvusStub#call}: the alias's
 * headers, deadline, limits and retry policy; a non-success status fails with a
 * {@link io.github.reactivemilvus.MilvusConnectionException}. Waiting operations poll on the given
 * {@link Scheduler} (the parallel scheduler by default), never by sleeping; cancelling stops the polling.
 * Immutable and thread-safe.
 */
public final class Maintenance {
  private final MilvusStub stub;
  private final Scheduler timer;

  Maintenance(MilvusStub stub, Scheduler timer) {
    this.stub = stub;
    this.timer = timer;
  }

  /** The maintenance operations over {@code stub}, polling on the parallel scheduler. */
  public static Maintenance of(MilvusStub stub) {
    return new Maintenance(Objects.requireNonNull(stub, "stub"), Schedulers.parallel());
  }

  /** The same operations polling on {@code timer} (for example a virtual-time scheduler in tests). */
  public Maintenance withTimer(Scheduler timer) {
    return new Maintenance(stub, Objects.requireNonNull(timer, "timer"));
  }

  /** What a flush sealed, per collection: the segments and the flush timestamp to ask about. */
  public record FlushTicket(Map<String, List<Long>> segmentIds, Map<String, Long> flushTimestamps) {
    /** Copies the maps. */
    public FlushTicket {
      Map<String, List<Long>> copy = new LinkedHashMap<>();
      segmentIds.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      segmentIds = java.util.Collections.unmodifiableMap(copy);
      flushTimestamps = Map.copyOf(flushTimestamps);
    }
  }

  /** States of a segment. */
  public enum SegmentState {
    /** Not known to the server, or no state. */
    NONE,
    /** Receiving inserts. */
    GROWING,
    /** Sealed, being persisted. */
    SEALED,
    /** Being written to storage. */
    FLUSHING,
    /** Persisted. */
    FLUSHED,
    /** Dropped (for example compacted into another). */
    DROPPED,
    /** Being imported. */
    IMPORTING;

    static SegmentState of(io.github.reactivemilvus.proto.SegmentState state) {
      return switch (state) {
        case Growing -> GROWING;
        case Sealed -> SEALED;
        case Flushing -> FLUSHING;
        case Flushed -> FLUSHED;
        case Dropped -> DROPPED;
        case Importing -> IMPORTING;
        default -> NONE;
      };
    }
  }

  /**
   * A persisted segment: its ids, rows, state and level ({@code Legacy}, {@code L0}, {@code L1},
   * {@code L2}).
   */
  public record PersistentSegment(long id, long collectionId, long partitionId, long rows, SegmentState state,
      String level, boolean sorted) { }

  /** A segment loaded on query nodes: ids, memory, rows, its index, the nodes serving it, state and level. */
  public record QuerySegment(long id, long collectionId, long partitionId, long memSize, long rows, String indexName,
      long indexId, List<Long> nodeIds, SegmentState state, String level) {
    /** Copies {@code nodeIds}. */
    public QuerySegment {
      nodeIds = List.copyOf(nodeIds);
    }
  }

  /** States of a compaction. */
  public enum CompactionState {
    /** Unknown to the server. */
    UNDEFINED,
    /** Running. */
    EXECUTING,
    /** Finished. */
    COMPLETED;

    static CompactionState of(io.github.reactivemilvus.proto.CompactionState state) {
      return switch (state) {
        case Executing -> EXECUTING;
        case Completed -> COMPLETED;
        default -> UNDEFINED;
      };
    }
  }

  /** A compaction's state and its plans by outcome. */
  public record CompactionProgress(CompactionState state, long executingPlans, long timedOutPlans, long completedPlans,
      long failedPlans) { }

  /** One plan of a compaction: the segments merged and the segment they became. */
  public record CompactionMerge(List<Long> sources, long target) {
    /** Copies {@code sources}. */
    public CompactionMerge {
      sources = List.copyOf(sources);
    }
  }

  /** A compaction's state and its plans. */
  public record CompactionPlans(CompactionState state, List<CompactionMerge> merges) {
    /** Copies {@code merges}. */
    public CompactionPlans {
      merges = List.copyOf(merges);
    }
  }

  /** One token of analyzed text: offsets into the text, position, and its hash when asked for. */
  public record AnalyzerToken(String token, long startOffset, long endOffset, long position, long positionLength, long hash) { }

  /** The server's build: version tag, build time, git commit, Go version and deploy mode. */
  public record ServerBuild(String version, String buildTime, String gitCommit, String goVersion, String deployMode) { }

  // ---- flush ----

  /**
   * Seals the growing segments of {@code collections} and asks to persist them; the server answers before
   * they are persisted: {@link #isFlushed(FlushTicket)} or {@link #waitFlushed} tells when. A write.
   */
  @Rpc(value = "Flush", sdk = "flush")
  public Mono<FlushTicket> flush(Collection<String> collections) {
    return stub.call(MilvusServiceGrpc.getFlushMethod(), FlushRequest.newBuilder()
        .addAllCollectionNames(Props.names(collections, "collections")).build())
        .map(r -> {
          Map<String, List<Long>> segments = new LinkedHashMap<>();
          r.getCollSegIDsMap().forEach((name, ids) -> segments.put(name, ids.getDataList()));
          return new FlushTicket(segments, r.getCollFlushTsMap());
        });
  }

  /** Whether every segment of {@code ticket} is persisted. A read. */
  @Rpc(value = "GetFlushState", sdk = {})
  public Mono<Boolean> isFlushed(FlushTicket ticket) {
    Objects.requireNonNull(ticket, "ticket");
    return Flux.fromIterable(ticket.segmentIds().entrySet())
        .concatMap(e -> stub.call(MilvusServiceGrpc.getGetFlushStateMethod(), GetFlushStateRequest.newBuilder()
            .setCollectionName(e.getKey()).addAllSegmentIDs(e.getValue())
            .setFlushTs(ticket.flushTimestamps().getOrDefault(e.getKey(), 0L)).build()).map(r -> r.getFlushed()))
        .all(Boolean::booleanValue);
  }

  /** Completes once {@link #isFlushed} says so, asking every {@code interval}; {@code timeout} bounds the wait. */
  @Rpc(value = "GetFlushState", sdk = {})
  public Mono<Void> waitFlushed(FlushTicket ticket, Duration interval, Duration timeout) {
    return poll(isFlushed(ticket), interval, timeout, "the flush").then();
  }

  /**
   * Flushes every collection of every database; answers with the flush-all timestamp to give
   * {@link #isFlushAllDone(long)}. A write.
   */
  @Rpc(value = "FlushAll", sdk = "flushAll")
  @SuppressWarnings("deprecation") // flush_all_ts is what the 2.6 SDK reads too
  public Mono<Long> flushAll() {
    return stub.call(MilvusServiceGrpc.getFlushAllMethod(), FlushAllRequest.getDefaultInstance()).map(r -> r.getFlushAllTs());
  }

  /** Whether the flush-all of {@code flushAllTs} finished. A read. */
  @Rpc(value = "GetFlushAllState", sdk = "getFlushAllState")
  @SuppressWarnings("deprecation")
  public Mono<Boolean> isFlushAllDone(long flushAllTs) {
    return stub.call(MilvusServiceGrpc.getGetFlushAllStateMethod(), GetFlushAllStateRequest.newBuilder().setFlushAllTs(flushAllTs)
        .build()).map(r -> r.getFlushed());
  }

  // ---- segments ----

  /** The persisted segments of {@code collection}. A read. */
  @Rpc(value = "GetPersistentSegmentInfo", sdk = "getPersistentSegmentInfo")
  public Mono<List<PersistentSegment>> persistentSegments(String collection) {
    return stub.call(MilvusServiceGrpc.getGetPersistentSegmentInfoMethod(), GetPersistentSegmentInfoRequest.newBuilder()
        .setCollectionName(Props.requireName(collection, "collection")).build())
        .map(r -> r.getInfosList().stream().map(s -> new PersistentSegment(s.getSegmentID(), s.getCollectionID(),
            s.getPartitionID(), s.getNumRows(), SegmentState.of(s.getState()), s.getLevel().name(), s.getIsSorted())).toList());
  }

  /** The segments of {@code collection} loaded on query nodes. A read. */
  @Rpc(value = "GetQuerySegmentInfo", sdk = "getQuerySegmentInfo")
  public Mono<List<QuerySegment>> querySegments(String collection) {
    return stub.call(MilvusServiceGrpc.getGetQuerySegmentInfoMethod(), GetQuerySegmentInfoRequest.newBuilder()
        .setCollectionName(Props.requireName(collection, "collection")).build())
        .map(r -> r.getInfosList().stream().map(s -> new QuerySegment(s.getSegmentID(), s.getCollectionID(),
            s.getPartitionID(), s.getMemSize(), s.getNumRows(), s.getIndexName(), s.getIndexID(), s.getNodeIdsList(),
            SegmentState.of(s.getState()), s.getLevel().name())).toList());
  }

  // ---- compaction ----

  /**
   * Starts a compaction of {@code collection}: a clustering compaction when {@code clustering}, else a
   * mix compaction; answers with its id. A write.
   */
  @Rpc(value = "ManualCompaction", sdk = "compact")
  public Mono<Long> compact(String collection, boolean clustering) {
    return stub.call(MilvusServiceGrpc.getManualCompactionMethod(), ManualCompactionRequest.newBuilder()
        .setCollectionName(Props.requireName(collection, "collection")).setMajorCompaction(clustering).build())
        .map(r -> r.getCompactionID());
  }

  /** The state of compaction {@code compactionId} and its plans by outcome. A read. */
  @Rpc(value = "GetCompactionState", sdk = "getCompactionState")
  public Mono<CompactionProgress> compactionState(long compactionId) {
    return stub.call(MilvusServiceGrpc.getGetCompactionStateMethod(),
        GetCompactionStateRequest.newBuilder().setCompactionID(compactionId).build())
        .map(r -> new CompactionProgress(CompactionState.of(r.getState()), r.getExecutingPlanNo(), r.getTimeoutPlanNo(),
            r.getCompletedPlanNo(), r.getFailedPlanNo()));
  }

  /** The state of compaction {@code compactionId} and the segments each plan merged. A read. */
  @Rpc(value = "GetCompactionStateWithPlans", sdk = "getCompactionPlans")
  public Mono<CompactionPlans> compactionPlans(long compactionId) {
    return stub.call(MilvusServiceGrpc.getGetCompactionStateWithPlansMethod(),
        GetCompactionPlansRequest.newBuilder().setCompactionID(compactionId).build())
        .map(r -> new CompactionPlans(CompactionState.of(r.getState()), r.getMergeInfosList().stream()
            .map(m -> new CompactionMerge(m.getSourcesList(), m.getTarget())).toList()));
  }

  /**
   * Merges the collection's segments towards {@code targetSizeBytes} (0: the server's default), waits for the
   * compaction to complete (asking every {@code interval}, for at most {@code timeout}), then refreshes the
   * load of a loaded collection; answers with the compaction id. A write.
   */
  @Rpc(value = {"ManualCompaction", "GetCompactionState", "GetLoadState", "LoadCollection"}, sdk = "optimize")
  public Mono<Long> optimize(String collection, long targetSizeBytes, Duration interval, Duration timeout) {
    String name = Props.requireName(collection, "collection");
    if (targetSizeBytes < 0) {
      throw new IllegalArgumentException("targetSizeBytes must not be negative, was " + targetSizeBytes);
    }
    Mono<Long> start = stub.call(MilvusServiceGrpc.getManualCompactionMethod(), ManualCompactionRequest.newBuilder()
        .setCollectionName(name).setMajorCompaction(false).setTargetSize(targetSizeBytes).build()).map(r -> r.getCompactionID());
    return start.flatMap(id -> poll(compactionState(id).map(p -> p.state() != CompactionState.EXECUTING), interval, timeout,
            "compaction " + id)
        .then(stub.call(MilvusServiceGrpc.getGetLoadStateMethod(), GetLoadStateRequest.newBuilder().setCollectionName(name).build()))
        .flatMap(s -> s.getState() != io.github.reactivemilvus.proto.LoadState.LoadStateLoaded ? Mono.<Void>empty()
            : stub.call(MilvusServiceGrpc.getLoadCollectionMethod(),
                LoadCollectionRequest.newBuilder().setCollectionName(name).setRefresh(true).build()).then())
        .thenReturn(id));
  }

  /** Repeats {@code check} every {@code interval} until it says true; fails with a timeout after {@code timeout}. */
  private Mono<Boolean> poll(Mono<Boolean> check, Duration interval, Duration timeout, String what) {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("interval and timeout must be positive, were " + interval + " and " + timeout);
    }
    // an answer of false completes empty, and an empty round is repeated after the interval
    return check.filter(Boolean::booleanValue)
        .repeatWhenEmpty(Integer.MAX_VALUE, rounds -> rounds.concatMap(i -> Mono.delay(interval, timer)))
        .timeout(timeout, Mono.error(() -> new java.util.concurrent.TimeoutException(what + " did not finish within " + timeout)),
            timer);
  }

  // ---- analyzer ----

  /**
   * Tokens of each of {@code texts} as the analyzer of {@code analyzerParams} (its JSON, for example
   * {@code {"tokenizer": "standard", "filter": ["lowercase"]}}; empty: the standard analyzer) makes them;
   * {@code withDetail} fills offsets and positions, {@code withHash} the hashes. A read.
   */
  @Rpc(value = "RunAnalyzer", sdk = "runAnalyzer")
  public Mono<List<List<AnalyzerToken>>> runAnalyzer(List<String> texts, String analyzerParams, boolean withDetail,
      boolean withHash) {
    RunAnalyzerRequest request = RunAnalyzerRequest.newBuilder().setAnalyzerParams(Objects.requireNonNull(analyzerParams,
            "analyzerParams")).addAllPlaceholder(texts(texts)).setWithDetail(withDetail).setWithHash(withHash).build();
    return analyze(request);
  }

  /**
   * Tokens of each of {@code texts} as the analyzer of field {@code field} of {@code collection} makes them
   * ({@code analyzerNames}: which of a multi-analyzer field's analyzers, one per text or one for all). A read.
   */
  @Rpc(value = "RunAnalyzer", sdk = "runAnalyzer")
  public Mono<List<List<AnalyzerToken>>> runFieldAnalyzer(String collection, String field, List<String> texts,
      List<String> analyzerNames) {
    RunAnalyzerRequest request = RunAnalyzerRequest.newBuilder().setCollectionName(Props.requireName(collection, "collection"))
        .setFieldName(Props.requireName(field, "field")).addAllPlaceholder(texts(texts))
        .addAllAnalyzerNames(List.copyOf(analyzerNames)).setWithDetail(true).build();
    return analyze(request);
  }

  private static List<ByteString> texts(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("texts must not be empty");
    }
    return texts.stream().map(t -> ByteString.copyFromUtf8(Objects.requireNonNull(t, "text"))).toList();
  }

  private Mono<List<List<AnalyzerToken>>> analyze(RunAnalyzerRequest request) {
    return stub.call(MilvusServiceGrpc.getRunAnalyzerMethod(), request)
        .map(r -> r.getResultsList().stream().map(result -> result.getTokensList().stream()
            .map(t -> new AnalyzerToken(t.getToken(), t.getStartOffset(), t.getEndOffset(), t.getPosition(),
                t.getPositionLength(), Integer.toUnsignedLong(t.getHash()))).toList()).toList());
  }

  // ---- server ----

  /** The server's version string, for example {@code v2.3.5}. A read. */
  @Rpc(value = "GetVersion", sdk = "getServerVersion")
  public Mono<String> serverVersion() {
    return stub.call(MilvusServiceGrpc.getGetVersionMethod(), GetVersionRequest.getDefaultInstance()).map(r -> r.getVersion());
  }

  /** The server's build details, from a {@code Connect} handshake. A read. */
  @Rpc(value = "Connect", sdk = "getServerVersionV2")
  public Mono<ServerBuild> serverBuild() {
    return stub.call(MilvusServiceGrpc.getConnectMethod(), ConnectRequest.getDefaultInstance()).map(r -> {
      ServerInfo i = r.getServerInfo();
      return new ServerBuild(i.getBuildTags(), i.getBuildTime(), i.getGitCommit(), i.getGoVersion(), i.getDeployMode());
    });
  }

  /** The health report: a success may still say unhealthy, with reasons. A read. */
  @Rpc(value = "CheckHealth", sdk = "checkHealth")
  public Mono<ServerHealth> checkHealth() {
    return stub.checkHealth();
  }

  /** The server's answer (JSON) to a metrics request, for example {@code {"metric_type": "system_info"}}. A read. */
  @Rpc(value = "GetMetrics", sdk = {})
  public Mono<String> metrics(String requestJson) {
    return stub.call(MilvusServiceGrpc.getGetMetricsMethod(),
        GetMetricsRequest.newBuilder().setRequest(Objects.requireNonNull(requestJson, "requestJson")).build())
        .map(r -> r.getResponse());
  }

  /** A file the server's analyzers can use (for example a dictionary): its id, name and storage path. */
  public record FileResource(long id, String name, String path) { }

  /** Registers the file at {@code path} of the server's object storage as file resource {@code name}. A write. */
  @Rpc(value = "AddFileResource", sdk = {})
  public Mono<Void> addFileResource(String name, String path) {
    return stub.call(MilvusServiceGrpc.getAddFileResourceMethod(), AddFileResourceRequest.newBuilder()
        .setName(Props.requireName(name, "name")).setPath(Props.requireName(path, "path")).build()).then();
  }

  /** Removes file resource {@code name}. A write. */
  @Rpc(value = "RemoveFileResource", sdk = {})
  public Mono<Void> removeFileResource(String name) {
    return stub.call(MilvusServiceGrpc.getRemoveFileResourceMethod(),
        RemoveFileResourceRequest.newBuilder().setName(Props.requireName(name, "name")).build()).then();
  }

  /** The registered file resources. A read. */
  @Rpc(value = "ListFileResources", sdk = {})
  public Mono<List<FileResource>> listFileResources() {
    return stub.call(MilvusServiceGrpc.getListFileResourcesMethod(), ListFileResourcesRequest.getDefaultInstance())
        .map(r -> r.getResourcesList().stream().map(f -> new FileResource(f.getId(), f.getName(), f.getPath())).toList());
  }

  /** A fresh hybrid timestamp from the server's timestamp oracle (usable as a guarantee timestamp). A read. */
  @Rpc(value = "AllocTimestamp", sdk = {})
  public Mono<Long> allocTimestamp() {
    return stub.call(MilvusServiceGrpc.getAllocTimestampMethod(), AllocTimestampRequest.getDefaultInstance())
        .map(r -> r.getTimestamp());
  }
}
