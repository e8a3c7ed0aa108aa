package io.github.reactivemilvus.bench;

import io.github.reactivemilvus.MilvusStub;
import io.github.reactivemilvus.ReactiveConnections;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * What observing every call costs: the {@code ours} unary GetVersion load of benchmark 4 (an endless
 * {@code flatMap} over {@code stub.getVersion()}) on four registries in one JVM against one loopback
 * server, paired like {@link UnaryPaired} (each round runs every one for one slice, in a shuffled order):
 *
 * <ul>
 *   <li>{@code none}: {@code ReactiveConnections.create()}, no observation registry (the baseline);
 *   <li>{@code noop}: {@code observationRegistry(ObservationRegistry.NOOP)}: the interceptor is there,
 *       every observation it asks for is the no-op one;
 *   <li>{@code observed}: a registry with one handler that does nothing: the library's own part (the
 *       observation, its context, the convention's key values at start and stop) without Micrometer's meters;
 *   <li>{@code meters}: a registry with a {@link DefaultMeterObservationHandler} on a
 *       {@link SimpleMeterRegistry}: the {@code db.client.operation.duration} timer per call;
 *   <li>{@code tracing}: the same meter handler plus Micrometer Tracing's OpenTelemetry bridge, grouped as
 *       Spring Boot groups them (a propagating sender handler, else the default tracing handler): one
 *       sampled span per call (every call a root span here), {@code traceparent} written into the
 *       request headers, spans batched ({@link BatchSpanProcessor}) to an exporter that drops them.
 * </ul>
 *
 * <p>Reported per concurrency: each registry's throughput over {@code none}'s and {@code none}'s CPU per
 * call over its (both below 1 when observing costs), median, min and max of the rounds; and the bytes
 * allocated per call (whole JVM), which the machine's other load does not disturb.
 *
 * <p>Usage: {@code ObservationPaired CONCURRENCIES ROUNDS SLICE_MS} (e.g. {@code 1,256 6 500}); the first
 * two rounds are warm-up. Results go to the extra-results file ({@code -Dbench.extra=...}) and standard output.
 */
public final class ObservationPaired {
  static final List<String> REGISTRIES = List.of("none", "noop", "observed", "meters", "tracing");

  public static void main(String[] args) throws Exception {
    String[] concs = (args.length > 0 ? args[0] : "1,256").split(",");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    long sliceMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
    Random random = new Random(42);

    try (LoopbackMilvusServer server = LoopbackMilvusServer.start(1)) {
      Map<String, ObservedLoad> loads = new LinkedHashMap<>();
      try {
        for (String kind : REGISTRIES) {
          loads.put(kind, new ObservedLoad(kind, server.port()));
        }
        for (String c : concs) {
          int concurrency = Integer.parseInt(c.trim());
          PairedRounds.Results results = PairedRounds.run(loads, concurrency, rounds, sliceMs, random);
          report(concurrency, rounds, sliceMs, results, loads.values());
        }
      } finally {
        for (ObservedLoad l : loads.values()) {
          l.close();
        }
      }
    }
  }

  private static void report(int concurrency, int rounds, long sliceMs, PairedRounds.Results results,
      Collection<ObservedLoad> loads) {
    for (String kind : REGISTRIES) {
      Support.record("ObservationPaired", Support.map("registry", kind, "concurrency", concurrency), Support.map(
          "rounds", rounds,
          "sliceMs", sliceMs,
          "medianCallsPerSec", PairedRounds.Spread.of(results.rates().get(kind)).median(),
          "medianCpuUsPerCall", PairedRounds.Spread.of(results.cpu().get(kind)).median(),
          "medianBytesPerCall", PairedRounds.Spread.of(results.alloc().get(kind)).median(),
          "callsPerSec", results.rates().get(kind),
          "p50us", results.latency().get(kind).getValueAtPercentile(50) / 1000.0,
          "p99us", results.latency().get(kind).getValueAtPercentile(99) / 1000.0));
      System.out.printf(Locale.ROOT, "concurrency %d: %-8s %,10.0f calls/s, %6.1f us CPU per call, %,6.0f B per call, p50 %.0f us%n",
          concurrency, kind, PairedRounds.Spread.of(results.rates().get(kind)).median(),
          PairedRounds.Spread.of(results.cpu().get(kind)).median(),
          PairedRounds.Spread.of(results.alloc().get(kind)).median(),
          results.latency().get(kind).getValueAtPercentile(50) / 1000.0);
    }
    for (String kind : REGISTRIES.subList(1, REGISTRIES.size())) {
      PairedRounds.Spread ratio = results.rateRatio(kind, "none");
      PairedRounds.Spread cpuRatio = results.cpuRatio(kind, "none");
      Support.record("ObservationPairedRatio", Support.map("ratio", kind + "/none", "concurrency", concurrency),
          ratio.fields());
      Support.record("ObservationPairedCpuRatio", Support.map("ratio", "none/" + kind, "concurrency", concurrency),
          cpuRatio.fields());
      System.out.printf(Locale.ROOT, "concurrency %d: throughput %s/none %s; CPU per call none/%s %s%n",
          concurrency, kind, ratio, kind, cpuRatio);
    }
    for (ObservedLoad l : loads) {
      if (l.exported != null) {
        // proof that the tracing registry made spans: every call of every slice, warm-up included
        System.out.printf(Locale.ROOT, "spans exported so far (%s): %,d%n", l.kind, l.exported.sum());
      }
    }
  }

