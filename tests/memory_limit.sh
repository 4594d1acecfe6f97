#!/usr/bin/env bash
# 10^6 replications of a small scenario: peak memory must not grow with the
# number of replications (curves and statistics are accumulated block by
# block; percentiles and CVaR come from exact counts by value, sim/run/tally.h;
# replications.csv is streamed to disk).  simulate and optimize (its default
# gap estimate), 2 threads:
#   - at 10^6 replications the maximum resident set stays within 16 MiB
#     (the issue 16 target; ~9 MiB measured), under a 64 MiB address-space
#     limit (ulimit -v);
#   - it grows by less than 2 MiB from 10^4 to 10^6 replications.
#   tests/memory_limit.sh FIANZA_BIN
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -x /usr/bin/time ]; then
  echo "memory_limit: /usr/bin/time (GNU time) is needed to read the peak memory" >&2
  exit 77
fi
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
limit_kib=16384 growth_kib=2048
# peak KiB of: NAME REPS fianza-arguments...
peak() {
  local name=$1 reps=$2
  shift 2
  /usr/bin/time -f %M -o "$work/$name.rss" "$bin" "$@" "$work/small.ini" --replications "$reps" --threads 2 --quiet \
    --no-plots -o "$work/$name" >/dev/null
  grep -q "\"evaluate\": $reps" "$work/$name/summary.json"
  rm -f "$work/$name/replications.csv" # 0.1-0.6 GB at 10^6: not kept
  tail -1 "$work/$name.rss"
}
for cmd in simulate optimize; do
  if [ $cmd = simulate ]; then args=(simulate --allocation a=15000,b=15000); else args=(optimize); fi
  small=$(peak "$cmd-small" 10000 "${args[@]}")
  big=$(peak "$cmd-big" 1000000 "${args[@]}")
  echo "$cmd: peak resident memory $small KiB at 10^4 replications, $big KiB at 10^6"
  if [ "$big" -gt "$limit_kib" ]; then
    echo "memory_limit: $cmd at 10^6 replications peaked at $big KiB, over $limit_kib KiB (16 MiB)" >&2
    exit 1
  fi
  if [ $((big - small)) -gt "$growth_kib" ]; then
    echo "memory_limit: $cmd grew by $((big - small)) KiB from 10^4 to 10^6 replications (limit $growth_kib)" >&2
    exit 1
  fi
done
echo "10^6 replications within 16 MiB resident (and 64 MiB of address space): simulate and optimize ok"
