#!/usr/bin/env bash
# The GPU check of the neural guide, in two halves:
#
#   scripts/gpu-check.sh build   # here (Rust, libtorch from PyPI): release binary -> dist/janus
#   scripts/gpu-check.sh run     # on a machine with an NVIDIA GPU and torch 2.11.0 at
#                                # /opt/torch/.venv (no Rust needed there): carry dist/janus
#
# `run` prints the platform facts tch.md asks to check, then the supervised training speed
# of the 24 Game and double-and-add guides on CUDA and on CPU (JSON lines from
# `janus guide bench`), then trains a 24 Game guide on CUDA end to end. About 2 minutes.
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
  /usr/bin/time -v "$BIN" guide train --domain 24 --device cuda --programs 20000 --epochs 2 \
    --eval-random 100 --out "$out/gpu-24.safetensors" --log "$out/gpu-24.csv" 2>&1 \
    | grep -E 'supervised|wrote|Maximum resident|Elapsed' || true
  ;;
*)
  echo "usage: $0 build|run" >&2
  exit 2
  ;;
esac
