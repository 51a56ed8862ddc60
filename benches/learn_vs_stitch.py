#!/usr/bin/env python3
"""janus learn against Stitch (PyPI stitch-core, the issue's peer), side by side in one run.

    python3 benches/learn_vs_stitch.py [--janus target/release/janus] [--data ../shared/data/liblearn]
                                       [--repeat 3] [--json out.json]

For each corpus and setting: the compression ratio (original cost / rewritten corpus cost,
Stitch's cost metric, each task's cheapest program), the wall time of the learning call
(janus: reading the file + learning; Stitch: `compress` on the parsed JSON, 1 thread), the
median of --repeat runs, and the peak memory of each process (janus's VmHWM; Stitch's
ru_maxrss, which includes the Python interpreter). Each tool runs in its own process.
`make bench-learn` installs stitch-core into target/stitch-venv and runs this with it.
"""
import argparse
import json
import statistics
import subprocess
import sys

CORPORA = [
    ("cogsci/nuts-bolts.json", 3, 10),
    ("cogsci/furniture.json", 2, 10),
    ("cogsci/wheels.json", 2, 10),
    ("cogsci/dials.json", 2, 10),
    ("cogsci/bridge.json", 2, 10),
    ("dc/origami/iteration_0_3.json", 3, 10),
    ("dc/origami/iteration_1_6.json", 3, 10),
    ("dc/origami/iteration_2_1.json", 3, 10),
    ("dc/logo_iteration_1.json", 3, 10),
]

STITCH = r"""
import json, resource, sys, time, stitch_core
path, arity, iterations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = json.load(open(path))
kwargs = stitch_core.from_dreamcoder(data) if isinstance(data, dict) else dict(programs=data)
start = time.perf_counter()
result = stitch_core.compress(iterations=iterations, max_arity=arity, threads=1, **kwargs)
seconds = time.perf_counter() - start
j = result.json
print(json.dumps(dict(original_cost=j["original_cost"], final_cost=j["final_cost"],
                      compression_ratio=j["compression_ratio"], seconds=seconds,
                      abstractions=len(j["abstractions"]),
                      peak_memory_bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)))
"""


def run_stitch(python, path, arity, iterations):
    out = subprocess.run([python, "-c", STITCH, path, str(arity), str(iterations)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_janus(janus, path, arity, iterations):
    out = subprocess.run([janus, "learn", path, "--arity", str(arity), "--iterations",
                          str(iterations), "--json"], check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    r["abstractions"] = len(r["abstractions"])
    return r


def median_run(fn, repeat):
    runs = [fn() for _ in range(repeat)]
    best = dict(runs[0])
    best["seconds"] = statistics.median(r["seconds"] for r in runs)
    best["peak_memory_bytes"] = max(r["peak_memory_bytes"] or 0 for r in runs)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--janus", default="target/release/janus")
    ap.add_argument("--janus-lean", help="a janus built without libtorch (--no-default-features): "
                    "its peak memory is reported too (the default build maps libtorch)")
    ap.add_argument("--data", default="../shared/data/liblearn")
    ap.add_argument("--python", default=sys.executable, help="a Python with stitch-core")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json")
    a = ap.parse_args()
    rows = []
    lean = " janus peak MB, no torch |" if a.janus_lean else ""
    print("| corpus | arity | iterations | Stitch CR | janus CR | Stitch s | janus s | janus / Stitch time | Stitch peak MB | janus peak MB |" + lean)
    print("|---|---|---|---|---|---|---|---|---|---|" + ("---|" if a.janus_lean else ""))
    for name, arity, iterations in CORPORA:
        path = f"{a.data}/{name}"
        # Alternate the two tools so that machine noise hits both alike.
        s = median_run(lambda: run_stitch(a.python, path, arity, iterations), a.repeat)
        j = median_run(lambda: run_janus(a.janus, path, arity, iterations), a.repeat)
        row = dict(corpus=name, arity=arity, iterations=iterations, stitch=s, janus=j)
        extra = ""
        if a.janus_lean:
            row["janus_lean"] = run_janus(a.janus_lean, path, arity, iterations)
            extra = f" {row['janus_lean']['peak_memory_bytes'] / 2**20:.0f} |"
        rows.append(row)
        print(f"| {name} | {arity} | {iterations} | {s['compression_ratio']:.3f} | {j['compression_ratio']:.3f} "
              f"| {s['seconds']:.3f} | {j['seconds']:.3f} | {j['seconds'] / s['seconds']:.2f} "
              f"| {s['peak_memory_bytes'] / 2**20:.0f} | {j['peak_memory_bytes'] / 2**20:.0f} |" + extra, flush=True)
        if j["original_cost"] != s["original_cost"]:
            print(f"  (original costs differ: Stitch {s['original_cost']}, janus {j['original_cost']})")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
