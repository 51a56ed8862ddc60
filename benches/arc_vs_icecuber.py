#!/usr/bin/env python3
"""ARC training set: `janus solve --json` runs (one or more binaries) against icecuber's
recorded per-task results, by half of the training set (sorted by file name: the first
200 are where janus is developed, the second 200 are held out).

For each run: tasks fully correct (two attempts), test outputs, train fits whose test
fails, candidates and expansions per second of search, and the tasks it solves that
icecuber (at each recorded depth) does not, and the reverse.

    python3 benches/arc_vs_icecuber.py --icecuber DATA/peers/icecuber \\
        --tasks DATA/arc1/training NAME=RUN.jsonl [NAME=RUN.jsonl ...]
"""
import argparse
import json
import os


def load_janus(path):
    rows = {}
    with open(path) as f:
        for line in f:
            row = json.loads(line)
            if "task" in row:
                rows[row["task"]] = row
    return rows


def load_icecuber(path):
    with open(path) as f:
        rows = [json.loads(line) for line in f]
    return {r["task"]: r["top2_correct"] == r["test_total"] for r in rows}


def figures(rows, tasks):
    rows = [rows[t] for t in tasks if t in rows]
    time_s = sum(r["time_ms"] + r.get("time_ms_2", 0.0) for r in rows) / 1e3
    expansions = sum(r["expansions"] + r.get("expansions_2", 0) for r in rows)
    return {
        "tasks": len(rows),
        "solved": sum(r["solved"] for r in rows),
        "test outputs": sum(r["test_correct"] for r in rows),
        "train fit, test wrong": sum(r["train_fit"] and not r["solved"] for r in rows),
        "candidates/s": round(sum(r["candidates"] for r in rows) / max(time_s, 1e-9)),
        "expansions/s": round(expansions / max(time_s, 1e-9), 1),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--icecuber", required=True, help="folder of training-depth{2,3}.jsonl")
    ap.add_argument("--tasks", required=True, help="the ARC training folder")
    ap.add_argument("runs", nargs="+", help="NAME=janus --json output")
    args = ap.parse_args()
    names = sorted(f[:-5] for f in os.listdir(args.tasks) if f.endswith(".json"))
    halves = {"first 200": names[:200], "second 200": names[200:], "all 400": names}
    ice = {
        d: load_icecuber(os.path.join(args.icecuber, f"training-depth{d}.jsonl"))
        for d in (2, 3)
    }
    runs = {}
    for spec in args.runs:
        name, path = spec.split("=", 1)
        runs[name] = load_janus(path)
    for half, tasks in halves.items():
        print(f"## {half}")
        for d, solved in ice.items():
            print(f"  icecuber depth {d}: solved {sum(solved.get(t, False) for t in tasks)}")
        for name, rows in runs.items():
            print(f"  {name}: {figures(rows, tasks)}")
    for name, rows in runs.items():
        for d, solved in ice.items():
            only_janus = [t for t in names if rows.get(t, {}).get("solved") and not solved.get(t)]
            only_ice = [t for t in names if solved.get(t) and not rows.get(t, {}).get("solved")]
            print(f"{name} vs icecuber depth {d}: only {name} {len(only_janus)}, "
                  f"only icecuber {len(only_ice)}")
            print(f"  only {name}: {' '.join(only_janus)}")


if __name__ == "__main__":
    main()
