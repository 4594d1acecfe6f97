#!/usr/bin/env bash
# Installs what bench/run.sh needs: scripts/deps.sh's build packages and the
# "bench" group of scripts/packages.txt (numpy and scipy from Debian: the
# comparison in bench/numpy_pipeline.py runs on /usr/bin/python3).
# Run as root (or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/deps.sh bench
