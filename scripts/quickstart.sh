#!/usr/bin/env bash
# Quick start: install what is missing, build, and run the main job on the
# default scenario end to end (allocation, intervals, charts).
#   scripts/quickstart.sh [SCENARIO.ini]      (apt-get runs as root, through sudo if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then scripts/deps.sh; else sudo scripts/deps.sh; fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target fianza
./build/fianza optimize "${1:-scenarios/seed-2025.ini}"
