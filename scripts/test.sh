#!/usr/bin/env bash
# Builds fianza and runs the whole test suite (every Check suite through ctest).
#   scripts/test.sh            Release build in build/
#   scripts/test.sh asan       AddressSanitizer + UBSan build in build-asan/
#   scripts/test.sh valgrind   memcheck of every suite (build-valgrind/)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-release}
case "$mode" in
  release)  dir=build;          flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan)     dir=build-asan;     flags=(-DCMAKE_BUILD_TYPE=Debug -DFIANZA_SANITIZE=ON) ;;
  valgrind) dir=build-valgrind; flags=(-DCMAKE_BUILD_TYPE=Debug -DFIANZA_VALGRIND=ON) ;;
  *) echo "usage: scripts/test.sh [release|asan|valgrind]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
cd "$dir"
ctest --output-on-failure -j"$(nproc)"
