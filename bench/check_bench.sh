#!/usr/bin/env bash
# bench/check_bench.sh FIANZA_BENCH BENCH_DIR: ctest "bench_ledger" (issue 12).
# fianza_bench measures a DESIGN §7 ledger scenario (bench-ledger.ini) in all three measures,
# with 1 and 2 threads, at tiny sizes: every row is there, the people per replication are
# what the scenario says (~4,981), the ledger is reported as used, simulate and optimize give
# the same result with 1 and 2 threads, --set reaches the scenario (the grid size), and a bad
# --set is a usage error.  bench.ini is reported as using no ledger.
set -euo pipefail
bench=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bench" --scenario "$dir/bench-ledger.ini" --sizes 4 --draw-reps 4 --threads 2 \
  --set fund.granularity_usd=5000 --json "$tmp/ledger.json" >"$tmp/ledger.txt"
"$bench" --scenario "$dir/bench.ini" --sizes 4 --draw-reps 4 --threads 1 --only draw \
  --json "$tmp/plain.json" >/dev/null
if "$bench" --scenario "$dir/bench-ledger.ini" --set fund.no_such_key=1 --sizes 1 >/dev/null 2>"$tmp/err"; then
  echo "check_bench: --set fund.no_such_key=1 was accepted" >&2
  exit 1
fi
grep -q "no_such_key" "$tmp/err" || { echo "check_bench: the error does not name the key:" >&2; cat "$tmp/err" >&2; exit 1; }
grep -q "2 on the §7 ledger" "$tmp/ledger.txt" || { echo "check_bench: header:" >&2; cat "$tmp/ledger.txt" >&2; exit 1; }
python3 - "$tmp/ledger.json" "$tmp/plain.json" <<'PY'
import json, os, sys
d, p = (json.load(open(f)) for f in sys.argv[1:3])
sanitized = os.environ.get("FIANZA_SANITIZED") == "1"
bad = []
def want(ok, what):
    if not ok:
        bad.append(what)
want(d["ledger_regions"] == 2, f"ledger_regions {d['ledger_regions']} != 2")
want(d["grid_points"] == 61, f"grid_points {d['grid_points']} != 61 (USD 300,000 / 5,000 + 1)")
want(d["horizon_days"] == 1095, f"horizon_days {d['horizon_days']}")
want(p["ledger_regions"] == 0, f"bench.ini: ledger_regions {p['ledger_regions']} != 0")
rows = {(r["measure"], r["threads"]): r for r in d["results"]}
for m in ("draw", "simulate", "optimize"):
    for t in (1, 2):
        r = rows.get((m, t))
        want(r is not None, f"no {m} row with {t} threads")
        if r is None:
            continue
        per = r["people"] / r["replications"]
        # 2 x (300 + Poisson(2 x 1095)): mean 4,980, sd per replication ~66
        want(4500 < per < 5500, f"{m}, {t} threads: {per:.0f} people per replication, expected ~4,980")
        want(r["seconds"] > 0 and r["people_per_second"] > 0, f"{m}, {t} threads: no time")
        # under AddressSanitizer (FIANZA_SANITIZED) RSS holds its quarantine and shadow: only > 0
        want(0 < r["peak_rss_mib"] < (float("inf") if sanitized else 64), f"{m}, {t} threads: peak {r['peak_rss_mib']} MiB")
if all((m, t) in rows for m in ("simulate", "optimize") for t in (1, 2)):
    a, b = rows[("simulate", 1)]["releases_mean"], rows[("simulate", 2)]["releases_mean"]
    want(a == b and a > 0, f"simulate: releases {a} (1 thread) vs {b} (2 threads)")
    a, b = rows[("optimize", 1)]["value"], rows[("optimize", 2)]["value"]
    want(a == b and a > 0, f"optimize: value {a} (1 thread) vs {b} (2 threads)")
    want(rows[("optimize", 1)]["curves_ms_per_replication"] > 0, "optimize: no curves time")
    want(rows[("draw", 1)]["people"] == rows[("draw", 2)]["people"], "draw: people differ with threads")
for b in bad:
    print("check_bench:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
