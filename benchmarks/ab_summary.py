"""Compares the two builds of an ab.sh run: per concurrency, the per-round ratios ours/grpc-direct
(throughput, and CPU per call grpc-direct/ours) of all runs of each build pooled, B's median over A's
with a 95 % bootstrap interval, and the bytes ours allocates per call beyond grpc-direct in each run.

Rounds of one run share its JVM and its moment, so the bootstrap resamples runs first and then rounds
within each chosen run (a cluster bootstrap); resampling pooled rounds alone would overstate the
precision."""
import glob
import json
import os
import random
import statistics
import sys

RATIOS = {("UnaryPairedRatio", "ours/grpc-direct"): "throughput", ("UnaryPairedCpuRatio", "grpc-direct/ours"): "cpu"}

out = sys.argv[1]
runs, extra_bytes = {}, {}  # runs: (build, concurrency, kind) -> one list of per-round ratios per run
for path in sorted(glob.glob(os.path.join(out, "extra-*.jsonl"))):
    build = os.path.basename(path)[:-len(".jsonl")].split("-")[2]
    per_impl = {}
    for line in open(path):
        record = json.loads(line)
        c = record["params"]["concurrency"]
        values = record["values"]
        kind = RATIOS.get((record["benchmark"], record["params"].get("ratio")))
        if kind:
            runs.setdefault((build, c, kind), []).append(values["perRound"])
        elif record["benchmark"] == "UnaryPaired":
            per_impl[(c, record["params"]["impl"])] = values["medianBytesPerCall"]
    for (c, impl), b in per_impl.items():
        if impl == "ours":
            extra_bytes.setdefault((build, c), []).append(b - per_impl[(c, "grpc-direct")])


def pooled(run_list):
    return [r for rounds in run_list for r in rounds]


def resampled(run_list):
    return pooled(random.choices(rounds, k=len(rounds)) for rounds in random.choices(run_list, k=len(run_list)))


random.seed(1)
for c in sorted({k[1] for k in runs}):
    print(f"concurrency {c}")
    for kind in ("throughput", "cpu"):
        a, b = runs[("A", c, kind)], runs[("B", c, kind)]
        boot = sorted(statistics.median(resampled(b)) / statistics.median(resampled(a)) for _ in range(4000))
        run_medians = {build: ", ".join(f"{statistics.median(r):.2f}" for r in rs) for build, rs in (("A", a), ("B", b))}
        ma, mb = statistics.median(pooled(a)), statistics.median(pooled(b))
        print(f"  {kind} ratio vs grpc-direct: A {ma:.3f} (runs {run_medians['A']}), B {mb:.3f} (runs {run_medians['B']});"
              f" B/A {mb / ma:.3f} (95 % {boot[100]:.3f}-{boot[3899]:.3f})")
    for build in ("A", "B"):
        values = extra_bytes[(build, c)]
        print(f"  bytes per call, ours minus grpc-direct, {build}: {', '.join(f'{v:.0f}' for v in values)} (mean {statistics.mean(values):.0f})")
