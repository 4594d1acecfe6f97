#!/usr/bin/env bash
# bench/run.sh: fianza against a numpy/scipy implementation of the same model, side by side.
#
#   bench/run.sh                 100,000 replications (the issue's comparison point)
#   bench/run.sh --small         2,000 replications: the CI check, well under a minute
#   bench/run.sh --size N        any size
#   bench/run.sh --threads N     fianza's "all cores" (default: nproc)
#   bench/run.sh --repeat N      time each fianza measurement N times, keep the fastest
#   bench/run.sh --tails [ARGS]  bench/tails.sh: peak memory against replications (10^4..10^6) and
#                                replications.csv throughput (issue 16)
#   bench/run.sh --ledger        the DESIGN §7 ledger scenario bench/bench-ledger.ini instead
#                                (fianza alone: the numpy copy implements only §1): draw,
#                                simulate and optimize with 1 thread and all cores, then the
#                                curves' cost per replication against the grid size; --size
#                                is optimize's replication count there (default 1,000;
#                                simulate runs 10x as many, draw 2x)
#
# Builds fianza_bench (in $BUILD_DIR, default build-bench/), times the optimize pipeline
# (release curves + allocation MIP, no out-of-sample evaluation) in fianza with 1 thread and
# with all cores and in bench/numpy_pipeline.py, prints time, replications/s, people/s and
# peak memory, and checks that the two implementations agree:
#   - mean optimal releases within 4 combined standard errors;
#   - the same allocation, or one that is equally good: on fresh replications (each
#     implementation's own), the paired difference between the two allocations is within
#     4 standard errors, or smaller than the standard error of the optimal value itself (two
#     SAA solutions a grid step apart can differ by a real but negligible amount that enough
#     replications will always resolve);
#   - mean fundable cases per region within 4 standard errors (the count is a binomial plus a
#     Poisson, whose variance is at most its mean, so sqrt(mean / S) bounds its standard error).
# Exits 1 if they disagree, 2 on bad usage or a missing dependency (scripts/deps-bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
size=100000
threads=$(nproc)
small=0
repeat=1
ledger=0
size_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --small) small=1; size=2000 ;;
    --size) size=$2; size_given=1; shift ;;
    --ledger) ledger=1 ;;
    --tails) shift; exec "$root/bench/tails.sh" "$@" ;; # issue 16: memory vs replications, replications.csv
    --threads) threads=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    -h|--help) sed -n '2,/^# Exits/p' "$0"; exit 0 ;;
    *) echo "usage: bench/run.sh [--small] [--size N] [--threads N] [--repeat N] [--ledger]" >&2; exit 2 ;;
  esac
  shift
done
build=${BUILD_DIR:-$root/build-bench}
if [ "$ledger" = 1 ]; then
  # the ledger's cost is per grid point and replication, ~100x §1's: smaller sizes
  if [ "$size_given" = 0 ]; then size=$(( small ? 100 : 1000 )); fi
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  cmake --build "$build" -j"$(nproc)" --target fianza_bench >/dev/null
  bench=$build/bench/fianza_bench
  ini=$root/bench/bench-ledger.ini
  echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "scenario: $ini"
  echo
  "$bench" --scenario "$ini" --threads "$threads" --repeat "$repeat" --only draw --draw-reps $(( 2 * size ))
  "$bench" --scenario "$ini" --threads "$threads" --repeat "$repeat" --only simulate --sizes $(( 10 * size ))
  "$bench" --scenario "$ini" --threads "$threads" --repeat "$repeat" --only optimize --sizes "$size"
  echo
  echo "release curves through the ledger against the grid size (1 thread, $size replications):"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  printf '%15s %12s %22s %18s %19s %10s\n' granularity_usd "grid points" "curves ms/replication" "us per grid point" \
    "CPU ms/replication" "peak MiB"
  for g in 2000 1000 500 250; do
    "$bench" --scenario "$ini" --threads 1 --repeat "$repeat" --only optimize --sizes "$size" \
      --set "fund.granularity_usd=$g" --json "$tmp/g.json" >/dev/null
    python3 - "$tmp/g.json" "$g" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["results"][0]
ms = r["curves_ms_per_replication"]
cpu = 1e3 * r["cpu_seconds"] / r["replications"]
print(f"{sys.argv[2]:>15} {d['grid_points']:>12} {ms:>22.3f} {1e3 * ms / d['grid_points']:>18.2f} {cpu:>19.3f} "
      f"{r['peak_rss_mib']:>10.1f}")
EOF
  done
  exit 0
fi
PY=/usr/bin/python3
if ! "$PY" -c 'import numpy, scipy.optimize' 2>/dev/null; then
  echo "bench/run.sh: $PY cannot import numpy and scipy; run scripts/deps-bench.sh" >&2
  exit 2
fi
ini=$root/bench/bench.ini
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target fianza_bench >/dev/null
bench=$build/bench/fianza_bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

