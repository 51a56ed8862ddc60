#!/usr/bin/env python3
"""Side by side: two `janus solve --json` runs on the same tasks (a baseline and a
challenger, e.g. without and with --guide). Prints tasks fully correct, train fits,
expansions on the tasks both fully solve, and the tasks only one of them solves.

    python3 benches/compare_solves.py BASELINE.jsonl CHALLENGER.jsonl
"""
import json
import statistics
import sys


def load(path):
    tasks, summary = {}, None
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            if "summary" in row:
                summary = row["summary"]
            else:
                tasks[row["task"]] = row
    return tasks, summary


def main():
    (a, sa), (b, sb) = load(sys.argv[1]), load(sys.argv[2])
    names = (sys.argv[1], sys.argv[2])
    both = sorted(t for t in a if t in b and a[t]["solved"] and b[t]["solved"])
    print(f"{'':32} {'baseline':>12} {'challenger':>12}")
    for key in ("tasks", "solved", "train_fit", "train_fit_only"):
        print(f"{key:32} {sa[key]:>12} {sb[key]:>12}")
    wall = (sa["wall_ms"] / 1000, sb["wall_ms"] / 1000)
    print(f"{'wall s':32} {wall[0]:>12.1f} {wall[1]:>12.1f}")
    ea = [a[t]["expansions"] for t in both]
    eb = [b[t]["expansions"] for t in both]
    print(f"solved by both: {len(both)}")
    if both:
        print(f"{'  expansions, total':32} {sum(ea):>12} {sum(eb):>12}")
        print(f"{'  expansions, median':32} {statistics.median(ea):>12} {statistics.median(eb):>12}")
        fewer = sum(1 for x, y in zip(ea, eb) if y < x)
        more = sum(1 for x, y in zip(ea, eb) if y > x)
        print(f"  challenger needs fewer on {fewer}, more on {more}, as many on {len(both) - fewer - more}")
        ms = ([a[t]["time_ms"] for t in both], [b[t]["time_ms"] for t in both])
        print(f"{'  ms, median':32} {statistics.median(ms[0]):>12.1f} {statistics.median(ms[1]):>12.1f}")
    only_a = sorted(t for t in a if a[t]["solved"] and not b.get(t, {}).get("solved"))
    only_b = sorted(t for t in b if b[t]["solved"] and not a.get(t, {}).get("solved"))
    print(f"only {names[0]}: {len(only_a)} {' '.join(only_a)}")
    print(f"only {names[1]}: {len(only_b)} {' '.join(only_b)}")


if __name__ == "__main__":
    main()
