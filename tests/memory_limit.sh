#!/usr/bin/env bash
# 10^6 replications of a small scenario under a 64 MiB address-space limit
# (ulimit -v): memory must not grow with the number of replications
# (curves and statistics are accumulated block by block; one double per
# replication is kept for percentiles).  simulate and optimize, 2 threads.
#   tests/memory_limit.sh FIANZA_BIN
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/small.ini" <<'INI'
[fund]
budget_usd = 30000
granularity_usd = 1500
[simulation]
replications = 1000000
[region.a]
initial_detained = 10
arrivals_per_day = 0.1
bond_usd = lognormal(median=2000, sigma=0.5, min=1500)
[region.b]
initial_detained = 5
INI
ulimit -v 65536
"$bin" simulate "$work/small.ini" --allocation a=15000,b=15000 --threads 2 --quiet --no-plots -o "$work/sim"
"$bin" optimize "$work/small.ini" --gap-batches 2 --threads 2 --quiet --no-plots -o "$work/opt"
grep -q '"evaluate": 1000000' "$work/sim/summary.json"
grep -q '"evaluate": 1000000' "$work/opt/summary.json"
echo "10^6 replications within 64 MiB of address space: simulate and optimize ok"
