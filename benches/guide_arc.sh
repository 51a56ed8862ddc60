#!/usr/bin/env bash
# The ARC guide's figures of BENCHMARKS.md: the 400 ARC training tasks solved without and
# with the guide, first at the same expansion budget, then at the same time budget.
#
#   bash benches/guide_arc.sh [JANUS] [DATA] [OUT] [MODEL]
#
# Everything is written under OUT (default target/bench-guide-arc), nothing into the project.
set -euo pipefail
JANUS=${1:-target/release/janus}
DATA=${2:-../shared/data}
OUT=${3:-target/bench-guide-arc}
MODEL=${4:-models/arc-bidir.safetensors}
TASKS=$DATA/arc1/training
mkdir -p "$OUT"
run() { echo "+ $*" >&2; "$@"; }

for budget in "expansions --max-expansions 100 --timeout 60" "time --timeout 5"; do
    read -r name flags <<< "$budget"
    # shellcheck disable=SC2086
    run "$JANUS" solve "$TASKS" $flags --attempts 1 --jobs 2 --json > "$OUT/heuristic-$name.jsonl"
    # shellcheck disable=SC2086
    run "$JANUS" solve "$TASKS" $flags --attempts 1 --jobs 2 --json --guide "$MODEL" --device cpu \
        > "$OUT/guide-$name.jsonl"
    python3 benches/compare_solves.py "$OUT/heuristic-$name.jsonl" "$OUT/guide-$name.jsonl" \
        | tee "$OUT/compare-$name.txt"
done
