#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for
# SECONDS (default 60) on a copy of its seed corpus in tests/fuzz/corpus/.
# A crash leaves its input in tests/fuzz/crashes/; turn it into a regression
# test (a case in the matching Check suite) and commit the input.
#   scripts/fuzz.sh [SECONDS] [TARGET...]    TARGET: scenario dist csv options
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario dist csv options)
CC=clang cmake -S . -B build-fuzz -DFIANZA_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
mkdir -p tests/fuzz/crashes
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/$t/." "$work/"
  echo "fuzz_$t: ${secs}s"
  ASAN_OPTIONS=detect_leaks=1 build-fuzz/tests/fuzz/fuzz_$t "$work" -max_total_time="$secs" -rss_limit_mb=1024 \
      -timeout=10 -artifact_prefix=tests/fuzz/crashes/$t- -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|SUMMARY" || true
  rm -rf "$work"
done
ls tests/fuzz/crashes/ 2>/dev/null | grep -q . && { echo "crashes found: tests/fuzz/crashes/"; exit 1; }
echo "no crashes"
