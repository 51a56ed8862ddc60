#!/usr/bin/env bash
# Length generalization of the reasoning trees, with and without a chain of thought
# (issue 21): train on inputs of length 1..L, test on 1..4L, for parity, a 5-state
# automaton over 3 symbols, and addition. Prints a markdown table (accuracy by length
# band, tree size) and keeps the datasets, models and JSON reports in OUT.
#
#   [TASKS="parity automaton addition"] [TRAIN_ARGS="--last 1"] \
#     bash benches/reason.sh [JANUS] [OUT] [L] [N_TRAIN] [ROUNDS]
#
# TRAIN_ARGS go to every `janus ardt reason train` (the feature settings, say).
set -euo pipefail
JANUS=${1:-target/release/janus}
OUT=${2:-target/bench-reason}
L=${3:-8}
N=${4:-1000}
ROUNDS=${5:-60}
mkdir -p "$OUT"
echo "| task | form | window | train s | trees | leaves | depth | 1..$L | $((L+1))..$((2*L)) | $((2*L+1))..$((4*L)) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for task in ${TASKS:-parity automaton addition}; do
  for cot in "" "--cot"; do
   for window in 16 1; do
    name="$task${cot:+-cot}-w$window"
    form=${cot:+chain of thought}; form=${form:-answer only}
    "$JANUS" -q ardt reason gen "$task" --n "$N" --len "$L" $cot --seed 1 --out "$OUT/$name-train.jsonl"
    "$JANUS" -q ardt reason gen "$task" --n 600 --len $((4*L)) $cot --seed 2 --out "$OUT/$name-test.jsonl"
    "$JANUS" -q ardt reason train --data "$OUT/$name-train.jsonl" --out "$OUT/$name.model" \
      --rounds "$ROUNDS" --window "$window" ${TRAIN_ARGS:-} --json > "$OUT/$name-train.json"
    "$JANUS" -q ardt reason eval --model "$OUT/$name.model" --data "$OUT/$name-test.jsonl" \
      --json > "$OUT/$name-eval.json"
    python3 - "$OUT/$name-train.json" "$OUT/$name-eval.json" "$task" "$form" "$L" "$window" <<'PY'
import json, sys
train, ev = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
L = int(sys.argv[5])
def band(lo, hi):
    rows = [b for b in ev["by_length"] if lo <= b["length"] <= hi]
    n = sum(b["examples"] for b in rows)
    return sum(b["accuracy"] * b["examples"] for b in rows) / max(n, 1)
print(f"| {sys.argv[3]} | {sys.argv[4]} | {sys.argv[6]} | {train['seconds']:.1f} | {train['trees']} | {train['leaves']} | "
      f"{train['depth']} | {band(1, L):.3f} | {band(L + 1, 2 * L):.3f} | {band(2 * L + 1, 4 * L):.3f} |")
PY
   done
  done
done
