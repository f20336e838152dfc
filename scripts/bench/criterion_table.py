"""Prints the codec results as a table: per benchmark the median and the
min/max of criterion's per-sample mean iteration times, and each entry's
speed-up over the peer of its group (serde_dynamo+aws, or the serde_json ceiling).

usage: python criterion_table.py bench/target/criterion
"""
import glob
import json
import os
import statistics
import sys

PEERS = ("serde_dynamo+aws", "serde_json_ceiling")


def load(root):
    rows = {}
    for path in glob.glob(os.path.join(root, "**", "new", "benchmark.json"), recursive=True):
        meta = json.load(open(path))
        sample = json.load(open(os.path.join(os.path.dirname(path), "sample.json")))
        per_iter = [t / n for t, n in zip(sample["times"], sample["iters"])]
        rows.setdefault(meta["group_id"], {})[meta["function_id"]] = per_iter
    return rows


def fmt(ns):
    if ns < 10_000:
        return "%.0f ns" % ns
    if ns < 10_000_000:
        return "%.1f µs" % (ns / 1000)
    return "%.2f ms" % (ns / 1e6)


def main():
    rows = load(sys.argv[1])
    print("| group | implementation | time per op: median [min–max] | peer time / this (speed-up) |")
    print("|---|---|---|---|")
    for group in sorted(rows):
        funcs = rows[group]
        peer = next((p for p in PEERS if p in funcs), None)
        peer_median = statistics.median(funcs[peer]) if peer else None
        for name in sorted(funcs, key=lambda n: (n in PEERS, n)):
            v = funcs[name]
            med = statistics.median(v)
            ratio = "%.2f× vs %s" % (peer_median / med, peer) if peer and name != peer else "–"
            print("| %s | %s | %s [%s–%s] | %s |" % (group, name, fmt(med), fmt(min(v)), fmt(max(v)), ratio))


if __name__ == "__main__":
    main()
