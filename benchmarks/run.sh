#!/usr/bin/env bash
# Builds the library and the benchmark jar, runs the JMH benchmarks and writes a ratio report.
#
#   benchmarks/run.sh quick            # under 5 minutes on 2 cores: -f 1, 2-3 warm-ups, 3 x 1 s, fewer params
#   benchmarks/run.sh full             # -f 2, 5 warm-ups, 5 x 2 s, every param (about 20 minutes)
#   benchmarks/run.sh quick unary      # only some groups: hotpath storm many unary paired footprint (footprint: both footprint benchmarks)
#   benchmarks/run.sh quick data       # insert and search through the typed client vs the SDK (not in the default set)
#   benchmarks/run.sh quick service    # the WebFlux service on ours / the blocking SDK / the async SDK, open loop (in full's set)
#   benchmarks/run.sh quick floors     # insert encoding and search decoding against their protobuf floors (in full's set)
#   benchmarks/run.sh quick observation  # the unary load with no observation registry / NOOP / meters / meters + tracing
#   benchmarks/run.sh quick codec      # search results decoded / insert batches encoded on the event loop vs on Schedulers.parallel(), 256 in flight
#
# A run of named groups keeps the other files of results/<mode>/ and writes its environment and extra
# results to env-<groups>.txt and extra-<groups>.jsonl, so one group can be rerun beside a full run.
# Results: benchmarks/results/<mode>/{*.json, extra.jsonl, env.txt, report.md}
# SKIP_BUILD=1 reuses benchmarks/target/benchmarks.jar as it is.
set -euo pipefail

MODE="${1:-quick}"
if [[ "$MODE" == full ]]; then
  ONLY="${2:-hotpath storm many unary paired footprint service floors}"
else
  ONLY="${2:-hotpath storm many unary paired footprint}"
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

case "$MODE" in
  quick)
    COMMON=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
    # 2 JMH threads on 2 cores starve the JIT: one more warm-up second for the hot path
    HOT=(-f 1 -wi 3 -w 1s -i 3 -r 1s)
    UNARY_CONC="256"
    PAIRED=("1,256" 6 500)
    STORM=(-f 1 -wi 3 -i 10)
    MANY=(-f 1 -wi 1 -i 3)
    INSERT=(-f 1 -wi 1 -i 3)
    SEARCH=("64,256" 6 1000)
    INSERT_FLOOR=(200000 6)
    DECODE_FLOOR=(6 1000)
    CODEC=(256 6 3000)
    ;;
  full)
    COMMON=(-f 2 -wi 5 -w 2s -i 5 -r 2s)
    HOT=("${COMMON[@]}")
    UNARY_CONC="1,64,256"
    PAIRED=("1,64,256" 12 1000)
    STORM=(-f 2 -wi 5 -i 30)
    MANY=(-f 2 -wi 2 -i 8)
    INSERT=(-f 2 -wi 3 -i 5)
    SEARCH=("64,256" 12 1000)
    INSERT_FLOOR=(1000000 8)
    DECODE_FLOOR=(12 1000)
    CODEC=(256 12 3000)
    ;;
  *)
    echo "usage: $0 quick|full [groups]" >&2
    exit 2
    ;;
esac

mvn_quiet() {
  # offline first (fast, no network), then online for anything not yet in the local repository;
  # MVN_ARGS passes more options to every mvn call, e.g. MVN_ARGS=-Dmaven.repo.local=/tmp/m2
  # ${MVN_ARGS:-} is split on spaces on purpose
  # shellcheck disable=SC2086
  mvn -B -q -o ${MVN_ARGS:-} "$@" || mvn -B -q ${MVN_ARGS:-} "$@"
}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo ">> installing the library ($ROOT)"
  (cd "$ROOT" && mvn_quiet -DskipTests install -pl library -am)
  echo ">> building benchmarks/target/benchmarks.jar"
  (cd "$HERE" && mvn_quiet -DskipTests package)
fi

