#!/usr/bin/env bash
# Builds fianza and runs the whole test suite (every Check suite through ctest).
#   scripts/test.sh            Release build in build/
#   scripts/test.sh quick      the same without the tests labelled slow (ctest -LE slow)
#   scripts/test.sh asan       AddressSanitizer + UBSan build in build-asan/
#   scripts/test.sh valgrind   memcheck of every suite (build-valgrind/)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-release}
case "$mode" in
  release|quick) dir=build;      flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan)     dir=build-asan;     flags=(-DCMAKE_BUILD_TYPE=Debug -DFIANZA_SANITIZE=ON) ;;
  valgrind) dir=build-valgrind; flags=(-DCMAKE_BUILD_TYPE=Debug -DFIANZA_VALGRIND=ON) ;;
  *) echo "usage: scripts/test.sh [release|quick|asan|valgrind]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$(nproc)"
cd "$dir"
if [ "$mode" = quick ]; then
  ctest --output-on-failure -j"$(nproc)" -LE slow
else
  ctest --output-on-failure -j"$(nproc)"
fi
