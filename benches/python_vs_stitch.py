#!/usr/bin/env python3
"""janus.learn against stitch_core.compress, called the same way from one Python process.

    target/pyvenv/bin/python benches/python_vs_stitch.py [--data ../shared/data/liblearn] [--repeat 3]

For each corpus of benches/learn_vs_stitch.py: the same keyword arguments (Stitch's
`from_dreamcoder` for DreamCoder files) go to both; the table gives each one's compression
ratio and final cost, whether they found the same abstractions, and the median wall time
of --repeat calls, alternating, with the ratio janus / Stitch. Needs the venv of
`make python-test` (janus, stitch-core).
"""
import argparse
import json
import statistics
import time

import stitch_core

import janus
from learn_vs_stitch import CORPORA


def timed(fn, kwargs):
    start = time.perf_counter()
    result = fn(**kwargs)
    return result, time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/liblearn")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json")
    a = ap.parse_args()
    rows = []
    print("| corpus | arity | iterations | Stitch CR | janus CR | same abstractions | Stitch s | janus s | janus / Stitch |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, arity, iterations in CORPORA:
        data = json.load(open(f"{a.data}/{name}"))
        kwargs = stitch_core.from_dreamcoder(data) if isinstance(data, dict) else dict(programs=data)
        kwargs.update(iterations=iterations, max_arity=arity, threads=1, silent=True)
        times = {"stitch": [], "janus": []}
        for _ in range(a.repeat):
            theirs, t = timed(stitch_core.compress, kwargs)
            times["stitch"].append(t)
            ours, t = timed(janus.learn, kwargs)
            times["janus"].append(t)
        key = lambda r: [(x["arity"], x["body"]) for x in r.json["abstractions"]]
        row = dict(corpus=name, arity=arity, iterations=iterations,
                   stitch_cr=theirs.json["compression_ratio"], janus_cr=ours.json["compression_ratio"],
                   stitch_final=theirs.json["final_cost"], janus_final=ours.json["final_cost"],
                   same=key(theirs) == key(ours),
                   stitch_s=statistics.median(times["stitch"]), janus_s=statistics.median(times["janus"]))
        rows.append(row)
        print(f"| {name} | {arity} | {iterations} | {row['stitch_cr']:.2f} | {row['janus_cr']:.2f} | "
              f"{'yes' if row['same'] else 'no'} | {row['stitch_s']:.3f} | {row['janus_s']:.3f} | "
              f"{row['janus_s'] / row['stitch_s']:.2f} |", flush=True)
    if a.json:
        json.dump(rows, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
