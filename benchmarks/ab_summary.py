"""Compares the two builds of an ab.sh run: per concurrency, the per-round ratios ours/grpc-direct
(throughput, and CPU per call grpc-direct/ours) of all runs of each build pooled, B's median over A's
with a bootstrap 95 % interval, and the bytes ours allocates per call beyond grpc-direct in each run."""
import glob
import json
import os
import random
import statistics
import sys

out = sys.argv[1]
rounds, run_medians, extra_bytes = {}, {}, {}
for path in sorted(glob.glob(os.path.join(out, "extra-*.jsonl"))):
    build = os.path.basename(path)[:-len(".jsonl")].split("-")[2]
    per_impl = {}
    for line in open(path):
        record = json.loads(line)
        c = record["params"]["concurrency"]
        values = record["values"]
        kind = {"UnaryPairedRatio": "throughput", "UnaryPairedCpuRatio": "cpu"}.get(record["benchmark"])
        if kind:
            rounds.setdefault((build, c, kind), []).extend(values["perRound"])
            run_medians.setdefault((build, c, kind), []).append(values["median"])
        elif record["benchmark"] == "UnaryPaired":
            per_impl[(c, record["params"]["impl"])] = values["medianBytesPerCall"]
    for (c, impl), b in per_impl.items():
        if impl == "ours":
            extra_bytes.setdefault((build, c), []).append(b - per_impl[(c, "grpc-direct")])

random.seed(1)
for c in sorted({k[1] for k in rounds}):
    print(f"concurrency {c}")
    for kind in ("throughput", "cpu"):
        a, b = rounds[("A", c, kind)], rounds[("B", c, kind)]
        boot = sorted(statistics.median(random.choices(b, k=len(b))) / statistics.median(random.choices(a, k=len(a)))
                      for _ in range(4000))
        print(f"  {kind} ratio vs grpc-direct: A {statistics.median(a):.3f} (runs {', '.join(f'{m:.2f}' for m in run_medians[('A', c, kind)])}),"
              f" B {statistics.median(b):.3f} (runs {', '.join(f'{m:.2f}' for m in run_medians[('B', c, kind)])});"
              f" B/A {statistics.median(b) / statistics.median(a):.3f} (95 % {boot[100]:.3f}-{boot[3899]:.3f})")
    for build in ("A", "B"):
        values = extra_bytes[(build, c)]
        print(f"  bytes per call, ours minus grpc-direct, {build}: {', '.join(f'{v:.0f}' for v in values)} (mean {statistics.mean(values):.0f})")
