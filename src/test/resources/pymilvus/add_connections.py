"""Feeds configs to pymilvus's ORM connections and reports what it made of them.

stdin: a JSON list of {"alias": str, "config": {pymilvus keys}}.
stdout, last line: RESULT {"version": str, "results": [{"alias", "ok", "address", "user", "secure"}
or {"alias", "ok": false, "error"}]}. Nothing connects: add_connection only records the config.
"""
import json
import sys

import pymilvus
from pymilvus import connections


def main():
    cases = json.load(sys.stdin)
    results = []
    for case in cases:
        alias = case["alias"]
        try:
            connections.add_connection(**{alias: case["config"]})
            addr = connections.get_connection_addr(alias)
            results.append({
                "alias": alias,
                "ok": True,
                "address": addr.get("address"),
                "user": addr.get("user") or None,
                "secure": bool(addr.get("secure", False)),
            })
        except Exception as e:  # report, never stop: one bad case must not hide the others
            results.append({"alias": alias, "ok": False, "error": f"{type(e).__name__}: {e}"})
    print("RESULT " + json.dumps({"version": pymilvus.__version__, "results": results}))


if __name__ == "__main__":
    main()
