#!/usr/bin/env bash
# `janus grow` (issue 19): DreamCoder's loop against the same DSL without learning at the
# summed budget, side by side in one session.
#
#   bash benches/grow.sh [JANUS] [DATA] [OUT] [ARC_TIMEOUT]
#
# 1. DreamCoder's ARC symmetry experiment: the 36 tasks of benchmarks/arc-symmetry.tasks
#    from dsl/arc-symmetry.base, 5 iterations of 30 actions per task; the ablation is the
#    base alone at 150 actions per task.
# 2. The curricula (tasks/curricula): double-and-add at 8 actions per task, the 24 Game at
#    20, each against no learning at the per-iteration and at the summed budget.
# 3. The 400 ARC training tasks with the full DSL: 3 iterations at ARC_TIMEOUT seconds per
#    task (default 1), 2 jobs; the ablation at 3x the time; and transfer: the library grown
#    on the first 200 (by file name), used on the second 200.
set -euo pipefail
JANUS=${1:-target/release/janus}
DATA=${2:-../shared/data}
OUT=${3:-target/bench-grow}
T=${4:-1}
mkdir -p "$OUT"
# Echo a command with its task list cut short.
run() { echo "+ ${*:1:2} ... ${*: -8} ($# words)" >&2; "$@"; }
solved() { tail -1 | sed 's/.*"solved":\([0-9]*\).*/\1/'; }
rm -rf "$OUT"/sym "$OUT"/da "$OUT"/g24 "$OUT"/arc-all "$OUT"/arc-first

mapfile -t SYM < <(sed "s|.*|$DATA/arc1/training/&.json|" benchmarks/arc-symmetry.tasks)
run "$JANUS" grow "${SYM[@]}" --state "$OUT/sym" --base dsl/arc-symmetry.base \
    --iterations 5 --max-expansions 30 --jobs 2
echo "ablation (base alone, 150 actions): $("$JANUS" solve "${SYM[@]}" --base dsl/arc-symmetry.base \
    --max-expansions 150 --jobs 2 --json | solved)/36"

run "$JANUS" grow tasks/curricula/double-add --state "$OUT/da" --max-expansions 8 \
    --iterations 3 --arity 1 --jobs 1
for n in 8 24; do
    echo "double-add without learning, $n actions: $("$JANUS" solve tasks/curricula/double-add \
        --max-expansions $n --json | solved)/40"
done
run "$JANUS" grow tasks/curricula/24 --state "$OUT/g24" --max-expansions 20 --iterations 3 \
    --arity 3 --jobs 1
for n in 20 60; do
    echo "24 without learning, $n actions: $("$JANUS" solve tasks/curricula/24 \
        --max-expansions $n --json | solved)/60"
done

mapfile -t ALL < <(ls "$DATA"/arc1/training/*.json)
run "$JANUS" grow "${ALL[@]}" --state "$OUT/arc-all" --iterations 3 --timeout "$T" --jobs 2 --json \
    > "$OUT/arc-all.jsonl"
run "$JANUS" grow "${ALL[@]:0:200}" --state "$OUT/arc-first" --iterations 3 --timeout "$T" \
    --jobs 2 --json > "$OUT/arc-first.jsonl"
run "$JANUS" solve "${ALL[@]:200}" --library "$OUT/arc-first/library.lib" --timeout "$T" \
    --jobs 2 --json > "$OUT/second-lib.jsonl"
run "$JANUS" solve "${ALL[@]:200}" --timeout "$T" --jobs 2 --json > "$OUT/second-plain.jsonl"
run "$JANUS" solve "${ALL[@]}" --timeout "$(echo "3 * $T" | bc -l)" --jobs 2 --json \
    > "$OUT/arc-ablation.jsonl"
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
lines = lambda f: [json.loads(l) for l in open(f"{out}/{f}")]
for r in lines("arc-all.jsonl"):
    print(f"ARC iteration {r['iteration']}: {r['solved_total']}/400 ({r['solved_new']} new), "
          f"library {r['library_size']}, {r['solve_seconds']:.0f} s")
abl = [r for r in lines("arc-ablation.jsonl") if "task" in r]
print("ARC ablation (3x time):", sum(r["solved"] for r in abl), "/400; halves",
      sum(r["solved"] for r in abl[:200]), sum(r["solved"] for r in abl[200:]))
for name in ("second-plain", "second-lib"):
    rs = [r for r in lines(f"{name}.jsonl") if "task" in r]
    used = [r["task"] for r in rs if r["solved"] and "#fn_" in (r["program"] or "")]
    print(f"second 200, {name}: {sum(r['solved'] for r in rs)}/200; solved with learned: {used}")
PY
