#!/usr/bin/env bash
# Issue 7's CPU figures: the Transformer baseline of matched size, and ARDTs on its hidden
# states and on MiniLM's, beside the word2vec ARDT of benches/ardt.sh (run that first:
# this script reuses its Brown split, its classifier's tokenizer and its settings).
#
#   bash benches/ardt-transformers.sh [JANUS] [OUT]
set -euo pipefail
JANUS=${1:-target/release/janus}
OUT=${2:-target/bench-ardt}
TRAIN=$OUT/brown/brown-train.txt
VALID=$OUT/brown/brown-valid.txt
run() { echo "+ $*" >&2; "$@"; }
[ -s .minilm/model/model.safetensors ] || bash scripts/fetch-minilm.sh

# The Transformer alone, about as many parameters as the word2vec classifier ARDT
# (311k leaves + 512k embedding entries).
[ -s "$OUT/gpt-823k.json" ] || run /usr/bin/time -v "$JANUS" ardt baseline --corpus "$TRAIN" --valid "$VALID" \
    --tokenizer-from "$OUT/brown-classify.ardt" --params 823000 --steps 3000 --batch 32 --threads 2 \
    --out "$OUT/gpt-823k.safetensors" --json > "$OUT/gpt-823k.json"

COMMON=(--corpus "$TRAIN" --valid "$VALID" --threads 2 --cache "$OUT/cache" --window 16 --decay 0.5
        --objective classify --classes 256 --subsample 0.5 --rounds 40 --json)
run "$JANUS" ardt train "${COMMON[@]}" --embeddings gpt --gpt "$OUT/gpt-823k.safetensors" --last 1 \
    --max-rows 400000 --out "$OUT/brown-gpt.ardt" --log "$OUT/brown-gpt.csv" > "$OUT/brown-gpt.train.json"
run "$JANUS" ardt train "${COMMON[@]}" --embeddings minilm --minilm .minilm/model --last 0 \
    --max-rows 100000 --out "$OUT/brown-minilm.ardt" --log "$OUT/brown-minilm.csv" > "$OUT/brown-minilm.train.json"
for m in gpt minilm; do
    run "$JANUS" ardt eval --model "$OUT/brown-$m.ardt" --corpus "$VALID" --threads 2 --json \
        > "$OUT/brown-$m.eval.json"
done
echo "results in $OUT" >&2
