#!/usr/bin/env bash
# Installs what bench/run.sh needs on top of scripts/deps.sh: numpy and scipy from
# Debian (the comparison in bench/numpy_pipeline.py runs on /usr/bin/python3).
# Run as root (or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
pkgs=(python3 python3-numpy python3-scipy)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
