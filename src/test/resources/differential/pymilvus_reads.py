"""Runs the reads of a JSON spec with pymilvus and prints their results as JSON, for the
differential tests that compare this library's client with pymilvus on the same server and
collection. Works with pymilvus 2.5.x and 3.x.

Usage: python pymilvus_reads.py SPEC.json   (or the spec on standard input with "-")

Spec: {"uri": "http://127.0.0.1:PORT", "token": "", "collection": "c", "timeout": 20,
       "reads": [READ, ...]}
READ is one of
  {"op": "search", "data": [[0.1, ...]] or ["text", ...], "anns_field": "f", "limit": 5,
   "filter": "", "filter_params": {...}, "output_fields": [...], "search_params": {...},
   "group_by_field": "g", "group_size": 2, "strict_group_size": true}
  {"op": "hybrid", "reqs": [{"data": [...], "anns_field": "f", "param": {...}, "limit": 5,
   "expr": ""}], "ranker": {"type": "rrf", "k": 60} or {"type": "weighted", "weights": [..]},
   "limit": 5, "output_fields": [...], "group_by_field": ..., "group_size": ...}
  {"op": "query", "filter": "...", "filter_params": {...}, "output_fields": [...], "limit": 100}
Sparse query vectors are objects {"index": value} (keys are turned into ints).

Output: {"pymilvus": VERSION, "results": [RESULT, ...]}, one RESULT per READ:
  search/hybrid: [[{"id": ID, "score": S, "fields": {...}}, ...] per query]
  query: [{row}, ...]
  a read that failed: {"error": "message"}
"""
import json
import sys

import pymilvus
from pymilvus import AnnSearchRequest, MilvusClient, RRFRanker, WeightedRanker


def vectors(data):
    out = []
    for v in data:
        if isinstance(v, dict):
            out.append({int(k): float(x) for k, x in v.items()})
        else:
            out.append(v)
    return out


def plain(value):
    """JSON-able form of what pymilvus returns (numpy scalars, bytes, protobuf repeated...)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    if hasattr(value, "tolist"):
        return value.tolist()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    try:
        return [plain(v) for v in value]
    except TypeError:
        return str(value)


def hits(result):
    out = []
    for per_query in result:
        rows = []
        for hit in per_query:
            h = dict(hit)
            entity = h.get("entity") or {}
            rows.append({"id": plain(h.get("id")), "score": float(h.get("distance")), "fields": plain(dict(entity))})
        out.append(rows)
    return out


def group_kwargs(read):
    kw = {}
    for key in ("group_by_field", "group_size", "strict_group_size"):
        if key in read:
            kw[key] = read[key]
    return kw


def run(client, collection, read, timeout):
    op = read["op"]
    if op == "search":
        kw = group_kwargs(read)
        if read.get("filter_params"):
            kw["filter_params"] = read["filter_params"]
        return hits(client.search(collection, data=vectors(read["data"]), filter=read.get("filter", ""),
                                  limit=read.get("limit", 10), output_fields=read.get("output_fields"),
                                  search_params=read.get("search_params") or {}, anns_field=read.get("anns_field"),
                                  timeout=timeout, **kw))
    if op == "hybrid":
        reqs = [AnnSearchRequest(data=vectors(r["data"]), anns_field=r["anns_field"], param=r.get("param") or {},
                                 limit=r.get("limit", 10), expr=r.get("expr") or None) for r in read["reqs"]]
        ranker = read["ranker"]
        if ranker["type"] == "rrf":
            rank = RRFRanker(ranker.get("k", 60))
        else:
            rank = WeightedRanker(*ranker["weights"])
        return hits(client.hybrid_search(collection, reqs=reqs, ranker=rank, limit=read.get("limit", 10),
                                         output_fields=read.get("output_fields"), timeout=timeout,
                                         **group_kwargs(read)))
    if op == "query":
        kw = {}
        if "limit" in read:
            kw["limit"] = read["limit"]
        if read.get("filter_params"):
            kw["filter_params"] = read["filter_params"]
        rows = client.query(collection, filter=read.get("filter", ""), output_fields=read.get("output_fields"),
                            timeout=timeout, **kw)
        return [plain(dict(r)) for r in rows]
    raise ValueError("unknown op " + op)


def main():
    source = sys.stdin if len(sys.argv) < 2 or sys.argv[1] == "-" else open(sys.argv[1], encoding="utf-8")
    spec = json.load(source)
    client = MilvusClient(uri=spec["uri"], token=spec.get("token", ""), timeout=spec.get("timeout", 20))
    timeout = spec.get("timeout", 20)
    results = []
    for read in spec["reads"]:
        try:
            results.append(run(client, spec["collection"], read, timeout))
        except Exception as e:  # one failed read does not hide the others
            results.append({"error": "%s: %s" % (type(e).__name__, e)})
    json.dump({"pymilvus": pymilvus.__version__, "results": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
