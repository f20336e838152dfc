"""Compares boto 2.49's client CPU per op with ours (client_overhead --clients ours --conc 1).

usage: python boto_table.py boto.jsonl ours_c1.md
"""
import json
import re
import statistics
import sys


def summary(values):
    return "%.1f [%.1f–%.1f]" % (statistics.median(values), min(values), max(values))


def main():
    boto = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
    boto_cpu = [b["cpu_us_per_op"] for b in boto]
    boto_ops = [b["ops_per_sec"] for b in boto]
    ours = None
    for line in open(sys.argv[2]):
        m = re.match(r"\| 1 \| ours \| ([\d.]+) \[.*?\] \| ([\d.]+) \[([\d.]+)–([\d.]+)\]", line)
        if m:
            ours = float(m.group(2)), float(m.group(3)), float(m.group(4))
    print("| client (conc 1) | ops/s | client CPU µs/op |")
    print("|---|---|---|")
    print("| boto 2.49 Layer2 | %s | %s |" % (summary(boto_ops), summary(boto_cpu)))
    if ours:
        print("| ours | (see client table) | %.2f [%.2f–%.2f] |" % ours)
        med = statistics.median(boto_cpu)
        print("\nours / boto CPU per op: %.3f (= 1/%.0f); worst case ours max / boto min: %.3f"
              % (ours[0] / med, med / ours[0], ours[2] / min(boto_cpu)))


if __name__ == "__main__":
    main()
