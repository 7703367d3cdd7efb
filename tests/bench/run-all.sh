#!/usr/bin/env bash
# Runs every benchmark in tests/bench against an already built CMake build directory.
#   tests/bench/run-all.sh BUILD_DIR
# Each bench writes its table to BUILD_DIR/bench/<name>.txt; its full output is also kept in
# BUILD_DIR/bench/<name>.log. Exits non-zero if any bench broke (a missed goal is not a break).
set -euo pipefail

# One line per bench: script name in tests/bench.
BENCHES=(
  import_bench.sh
  card_bench.sh
  web_bench.sh
  display_bench.sh
)

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
[ -d "$1" ] || { echo "run-all: no build directory $1 (build first: make build)" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
mkdir -p "$build/bench"

failed=()
for bench in "${BENCHES[@]}"; do
  name=${bench%.sh}
  echo
  echo "==== $name  ($(date -u '+%H:%M:%S'))  ===================================================="
  start=$SECONDS
  if bash "$here/$bench" "$build" 2>&1 | tee "$build/bench/$name.log"; then
    echo "---- $name done in $((SECONDS - start)) s"
  else
    echo "---- $name FAILED after $((SECONDS - start)) s (log: $build/bench/$name.log)"
    failed+=("$name")
  fi
done

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "benches failed: ${failed[*]}"
  exit 1
fi
echo "all ${#BENCHES[@]} benches ran; results in $build/bench/"
