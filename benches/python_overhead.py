#!/usr/bin/env python3
"""The cost of Python around janus, and of Ray around it, side by side with the CLI.

    target/pyvenv/bin/python benches/python_overhead.py 24 --janus target/notorch/release/janus
    target/pyvenv/bin/python benches/python_overhead.py ray --data ../shared/data/arc1/training \\
        --timeout 2 --janus target/notorch/release/janus --out target/bench-python

`24`: the 24 Game CSV (tasks/24game/solvable.csv) solved by `janus solve --json --jobs 2`
and by `janus.solve(jobs=2)` in this process, --repeat times alternating: wall times
(process start and file reading included on both sides) and equal results.
`ray`: the ARC tasks of --data by `janus solve --json --jobs 2` and by
`janus.distributed.solve` on a local Ray instance with 2 CPUs, one Ray task each; tasks
solved, test outputs right, wall time, and the tasks whose results differ (a time budget
makes a search's result depend on the machine's load, so some may), for each half of the
sorted task list.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import janus


def cli(janus_bin, path, extra):
    start = time.perf_counter()
    out = subprocess.run([janus_bin, "solve", path, "--json", *extra], check=False,
                         capture_output=True, text=True).stdout
    seconds = time.perf_counter() - start
    lines = [json.loads(l) for l in out.splitlines()]
    return [l for l in lines if "task" in l], seconds


def key(r):
    return (r["task"], r["solved"], r.get("program"), r["test_correct"])


def bench_24(a):
    path = "tasks/24game/solvable.csv"
    rows = {"cli": [], "python": []}
    for _ in range(a.repeat):
        cli_reports, t = cli(a.janus, path, ["--jobs", "2", "--timeout", "10"])
        rows["cli"].append(t)
        start = time.perf_counter()
        py_reports = janus.solve(path, jobs=2, timeout=10)
        rows["python"].append(time.perf_counter() - start)
    same = sum(r["solved"] for r in cli_reports) == sum(r.solved for r in py_reports)
    c, p = statistics.median(rows["cli"]), statistics.median(rows["python"])
    print(f"24 Game, {len(py_reports)} puzzles, --jobs 2, median of {a.repeat}: CLI {c:.2f} s, "
          f"Python {p:.2f} s, Python / CLI {p / c:.3f}; solved CLI "
          f"{sum(r['solved'] for r in cli_reports)}, Python {sum(r.solved for r in py_reports)}; "
          f"same count: {same}")


def halves(reports, ids):
    first = set(ids[:len(ids) // 2])
    def count(part):
        rs = [r for r in reports if (r["task"] in first) == (part == 0)]
        full = sum(r["test_correct"] == r["test_total"] and r["test_total"] > 0 for r in rs)
        return full, sum(r["test_correct"] for r in rs)
    return count(0), count(1)


def bench_ray(a):
    import ray
    os.makedirs(a.out, exist_ok=True)
    tasks = janus.load_tasks(a.data)
    ids = sorted(t.id for t in tasks)
    extra = ["--jobs", "2", "--timeout", str(a.timeout)]
    cli_reports, cli_s = cli(a.janus, a.data, extra)
    with open(os.path.join(a.out, "cli.jsonl"), "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in cli_reports)
    ray.init(address="local", _node_ip_address="127.0.0.1", num_cpus=2, include_dashboard=False,
             log_to_driver=False, configure_logging=False)
    from janus import distributed
    out = os.path.join(a.out, "ray.jsonl")
    if os.path.exists(out):
        os.remove(out)
    start = time.perf_counter()
    ray_reports = distributed.solve(tasks, timeout=a.timeout, out=out,
                                          submission=os.path.join(a.out, "ray-submission.json"))
    ray_s = time.perf_counter() - start
    ray_reports = [r.to_dict() for r in ray_reports]
    by_id = {r["task"]: r for r in cli_reports}
    differ = [r["task"] for r in ray_reports if key(r) != key(by_id[r["task"]])]
    for name, reports, seconds in [("janus solve --jobs 2", cli_reports, cli_s),
                                   ("janus.distributed (Ray, 2 CPUs)", ray_reports, ray_s)]:
        (f1, t1), (f2, t2) = halves(reports, ids)
        print(f"| {name} | {f1} | {f2} | {f1 + f2} | {t1 + t2} | {seconds:.0f} |")
    print(f"Ray / CLI wall: {ray_s / cli_s:.3f}; tasks whose result differs: {len(differ)} {differ}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["24", "ray"])
    ap.add_argument("--janus", default="target/notorch/release/janus")
    ap.add_argument("--data", default="../shared/data/arc1/training")
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default="target/bench-python")
    a = ap.parse_args()
    bench_24(a) if a.what == "24" else bench_ray(a)


if __name__ == "__main__":
    sys.exit(main())
