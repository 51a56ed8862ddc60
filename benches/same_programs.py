#!/usr/bin/env python3
"""Two janus binaries on the same tasks at a fixed expansion budget: the programs they
find must be the same, and their search times are compared as a ratio (the runs
alternate, so that both see the same machine).

    python3 benches/same_programs.py --old OLD_JANUS --new NEW_JANUS --data ../shared/data \
        [--arc-every K] [--repeats R] [--out DIR]

Sets: all 1362 puzzles of 24.csv, tasks/double-add/random-500.txt, and the 400 ARC
training tasks (every K-th with --arc-every) at --max-expansions 300 --attempts 1, one
job each so that times are per task. Prints, per set, the tasks whose `program` or
`expansions` differ, and new/old ratios of total search time and of candidates per
second.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def run(janus, paths, extra, out):
    cmd = [janus, "solve", *paths, "--json", "--jobs", "1", "--timeout", "1000", *extra]
    with open(out, "w") as f:
        subprocess.run(cmd, stdout=f, check=True)
    tasks, summary = {}, None
    for line in open(out):
        o = json.loads(line)
        if "summary" in o:
            summary = o["summary"]
        else:
            tasks[o["task"]] = o
    return tasks, summary


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--arc-every", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--out", default=tempfile.mkdtemp(prefix="same-programs-"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    arc_dir = os.path.join(a.data, "arc1", "training")
    arc = sorted(os.listdir(arc_dir))[:: a.arc_every]
    sets = {
        "24": ([os.path.join(a.data, "24game", "24.csv")], ["--max-expansions", "100000"]),
        "double-add": ([os.path.join(root, "tasks/double-add/random-500.txt")], []),
        "arc": ([os.path.join(arc_dir, f) for f in arc], ["--max-expansions", "300", "--attempts", "1"]),
    }
    ok = True
    for name, (paths, extra) in sets.items():
        time = {"old": 0.0, "new": 0.0}
        cands = {"old": 0, "new": 0}
        for r in range(a.repeats):
            for side in ("old", "new"):
                out = os.path.join(a.out, f"{name}-{side}-{r}.jsonl")
                tasks, summary = run(getattr(a, side), paths, extra, out)
                time[side] += summary["search_ms_total"]
                cands[side] += sum(t.get("candidates", 0) for t in tasks.values())
                if side == "old":
                    old = tasks
                else:
                    new = tasks
            differ = [t for t in old if (old[t].get("program"), old[t].get("expansions"))
                      != (new.get(t, {}).get("program"), new.get(t, {}).get("expansions"))]
            if differ or len(old) != len(new):
                ok = False
            print(f"{name} run {r + 1}: {len(old)} tasks, {len(differ)} differ {differ[:10]}")
        rate = {s: cands[s] / max(time[s], 1e-9) for s in time}
        print(f"{name}: search time old {time['old'] / 1e3:.2f} s, new {time['new'] / 1e3:.2f} s, "
              f"new/old {time['new'] / time['old']:.3f}; candidates per second new/old "
              f"{rate['new'] / rate['old']:.3f}")
        sys.stdout.flush()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
