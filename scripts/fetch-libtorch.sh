#!/usr/bin/env bash
# Installs the libtorch 2.11.0 that tch 0.24 needs into ./.libtorch (gitignored).
# Source: PyPI's torch 2.11.0 wheel (the +cu130 build), without its ~3 GB of CUDA
# dependencies: libtorch_cpu.so only needs libcudart.so.13 and libcupti.so.13 to load.
# See ../shared/notes/tch.md for why each step is here.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=.libtorch
if ! grep -qs "__version__ = '2.11.0" "$DEST/torch/version.py" \
   || [ ! -e "$DEST/nvidia/cu13/lib/libcupti.so.13" ]; then
  rm -rf "$DEST"
  python3 -m pip install --quiet --no-deps --no-cache-dir --target "$DEST" \
    torch==2.11.0 nvidia-cuda-runtime==13.0.96 nvidia-cuda-cupti==13.0.85
  # Drop what a CPU build never loads (1.2 GB -> 0.65 GB).
  rm -rf "$DEST"/torch/lib/libtorch_cuda.so "$DEST"/torch/lib/libtorch_cuda_linalg.so \
         "$DEST"/torch/lib/libtorch_python.so "$DEST"/torch/lib/libtorch_nvshmem.so \
         "$DEST"/torch/lib/libc10_cuda.so "$DEST"/torch/lib/libcaffe2_nvrtc.so \
         "$DEST"/torch/bin "$DEST"/torch/_C*.so
fi
echo "libtorch: $(grep -o "2.11.0[^']*" "$DEST/torch/version.py" | head -1) in $DEST/torch"