  /** The unary GetVersion load on a registry observed one of the ways above. */
  static final class ObservedLoad implements PairedRounds.Load, AutoCloseable {
    final String kind;
    final LongAdder exported;
    private final ReactiveConnections registry;
    private final MilvusStub stub;
    private final ClosedLoop loop;
    private final SdkTracerProvider tracerProvider;

    ObservedLoad(String kind, int port) {
      this.kind = kind;
      this.loop = new ClosedLoop(kind);
      ReactiveConnections.Builder builder = ReactiveConnections.builder();
      SdkTracerProvider provider = null;
      LongAdder spans = null;
      switch (kind) {
        case "none" -> { }
        case "noop" -> builder.observationRegistry(ObservationRegistry.NOOP);
        case "observed" -> {
          ObservationRegistry observations = ObservationRegistry.create();
          observations.observationConfig().observationHandler(context -> true);
          builder.observationRegistry(observations);
        }
        case "meters" -> {
          ObservationRegistry observations = ObservationRegistry.create();
          observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
          builder.observationRegistry(observations);
        }
        case "tracing" -> {
          spans = new LongAdder();
          provider = tracerProvider(spans);
          builder.observationRegistry(traced(provider, new SimpleMeterRegistry()));
        }
        default -> throw new IllegalArgumentException("unknown registry " + kind);
      }
      this.exported = spans;
      this.tracerProvider = provider;
      registry = builder.build();
      registry.addConnection(UnaryLoad.ALIAS, Support.ourConfig(port)).block(Duration.ofSeconds(10));
      registry.channel(UnaryLoad.ALIAS).block(Duration.ofSeconds(10));
      stub = registry.stub(UnaryLoad.ALIAS);
    }

    /** Every span sampled, batched to an exporter that counts and drops them. */
    private static SdkTracerProvider tracerProvider(LongAdder exported) {
      SpanExporter dropping = new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
          exported.add(spans.size());
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }
      };
      return SdkTracerProvider.builder()
          .setSampler(Sampler.alwaysOn())
          .addSpanProcessor(BatchSpanProcessor.builder(dropping).build())
          .build();
    }

    /** An observation registry with tracing and meter handlers, grouped as Spring Boot's tracing auto-configuration does. */
    private static ObservationRegistry traced(SdkTracerProvider provider, MeterRegistry meters) {
      io.opentelemetry.api.trace.Tracer otelTracer = provider.get("reactive-milvus-bench");
      OtelCurrentTraceContext current = new OtelCurrentTraceContext();
      OtelTracer tracer = new OtelTracer(otelTracer, current, event -> { },
          new OtelBaggageManager(current, List.of(), List.of()));
      OtelPropagator propagator = new OtelPropagator(
          ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otelTracer);
      ObservationRegistry observations = ObservationRegistry.create();
      observations.observationConfig()
          .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
              new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
              new DefaultTracingObservationHandler(tracer)))
          .observationHandler(new DefaultMeterObservationHandler(meters));
      return observations;
    }

    @Override
    public void start(int concurrency, Recorder recorder, Runnable onComplete) {
      loop.flatMap(concurrency, recorder, onComplete, stub::getVersion);
    }

    @Override
    public void stop() throws InterruptedException {
      loop.stop();
    }

    @Override
    public void close() {
      registry.closeGracefully().block(Duration.ofSeconds(10));
      if (tracerProvider != null) {
        tracerProvider.shutdown().join(10, TimeUnit.SECONDS);
      }
    }
  }

  private ObservationPaired() {}
}