OUT="$HERE/results/$MODE"
if [[ $# -ge 2 ]]; then
  TAG="-${ONLY// /-}"
  mkdir -p "$OUT"
else
  TAG=""
  rm -rf "$OUT"
  mkdir -p "$OUT"
fi
ENV="$OUT/env$TAG.txt"
EXTRA="$OUT/extra$TAG.jsonl"
rm -f "$ENV" "$EXTRA"
JAR="$HERE/target/benchmarks.jar"
JVM_ARGS="-Xms2g -Xmx2g -Dbench.extra=$EXTRA"

{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "mode:    $MODE (${COMMON[*]})"
  echo "cpu:     $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
  echo "memory:  $(free -g | awk '/^Mem:/{print $2}') GiB"
  echo "jdk:     $("$JAVA" -version 2>&1 | head -2 | tail -1)"
  echo "library: $(cd "$ROOT" && git log -1 --format='%h %s' 2>/dev/null || echo unknown)"
  echo "sdk:     io.milvus:milvus-sdk-java $(sed -n 's:.*<milvus-sdk.version>\(.*\)</milvus-sdk.version>.*:\1:p' "$HERE/pom.xml")"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$ENV"

jmh() { # name, args...
  local name="$1"
  shift
  echo ">> $name"
  echo "load before $name: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$ENV"
  "$JAVA" -jar "$JAR" "$@" -rf json -rff "$OUT/$name.json" -jvmArgsAppend "$JVM_ARGS" \
    > "$OUT/$name.log" 2>&1 || { echo "!! $name failed, see $OUT/$name.log"; tail -20 "$OUT/$name.log"; }
  grep -E '^(Benchmark|[A-Za-z]+Benchmark\.)' "$OUT/$name.log" || true
}

main() { # name, unused, java args and main class...
  local name="$1"
  shift 2
  echo ">> $name"
  echo "load before $name: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$ENV"
  "$JAVA" -Xms2g -Xmx2g -Dbench.extra="$EXTRA" -cp "$JAR" "$@" > "$OUT/$name.log" 2>&1 \
    || { echo "!! $name failed, see $OUT/$name.log"; tail -20 "$OUT/$name.log"; }
  grep -v '^\[extra\]' "$OUT/$name.log" | grep -v '^\[[a-z-]*\] latency' || true
  echo "load after $name: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$ENV"
}

START=$(date +%s)
for g in $ONLY; do
  case "$g" in
    hotpath)
      jmh hotpath-t1 'HotPathBenchmark' "${HOT[@]}" -t 1
      jmh hotpath-t2 'HotPathBenchmark' "${HOT[@]}" -t 2
      ;;
    storm)
      jmh storm 'ConnectStormBenchmark' "${STORM[@]}"
      ;;
    many)
      jmh many 'ConnectManyBenchmark' "${MANY[@]}"
      ;;
    unary)
      jmh unary 'UnaryBenchmark' "${COMMON[@]}" -p concurrency="$UNARY_CONC"
      ;;
    paired)
      echo ">> unary-paired"
      echo "load before unary-paired: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$ENV"
      "$JAVA" -Xms2g -Xmx2g -Dbench.extra="$EXTRA" -cp "$JAR" \
        io.github.reactivemilvus.bench.UnaryPaired "${PAIRED[@]}" > "$OUT/unary-paired.log" 2>&1 \
        || { echo "!! unary-paired failed, see $OUT/unary-paired.log"; tail -20 "$OUT/unary-paired.log"; }
      grep -v '^\[extra\]' "$OUT/unary-paired.log" || true
      ;;
    observation)
      # what observing the calls costs: paired like unary-paired, ratios against no observation registry
      main observation-paired "" io.github.reactivemilvus.bench.ObservationPaired "${PAIRED[@]}"
      ;;
    data)
      # insert: single shots of 1,000,000 rows; -prof gc: B/op / 1,000,000 = bytes allocated per row
      jmh insert 'InsertBenchmark' "${INSERT[@]}" -prof gc
      echo ">> search-paired"
      echo "load before search-paired: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$ENV"
      "$JAVA" -Xms2g -Xmx2g -Dbench.extra="$EXTRA" -cp "$JAR" \
        io.github.reactivemilvus.bench.SearchPaired "${SEARCH[@]}" > "$OUT/search-paired.log" 2>&1 \
        || { echo "!! search-paired failed, see $OUT/search-paired.log"; tail -20 "$OUT/search-paired.log"; }
      grep -v '^\[extra\]' "$OUT/search-paired.log" || true
      ;;
    service)
      # one JVM per client (its threads and heap are its own), open-loop load, search latency 0 / 2 / 10 ms
      main service "" -Dservice.report="$OUT/service.md" io.github.reactivemilvus.bench.ServiceBench "$MODE"
      ;;
    floors)
      # the loopback server runs as a separate process here: the allocation counted is the client's alone
      main insert-floor "" io.github.reactivemilvus.bench.InsertFloor "${INSERT_FLOOR[@]}"
      main decode-floor "" io.github.reactivemilvus.bench.DecodeFloor "${DECODE_FLOOR[@]}"
      ;;
    codec)
      # every answer the decode floor's 573 KB result (nq 10 x topK 100, id, title, 128-d vector); both clients in one JVM
      main codec-scheduler "" -Dloopback.largeSearch=true -Dbench.impls=ours,ours-parallel \
        io.github.reactivemilvus.bench.SearchPaired "${CODEC[@]}"
      # the write side: inserts of 1,000 rows (565 KB each) encoded on the event loop vs on parallel()
      main codec-scheduler-insert "" -Dbench.impls=insert,insert-parallel \
        io.github.reactivemilvus.bench.SearchPaired "${CODEC[@]}"
      ;;
    footprint)
      jmh footprint '\.FootprintBenchmark' -f 1 -wi 0 -i 1
      jmh tenants 'TenantFootprintBenchmark' -f 1 -wi 0 -i 1
      ;;
    *)
      echo "unknown group $g" >&2
      exit 2
      ;;
  esac
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$ENV"
echo "benchmarks took: $(( $(date +%s) - START )) s" >> "$ENV"

if [[ -n "$TAG" ]]; then
  # report.md covers the default groups of a whole run; a run of named groups leaves it alone
  echo ">> results: $OUT ($(basename "$ENV"), $(basename "$EXTRA"), the groups' .json and .log files)"
  exit 0
fi
"$JAVA" -cp "$JAR" io.github.reactivemilvus.bench.Report "$OUT" > "$OUT/report.md"
echo ">> report: $OUT/report.md"
cat "$OUT/report.md"
