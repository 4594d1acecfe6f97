#!/usr/bin/env bash
# bench/tails.sh: issue 16's serial tails (bench/run.sh --tails runs it).
#
#   bench/tails.sh [--sizes "10000 100000 1000000"] [--threads N]
#
# - peak memory against replications: `fianza simulate` and `fianza optimize`
#   (--gap-batches 2, --no-plots) on tests/memory_limit.sh's small scenario
#   at each size, maximum resident set from GNU time, with wall and CPU
#   seconds (replications.csv goes to disk and is deleted);
# - replications.csv throughput: fianza_bench_tails (bench/bench_tails.c),
#   the writer against the fprintf writer it replaced, 10^5 replications.
# Builds fianza and fianza_bench_tails in $BUILD_DIR (default build-bench/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sizes="10000 100000 1000000"
threads=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes=$2; shift ;;
    --threads) threads=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "usage: bench/tails.sh [--sizes \"N ...\"] [--threads N]" >&2; exit 2 ;;
  esac
  shift
done
if [ ! -x /usr/bin/time ]; then
  echo "bench/tails.sh: needs GNU time (/usr/bin/time)" >&2
  exit 2
fi
build=${BUILD_DIR:-$root/build-bench}
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target fianza fianza_bench_tails >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/small.ini" <<'INI'
[fund]
budget_usd = 30000
granularity_usd = 1500
[region.a]
initial_detained = 10
arrivals_per_day = 0.1
bond_usd = lognormal(median=2000, sigma=0.5, min=1500)
[region.b]
initial_detained = 5
INI
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peak memory against replications ($threads thread(s), --no-plots; replications.csv streamed to disk):"
printf '%-9s %13s %10s %9s %9s %18s\n' command replications "peak MiB" "wall s" "CPU s" "csv MiB written"
for cmd in simulate optimize; do
  if [ $cmd = simulate ]; then args=(simulate --allocation a=15000,b=15000); else args=(optimize --gap-batches 2); fi
  for n in $sizes; do
    /usr/bin/time -f '%M %e %U %S' -o "$tmp/t" "$build/fianza" "${args[@]}" "$tmp/small.ini" --replications "$n" \
      --threads "$threads" --quiet --no-plots -o "$tmp/out" >/dev/null
    csv=$(du -m "$tmp/out/replications.csv" | cut -f1)
    rm -rf "$tmp/out"
    read -r kib wall user sys < <(tail -1 "$tmp/t")
    awk -v c=$cmd -v n="$n" -v k="$kib" -v w="$wall" -v u="$user" -v s="$sys" -v m="$csv" \
      'BEGIN { printf "%-9s %13s %10.1f %9.2f %9.2f %18s\n", c, n, k / 1024, w, u + s, m }'
  done
done
echo
"$build/bench/fianza_bench_tails" 100000 "$tmp"
