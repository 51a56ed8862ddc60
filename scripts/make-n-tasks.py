#!/usr/bin/env python3
"""Turn `janus tasks gen 24game --target N` output (CSV of puzzles) into janus JSON tasks,
a seeded sample of COUNT of them: "make N" puzzles to tune the 24 Game guide on without
touching the 24 Game benchmark.

    janus tasks gen 24game --target 30 --out make30.csv
    python3 scripts/make-n-tasks.py make30.csv 30 300 30 > tasks/24game/make30-300.json
"""
import csv
import json
import random
import sys

path, target, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = [r["Puzzles"] for r in csv.DictReader(open(path))]
pick = sorted(random.Random(seed).sample(range(len(rows)), count))
tasks = [
    {
        "domain": "24",
        "id": f"make{target}-{i}",
        "inputs": [f"{n}/1" for n in rows[i].split()],
        "target": f"{target}/1",
    }
    for i in pick
]
json.dump({"tasks": tasks}, sys.stdout, indent=2)
