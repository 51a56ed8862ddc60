#!/usr/bin/env bash
# The GPU check of the neural guide, in two halves:
#
#   scripts/gpu-check.sh build   # here (Rust, libtorch from PyPI): release binary -> dist/janus
#   scripts/gpu-check.sh run     # on a machine with an NVIDIA GPU and torch 2.11.0 at
#                                # /opt/torch/.venv (no Rust needed there): carry dist/janus
#
# `run` prints the platform facts tch.md asks to check, then the supervised training speed
# of the 24 Game and double-and-add guides on CUDA and on CPU (JSON lines from
# `janus guide bench`), then the Transformer baseline's training speed on CUDA and on CPU
# (`janus ardt baseline`, 200 steps each), then trains a 24 Game guide on CUDA end to end.
# About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
build)
  bash scripts/fetch-libtorch.sh
  cargo build --release
  mkdir -p dist
  strip -o dist/janus target/release/janus
  ls -la dist/janus
  ;;
run)
  BIN=${JANUS:-dist/janus}
  (ldd --version || true) | head -1 || true
  /opt/torch/.venv/bin/python -c "import torch; print('torch', torch.__version__, torch.version.git_version, 'cuda', torch.cuda.is_available())" || true
  nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
  ldd "$BIN" | grep -E 'torch|c10|not found' || true
  for domain in 24 double-add; do
    for device in cuda cpu; do
      "$BIN" guide bench --domain "$domain" --device "$device" --batches 200 --batch 512
    done
  done
  out=${OUT:-/tmp}
  # The Transformer baseline of the ARDT (issue 7): 200 steps on CUDA and on CPU, on a
  # generated corpus (no data is carried): steps per second from `janus ardt baseline`.
  awk 'BEGIN { srand(7); split("the a cat dog sat ran on in red blue big small and then it was", w, " ");
               for (i = 0; i < 20000; i++) { s = ""; n = 5 + int(rand() * 15);
                 for (j = 0; j < n; j++) s = s w[1 + int(rand() * 17)] " "; print s "." } }' > "$out/lm-corpus.txt"
  for device in cuda cpu; do
    "$BIN" ardt baseline --corpus "$out/lm-corpus.txt" --valid "$out/lm-corpus.txt" --params 1000000 \
      --steps 200 --batch 64 --context 64 --device "$device" --max-rows 2000 --gen-tokens 20 \
      --out "$out/gpt-$device.safetensors" --json | grep -E '"(device|parameters|steps_per_second|train_seconds)"'
  done
  # MiniLM sentence embeddings on CUDA and CPU (needs .minilm/model: `make minilm` here,
  # then carry it; 88 MB).
  if [ -s .minilm/model/model.safetensors ]; then
    for device in cuda cpu; do
      "$BIN" ardt embed --corpus "$out/lm-corpus.txt" --doc-format lines --max-docs 4000 --batch 64 \
        --device "$device"
    done
  else
    echo "no .minilm/model: MiniLM speed not measured"
  fi
  /usr/bin/time -v "$BIN" guide train --domain 24 --device cuda --programs 20000 --epochs 2 \
    --eval-random 100 --out "$out/gpu-24.safetensors" --log "$out/gpu-24.csv" 2>&1 \
    | grep -E 'supervised|wrote|Maximum resident|Elapsed' || true
  ;;
*)
  echo "usage: $0 build|run" >&2
  exit 2
  ;;
esac
