#!/usr/bin/env python3
"""Writes a half-precision (F16) copy of a safetensors file: every F32 tensor becomes F16,
other tensors and the metadata are kept. janus widens F16 weights back to F32 on load.

    python3 scripts/half-safetensors.py IN.safetensors OUT.safetensors

The GPU check uses it to carry all-MiniLM-L6-v2 (88 MB in F32, over the 64 MiB a device
call can carry) as 44 MB."""
import json
import struct
import sys

import numpy as np


def main(src, dst):
    raw = open(src, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    out_header, chunks, offset = {}, [], 0
    for name, info in header.items():
        if name == "__metadata__":
            out_header[name] = info
            continue
        begin, end = info["data_offsets"]
        blob = data[begin:end]
        dtype = info["dtype"]
        if dtype == "F32":
            blob = np.frombuffer(blob, dtype="<f4").astype("<f2").tobytes()
            dtype = "F16"
        out_header[name] = {
            "dtype": dtype,
            "shape": info["shape"],
            "data_offsets": [offset, offset + len(blob)],
        }
        chunks.append(blob)
        offset += len(blob)
    head = json.dumps(out_header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(dst, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head)
        for c in chunks:
            f.write(c)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