draw_reps=$(( small ? 2000 : 20000 ))
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "scenario: $ini, $size replications"
echo
"$bench" --scenario "$ini" --sizes "$size" --threads "$threads" --only draw,optimize \
  --draw-reps "$draw_reps" --repeat "$repeat" --json "$tmp/fianza.json"
"$bench" --scenario "$ini" --check "$size" --threads "$threads" --json "$tmp/fcheck.json"
alloc_f=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(",".join(f"{k}={v:.0f}" for k, v in d["allocation"].items()))' "$tmp/fcheck.json")
"$PY" "$root/bench/numpy_pipeline.py" "$ini" --replications "$size" --check --other "$alloc_f" \
  --json "$tmp/numpy.json"
alloc_n=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(",".join(f"{k}={v:.0f}" for k, v in d["allocation"].items()))' "$tmp/numpy.json")
"$bench" --scenario "$ini" --check "$size" --threads "$threads" --other "$alloc_n" --json "$tmp/fcheck.json"

"$PY" - "$tmp/fianza.json" "$tmp/fcheck.json" "$tmp/numpy.json" <<'EOF'
import json, math, sys
f, fc, n = (json.load(open(p)) for p in sys.argv[1:4])
opt = [r for r in f["results"] if r["measure"] == "optimize"]
S = n["replications"]
print(f"\noptimize pipeline (release curves + allocation MIP), {S} replications")
hdr = ("implementation", "threads", "time s", "curves s", "MIP s", "reps/s", "people/s", "people/s/core",
       "peak MiB", "numpy time / this")
print("{:<14} {:>7} {:>9} {:>9} {:>7} {:>10} {:>10} {:>13} {:>9} {:>17}".format(*hdr))
rows = [("fianza", r["threads"], r["seconds"], r["curves_seconds"], r["mip_seconds"], r["people"],
         r["peak_rss_mib"]) for r in opt]
rows.append(("numpy/scipy", 1, n["seconds"], n["curves_seconds"], n["mip_seconds"], n["people"], n["peak_rss_mib"]))
for name, t, sec, cs, ms, people, mib in rows:
    print(f"{name:<14} {t:>7} {sec:>9.3f} {cs:>9.3f} {ms:>7.3f} {S / sec:>10.4g} {people / sec:>10.4g} "
          f"{people / sec / t:>13.4g} {mib:>9.1f} {n['seconds'] / sec:>16.1f}x")
cpu = [r for r in opt if r["threads"] == 1]
if cpu:
    print(f"CPU seconds: fianza 1 thread {cpu[0]['cpu_seconds']:.3f}, numpy/scipy {n['cpu_seconds']:.3f} "
          f"(ratio {n['cpu_seconds'] / cpu[0]['cpu_seconds']:.1f}x)")
for r in f["results"]:
    if r["measure"] == "draw":
        print(f"engine_draw, {r['threads']} thread(s): {r['people_per_second']:.4g} people/s "
              f"({r['people_per_second_per_core']:.4g} per core; {r['people_per_cpu_second']:.4g} per CPU second)")

print("\nagreement")
ok = True
def verdict(good):
    global ok
    ok &= good
    return "ok" if good else "DISAGREE"
se = math.hypot(fc["se"], n["se"])
z = abs(fc["value"] - n["value"]) / se if se > 0 else 0.0
print(f"  mean optimal releases: fianza {fc['value']:.4f} (se {fc['se']:.4f}), numpy {n['value']:.4f} "
      f"(se {n['se']:.4f}): {z:.2f} combined se (limit 4) {verdict(z <= 4)}")
fmt = lambda a: ", ".join(f"{k}={v:.0f}" for k, v in a.items())
print(f"  allocation: fianza {fmt(fc['allocation'])}; numpy {fmt(n['allocation'])}")
if fc["allocation"] == n["allocation"]:
    print(f"    the same {verdict(True)}")
else:
    for who, d, own in (("fianza", fc["other"], fc), ("numpy", n["other"], n)):
        z = abs(d["diff_mean"]) / d["diff_se"] if d["diff_se"] > 0 else (0.0 if d["diff_mean"] == 0 else math.inf)
        small = abs(d["diff_mean"]) <= own["se"]
        why = "within 4 se" if z <= 4 else "smaller than the se of the optimal value" if small else ""
        print(f"    on fresh {who} replications, the other's allocation minus its own: {d['diff_mean']:+.4f} "
              f"(se {d['diff_se']:.4f}, {z:.2f} se) {verdict(z <= 4 or small)}{': ' + why if why else ''}")
for k in fc["fundable_mean"]:
    a, b = fc["fundable_mean"][k], n["fundable_mean"][k]
    bound = math.sqrt((a + b) / S)
    z = abs(a - b) / bound if bound > 0 else 0.0
    print(f"  fundable cases in {k}: fianza {a:.3f}, numpy {b:.3f}: {z:.2f} se bound (limit 4) {verdict(z <= 4)}")
print("\nfianza and numpy/scipy agree" if ok else "\nfianza and numpy/scipy DISAGREE")
sys.exit(0 if ok else 1)
EOF
