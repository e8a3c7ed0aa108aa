#!/usr/bin/env bash
# The unary paired load on two builds of the library, alternated A B B A A B B A in one session, so
# that drifting machine load hits both alike; then ab_summary.py compares them.
#
#   benchmarks/ab.sh A.jar B.jar OUT_DIR [ROUNDS]
#
# A.jar and B.jar are benchmarks/target/benchmarks.jar built against each library version (build the
# library at each commit with its own -Dmaven.repo.local, then `mvn package` here). Each run is
# `UnaryPaired 1,256 ROUNDS 1000` with ours and grpc-direct; grpc-direct, the same code in both jars,
# is the per-run yardstick: ratios ours/grpc-direct and bytes per call above it are compared.
set -euo pipefail
A="$1"; B="$2"; OUT="$3"; ROUNDS="${4:-12}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mkdir -p "$OUT"
n=0
for v in A B B A A B B A; do
  n=$((n + 1))
  jar="$A"; [[ "$v" == B ]] && jar="$B"
  echo "== run $n $v $(basename "$jar") $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/ab.txt"
  "$JAVA" -Xms2g -Xmx2g -Dbench.impls=ours,grpc-direct -Dbench.extra="$OUT/extra-$n-$v.jsonl" \
    -cp "$jar" io.github.reactivemilvus.bench.UnaryPaired 1,256 "$ROUNDS" 1000 | grep '^concurrency' | tee -a "$OUT/ab.txt"
done
echo "== end $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/ab.txt"
python3 "$(dirname "$0")/ab_summary.py" "$OUT" | tee "$OUT/summary.txt"
