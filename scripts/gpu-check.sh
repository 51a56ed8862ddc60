#!/usr/bin/env bash
# The GPU checks of the neural guide (issue 4) and the ARDT's Transformers (issue 7), in
# two halves:
#
#   TORCH_VENV=V scripts/gpu-check.sh build  # here (Rust, libtorch from PyPI): release
#                                       # binary -> dist/janus, with an rpath to V's torch
#                                       # libraries too, and MiniLM in F16 -> .minilm-half
#   TORCH_VENV=V scripts/gpu-check.sh run [guide|lm] # on a machine with an NVIDIA GPU and
#                                       # torch 2.11.0 in the venv V (no Rust needed there): carry
#                                       # dist/janus, and for `lm` .minilm-half and
#                                       # target/bench-ardt/brown (benches/ardt.sh's split)
#
# `run` prints the platform facts tch.md asks to check, then (guide) the supervised training
# speed of the 24 Game and double-and-add guides on CUDA and on CPU (`janus guide bench`)
# and a 24 Game guide trained on CUDA end to end, and (lm) the Transformer baseline's
# training speed on CUDA and on CPU at two sizes (`janus ardt baseline`) and MiniLM sentence
# embeddings of the corpus on CUDA and on CPU (`janus ardt embed`), with the largest
# difference between the two devices' vectors. Without a part named, both. About 3 minutes
# each.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${JANUS:-dist/janus}
: "${TORCH_VENV:?set TORCH_VENV to the venv that holds torch 2.11.0 on the GPU machine}"
PY=$TORCH_VENV/bin/python
out=${OUT:-/tmp}

platform() {
  (ldd --version || true) | head -1 || true
  "$PY" -c "import torch; print('torch', torch.__version__, torch.version.git_version, 'cuda', torch.cuda.is_available())" || true
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
  ldd "$BIN" | grep -E 'torch|c10|not found' || true
}

guide_check() {
  for domain in 24 double-add; do
    for device in cuda cpu; do
      "$BIN" guide bench --domain "$domain" --device "$device" --batches 200 --batch 512
    done
  done
  /usr/bin/time -v "$BIN" guide train --domain 24 --device cuda --programs 20000 --epochs 2 \
    --eval-random 100 --out "$out/gpu-24.safetensors" --log "$out/gpu-24.csv" 2>&1 \
    | grep -E 'supervised|wrote|Maximum resident|Elapsed' || true
}

# The Transformer baseline of the ARDT: 200 steps (20 for the larger one on CPU) on CUDA
# and on CPU, on the Brown split of benches/ardt.sh where it was carried, else on a
# generated corpus; then MiniLM sentence embeddings of the corpus's sentences on CUDA and
# on CPU, and how far apart the two devices' vectors are.
lm_check() {
  local brown=target/bench-ardt/brown train valid
  if [ -s "$brown/brown-train.txt" ]; then
    train=$brown/brown-train.txt valid=$brown/brown-valid.txt
  else
    awk 'BEGIN { srand(7); split("the a cat dog sat ran on in red blue big small and then it was", w, " ");
                 for (i = 0; i < 20000; i++) { s = ""; n = 5 + int(rand() * 15);
                   for (j = 0; j < n; j++) s = s w[1 + int(rand() * 17)] " "; print s "." } }' > "$out/lm-corpus.txt"
    train=$out/lm-corpus.txt valid=$out/lm-corpus.txt
  fi
  echo "corpus: $train"
  for run in "823000 cuda 200" "823000 cpu 200" "10000000 cuda 200" "10000000 cpu 20"; do
    set -- $run
    "$BIN" ardt baseline --corpus "$train" --valid "$valid" --params "$1" --device "$2" \
      --steps "$3" --batch 32 --context 64 --max-rows 2000 --gen-tokens 20 \
      --out "$out/gpt.safetensors" --json \
      | grep -E '"(device|parameters|steps|steps_per_second|train_seconds|top1)"' | tr -d '\n '
    echo
  done
  # .minilm/model is 88 MB, too big to carry; `build` writes .minilm-half (F16, 44 MB).
  local minilm=.minilm/model
  [ -s "$minilm/model.safetensors" ] || minilm=.minilm-half/model
  if [ ! -s "$minilm/model.safetensors" ]; then
    echo "no MiniLM model folder: MiniLM speed not measured"
    return
  fi
  tr -s ' ' < "$train" | sed 's/ \. /.\n/g' > "$out/sentences.txt"
  echo "sentences: $(wc -l < "$out/sentences.txt")"
  for device in cuda cpu; do
    local limit=()
    [ "$device" = cpu ] && limit=(--max-docs 4000)
    "$BIN" ardt embed --minilm "$minilm" --corpus "$out/sentences.txt" --doc-format lines \
      --batch 64 --device "$device" "${limit[@]}" --out "$out/embed-$device.npy" | tr -d '\n '
    echo
  done
  "$PY" -c "
import numpy as np, sys
a, b = np.load(sys.argv[1])[:4000], np.load(sys.argv[2])
print('cuda vs cpu: max |difference|', float(np.abs(a - b).max()), 'over', len(b), 'sentences')" \
    "$out/embed-cuda.npy" "$out/embed-cpu.npy"
  rm -f "$out"/embed-*.npy "$out"/gpt.safetensors "$out/sentences.txt"
}

case "${1:-}" in
build)
  bash scripts/fetch-libtorch.sh
  JANUS_EXTRA_RPATH="$TORCH_VENV/lib/python3.12/site-packages/torch/lib" cargo build --release
  mkdir -p dist
  strip -o dist/janus target/release/janus
  ls -la dist/janus
  if [ -s .minilm/model/model.safetensors ]; then
    mkdir -p .minilm-half/model
    cp .minilm/model/config.json .minilm/model/tokenizer.json .minilm-half/model/
    python3 scripts/half-safetensors.py .minilm/model/model.safetensors \
      .minilm-half/model/model.safetensors
  fi
  ;;
run)
  platform
  case "${2:-all}" in
  guide) guide_check ;;
  lm) lm_check ;;
  all) guide_check; lm_check ;;
  *) echo "usage: $0 run [guide|lm]" >&2; exit 2 ;;
  esac
  ;;
*)
  echo "usage: $0 build|run [guide|lm]" >&2
  exit 2
  ;;
esac
