#!/usr/bin/env bash
# How far `janus solve` runs past --timeout, and its peak memory, in each domain: on
# ordinary tasks it cannot solve, and on the adversarial inputs of issue 22 (values at
# the size limit, 200 pairs of 30x30 grids, an 8-parameter abstraction, a library whose
# abstractions call earlier ones twice). One task per run, one job, so that the wall time
# and the peak resident memory are that task's.
#
#   bash benches/overrun.sh [JANUS] [TIMEOUT] [OUT]
#
# Prints one Markdown row per case: the timeout, the search's own time (time_ms), the
# process's wall time and peak memory (GNU time).
set -euo pipefail
JANUS=${1:-target/release/janus}
T=${2:-1}
OUT=${3:-target/bench-overrun}
mkdir -p "$OUT"

python3 - "$OUT" <<'EOF'
import json, random, sys
sys.set_int_max_str_digits(100000)
out = sys.argv[1]
random.seed(22)
def grid(): return [[random.randrange(10) for _ in range(30)] for _ in range(30)]
# ARC: noise (no program), 3 pairs of 10x10; and 200 pairs of 30x30.
small = lambda: [[random.randrange(10) for _ in range(10)] for _ in range(10)]
json.dump({"train": [{"input": small(), "output": small()} for _ in range(3)],
           "test": [{"input": small(), "output": small()}]}, open(f"{out}/arc-noise.json", "w"))
json.dump({"train": [{"input": grid(), "output": grid()} for _ in range(200)],
           "test": [{"input": grid(), "output": grid()}]}, open(f"{out}/arc-200x30x30.json", "w"))
# 24 Game: an unsolvable puzzle; numbers of 19,000 digits (about 63,000 bits, under the
# 65,536-bit limit).
open(f"{out}/24-unsolvable.csv", "w").write("Puzzles\n1 1 1 1\n")
big = lambda: "".join(random.choice("123456789") for _ in range(19000))
open(f"{out}/24-19000-digits.csv", "w").write("Puzzles\n%s %s %s %s\n" % (big(), big(), big(), big()))
# Double-and-add: a target the search does not reach in time; one of 65,000 bits.
open(f"{out}/da-hard.txt", "w").write("%d\n" % (random.getrandbits(200) | 1))
open(f"{out}/da-65000-bits.txt", "w").write("%d\n" % (random.getrandbits(65000) | 1))
# An abstraction of 8 parameters over the 24 Game; a library of 13 levels, each calling the
# one before twice (8,192 calls per application, under the 10,000 limit).
open(f"{out}/a8.lib", "w").write(";; janus library 1\nfn_0 arity=8 uses=1 utility=1 = "
    "(add #0 (add #1 (add #2 (add #3 (add #4 (add #5 (add #6 #7)))))))\n")
lines = [";; janus library 1", "fn_0 arity=1 uses=1 utility=1 = (double #0)"]
lines += ["fn_%d arity=1 uses=1 utility=1 = (fn_%d (fn_%d #0))" % (k, k - 1, k - 1) for k in range(1, 14)]
open(f"{out}/doubling.lib", "w").write("\n".join(lines) + "\n")
EOF

echo "| case | --timeout | search time_ms | wall s | peak MB |"
echo "|---|---|---|---|---|"
case_row() {
    local name=$1; shift
    local line
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$JANUS" solve "$@" --timeout "$T" --jobs 1 --json \
        > "$OUT/out.jsonl" 2> "$OUT/err.txt" || true
    line=$(head -1 "$OUT/out.jsonl")
    local ms wall kb
    ms=$(echo "$line" | sed -n 's/.*"time_ms":\([0-9.]*\).*/\1/p')
    read -r wall kb < <(tail -1 "$OUT/time.txt")
    printf "| %s | %s | %.0f | %.2f | %.0f |\n" "$name" "$T" "${ms:-0}" "$wall" "$((kb / 1024))"
}
case_row "ARC noise, 3 pairs of 10x10" "$OUT/arc-noise.json"
case_row "ARC, 200 pairs of 30x30" "$OUT/arc-200x30x30.json"
case_row "24 Game, unsolvable (1 1 1 1)" "$OUT/24-unsolvable.csv"
case_row "24 Game, four 19,000-digit numbers" "$OUT/24-19000-digits.csv"
case_row "24 Game, 8-parameter abstraction" "$OUT/24-unsolvable.csv" --library "$OUT/a8.lib"
case_row "double-and-add, a 200-bit target" "$OUT/da-hard.txt"
case_row "double-and-add, a 65,000-bit target" "$OUT/da-65000-bits.txt"
case_row "double-and-add, 13 doubling levels" "$OUT/da-hard.txt" --library "$OUT/doubling.lib"
