#!/usr/bin/env bash
# Puts the BIG-Bench task files janus measures into a cache folder (default
# ~/.cache/janus/bigbench), from the PyPI source distribution bigbench 1.0.0 (Apache-2.0):
# only each task's task.json (and its subtasks'), never into the repository.
#
#   bash scripts/fetch-bigbench.sh [DEST]
set -euo pipefail
DEST=${1:-${HOME:-.}/.cache/janus/bigbench}
TASKS="dyck_languages navigate word_sorting sports_understanding causal_judgment
formal_fallacies_syllogisms_negation logical_deduction tracking_shuffled_objects"
if [ -f "$DEST/.complete" ]; then
  echo "BIG-Bench tasks: in $DEST"
  exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
if ! python3 -m pip download --quiet --no-deps --no-cache-dir -d "$TMP" bigbench==1.0.0; then
  echo "fetch-bigbench: pip could not download bigbench==1.0.0 from the package index" \
    "(\`pip index versions bigbench\` lists the versions it serves); nothing written to $DEST" >&2
  exit 2
fi
SDIST=$(ls "$TMP"/bigbench-1.0.0.tar.gz)
patterns=()
for t in $TASKS; do
  patterns+=("bigbench-1.0.0/bigbench/benchmark_tasks/$t/task.json"
             "bigbench-1.0.0/bigbench/benchmark_tasks/$t/*/task.json")
done
tar -xzf "$SDIST" -C "$TMP" --wildcards --no-anchored "${patterns[@]}" 2>/dev/null || true
mkdir -p "$DEST"
for t in $TASKS; do
  src="$TMP/bigbench-1.0.0/bigbench/benchmark_tasks/$t"
  test -d "$src" || { echo "fetch-bigbench: $t is not in the package" >&2; exit 1; }
  rm -rf "$DEST/$t"
  cp -r "$src" "$DEST/$t"
done
touch "$DEST/.complete"
echo "BIG-Bench tasks: $(find "$DEST" -name task.json | wc -l) task files in $DEST"
