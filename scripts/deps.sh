#!/usr/bin/env bash
# Installs the Debian packages of scripts/packages.txt, skipping the ones
# already present: the "build" group (build, test, draw charts) always, and
# the groups named on the command line (test, bench, mpi; see the list).
# Run as root (or through sudo).
#   scripts/deps.sh [GROUP...]
set -euo pipefail
cd "$(dirname "$0")/.."
groups=(build "$@")
for g in "$@"; do
  grep -Eq "^[^#[:space:]]+[[:space:]]+$g\$" scripts/packages.txt ||
    { echo "scripts/deps.sh: no group '$g' in scripts/packages.txt" >&2; exit 2; }
done
missing=()
while read -r pkg group; do
  case "$pkg" in ''|'#'*) continue ;; esac
  printf '%s\n' "${groups[@]}" | grep -qx "$group" || continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < scripts/packages.txt
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
