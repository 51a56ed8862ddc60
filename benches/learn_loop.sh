#!/usr/bin/env bash
# Learned libraries in use (issue 5), on janus's own solutions; nothing is read from
# ../shared/data.
#
#   bash benches/learn_loop.sh [JANUS] [OUT]
#
# 1. DreamCoder's loop on double-and-add: learn a library from the solutions of
#    tasks/double-add/random-500.txt (targets drawn with seed 0), then solve 500 new
#    targets (seed 1) without and with it: expansions and time per task.
# 2. Domain rewrites on the 24 Game: learn from janus's solutions of all 1362 puzzles of
#    tasks/24game/solvable.csv syntax only, then modulo dsl/arith.rewrites.
set -euo pipefail
JANUS=${1:-target/release/janus}
OUT=${2:-target/bench-learn}
mkdir -p "$OUT"
run() { echo "+ $*" >&2; "$@"; }

run "$JANUS" solve tasks/double-add/random-500.txt --json --jobs 2 > "$OUT/double-add.solutions.jsonl"
run "$JANUS" learn "$OUT/double-add.solutions.jsonl" --arity 2 --iterations 10 --out "$OUT/double-add.lib"
run "$JANUS" tasks gen double-add --count 500 --max 5000000 --seed 1 --out "$OUT/double-add.heldout.txt"
for lib in "" "--library $OUT/double-add.lib"; do
    # shellcheck disable=SC2086
    run "$JANUS" solve "$OUT/double-add.heldout.txt" --quiet --jobs 1 $lib
done

run "$JANUS" solve tasks/24game/solvable.csv --json --jobs 2 > "$OUT/24.solutions.jsonl"
run "$JANUS" learn "$OUT/24.solutions.jsonl" --arity 2 --iterations 10 | tail -1
run "$JANUS" learn "$OUT/24.solutions.jsonl" --arity 2 --iterations 10 --rewrites dsl/arith.rewrites | tail -2
