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
    --tokenizer-from "$OUT/brown-classify.ardt" --params 823000 --steps 3000 --batch 32 --jobs 2 \
    --out "$OUT/gpt-823k.safetensors" --json > "$OUT/gpt-823k.json"

COMMON=(--corpus "$TRAIN" --valid "$VALID" --jobs 2 --cache "$OUT/cache" --window 16 --decay 0.5
        --objective classify --classes 256 --subsample 0.5 --rounds 40 --json)
run "$JANUS" ardt train "${COMMON[@]}" --embeddings gpt --gpt "$OUT/gpt-823k.safetensors" --last 1 \
    --max-rows 400000 --out "$OUT/brown-gpt.ardt" --log "$OUT/brown-gpt.csv" > "$OUT/brown-gpt.train.json"
run "$JANUS" ardt train "${COMMON[@]}" --embeddings minilm --minilm .minilm/model --last 0 \
    --max-rows 100000 --out "$OUT/brown-minilm.ardt" --log "$OUT/brown-minilm.csv" > "$OUT/brown-minilm.train.json"
for m in gpt minilm; do
    run "$JANUS" ardt eval --model "$OUT/brown-$m.ardt" --corpus "$VALID" --jobs 2 --json \
        > "$OUT/brown-$m.eval.json"
done
# The word2vec ARDT with a bigram prior (--prior) on every training row. Its settings
# (the last 1 or 2 embeddings, and the round count) are chosen on a development split of
# the training corpus (every tenth document, offset 5, held out; early stopping after 5
# rounds without a better loss), never on $VALID.
awk 'NR%10!=6' "$TRAIN" > "$OUT/brown/dev-train.txt"
awk 'NR%10==6' "$TRAIN" > "$OUT/brown/dev.txt"
PRIOR=(--vocab-size 8000 --dim 64 --window 16 --decay 0.5 --jobs 2 --cache "$OUT/cache"
       --objective classify --classes 128 --prior --subsample 0.5 --json)
for last in 1 2; do
    run "$JANUS" ardt train "${PRIOR[@]}" --last "$last" --corpus "$OUT/brown/dev-train.txt" \
        --valid "$OUT/brown/dev.txt" --rounds 60 --early-stopping 5 --out "$OUT/dev-prior-last$last.ardt" \
        --log "$OUT/dev-prior-last$last.csv" > "$OUT/dev-prior-last$last.train.json"
done
read -r LAST ROUNDS < <(python3 - "$OUT" <<'PY'
import csv, json, sys
out = sys.argv[1]
def best(last):
    rows = list(csv.DictReader(open(f"{out}/dev-prior-last{last}.csv")))
    loss = min(float(r["valid_loss"]) for r in rows)
    return loss, last, json.load(open(f"{out}/dev-prior-last{last}.train.json"))["rounds"]
loss, last, rounds = min(best(1), best(2))
print(last, rounds)
PY
)
run /usr/bin/time -v "$JANUS" ardt train "${PRIOR[@]}" --last "$LAST" --corpus "$TRAIN" --valid "$VALID" \
    --rounds "$ROUNDS" --out "$OUT/brown-prior.ardt" --log "$OUT/brown-prior.csv" > "$OUT/brown-prior.train.json"
run "$JANUS" ardt eval --model "$OUT/brown-prior.ardt" --corpus "$VALID" --jobs 2 --json \
    > "$OUT/brown-prior.eval.json"
run "$JANUS" ardt ngram --model "$OUT/brown-prior.ardt" --corpus "$TRAIN" --valid "$VALID" --json \
    > "$OUT/brown-prior.ngram.json"
# Generation speed side by side, five times each (the VM is noisy): the decoder (no training steps) and the ARDT.
for i in 1 2 3 4 5; do
    run "$JANUS" ardt baseline --corpus "$TRAIN" --valid "$VALID" --tokenizer-from "$OUT/brown-prior.ardt" \
        --init "$OUT/gpt-823k.safetensors" --params 823000 --out "$OUT/gpt-823k-copy.safetensors" \
        --steps 0 --jobs 2 --max-rows 1000 --json > "$OUT/gen-gpt-$i.json"
    run "$JANUS" ardt eval --model "$OUT/brown-prior.ardt" --corpus "$VALID" --jobs 2 --max-rows 1000 \
        --json > "$OUT/gen-prior-$i.json"
done
echo "results in $OUT" >&2
