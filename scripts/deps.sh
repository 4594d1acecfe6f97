#!/usr/bin/env bash
# Installs the Debian packages fianza needs to build, test and draw charts,
# skipping the ones already present.  Run as root (or through sudo).
# Extra packages may be named on the command line (CI adds chromium for the
# report.html browser test and valgrind for the valgrind_optimize test).
set -euo pipefail
pkgs=(build-essential cmake pkg-config libglpk-dev libgsl-dev check libsubunit-dev
      libinih-dev libjansson-dev libcsv-dev gnuplot-nox "$@")
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
