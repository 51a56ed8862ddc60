#!/usr/bin/env python3
"""Lines per module and the longest functions of a janus source tree.

Usage: python3 benches/code_shape.py [SRC] [--top N]

A module is a top-level file or folder of SRC (`domains/arc`, `domains/arith` and
`domains/binary` count apart). A function runs from its `fn` line to the closing brace
at the same indentation, both included; functions inside `mod tests` count too.
"""
import argparse
import pathlib
import re

FN = re.compile(r"^(\s*)(pub(\([^)]*\))? )?(const |async |unsafe )*fn (\w+)")


def module_of(path: pathlib.Path, src: pathlib.Path) -> str:
    parts = path.relative_to(src).parts
    if len(parts) > 2 and parts[0] == "domains":
        return f"domains/{parts[1]}"
    return parts[0].removesuffix(".rs")


def functions(path: pathlib.Path, src: pathlib.Path):
    lines = path.read_text().split("\n")
    i = 0
    while i < len(lines):
        m = FN.match(lines[i])
        if not m:
            i += 1
            continue
        j = i
        while j < len(lines) and not lines[j].rstrip().endswith(("{", ";")):
            j += 1
        if j == len(lines) or lines[j].rstrip().endswith(";"):
            i = j + 1
            continue
        end = j + 1
        while end < len(lines) and lines[end] != m.group(1) + "}":
            end += 1
        yield end - i + 1, f"{path.relative_to(src)}::{m.group(5)}"
        i = end + 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src", nargs="?", default="src")
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()
    src = pathlib.Path(args.src)
    per_module, fns = {}, []
    for path in sorted(src.rglob("*.rs")):
        m = module_of(path, src)
        per_module[m] = per_module.get(m, 0) + len(path.read_text().splitlines())
        fns.extend(functions(path, src))
    print("| module | lines |\n|---|---|")
    for m in sorted(per_module):
        print(f"| `{m}` | {per_module[m]} |")
    print(f"| total | {sum(per_module.values())} |\n")
    fns.sort(key=lambda f: (-f[0], f[1]))
    print(f"longest {args.top} functions:")
    for n, name in fns[: args.top]:
        print(f"{n} `{name}`")
    cli = [f for f in fns if f[1].startswith("cli/") and f[0] > 60]
    print(f"\ncli functions over 60 lines: {len(cli)}")
    for n, name in cli:
        print(f"{n} `{name}`")


if __name__ == "__main__":
    main()
