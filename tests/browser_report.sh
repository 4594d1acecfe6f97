#!/usr/bin/env bash
# Headless-browser check of report.html for EVERY command (issue 14 item 4):
# run simulate, optimize, sweep (--budget, --param, --tornado), compare,
# budget and fit on small replications, open each report in Debian's
# chromium and require
#   - no console message (errors, warnings) while the page loads,
#   - every chart figure to hold a rendered SVG (and its PNG to be a PNG),
#   - no "nan" / "inf" word and no cell holding only a dash in the page,
#   - the brief (three sentences) before the first table,
#   - the file list to be exactly the files in the results directory,
#   - sweep --budget: one table row per budget point, no "Budget USD 300,000".
# Exit 77 (ctest: skipped) when chromium is not installed.
#   tests/browser_report.sh FIANZA_BIN SOURCE_DIR
set -euo pipefail
bin=$1 src=$2
command -v chromium >/dev/null || { echo "chromium not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scen="$src/scenarios/seed-2025.ini"
q=(--quiet)
"$bin" optimize "$scen" --replications 300 --gap-batches 2 "${q[@]}" -o "$work/optimize"
"$bin" simulate "$scen" --allocation chicago=200000,kansas_city=100000 --replications 200 "${q[@]}" -o "$work/simulate"
"$bin" sweep "$scen" --budget 150000:600000:150000 --replications 200 "${q[@]}" -o "$work/sweep_budget"
"$bin" sweep "$scen" --param region.chicago.removal_hazard_per_day=0.013:0.03:0.0085 --replications 100 "${q[@]}" \
  -o "$work/sweep_param"
"$bin" sweep "$scen" --tornado 20 --replications 50 "${q[@]}" -o "$work/sweep_tornado"
"$bin" compare "$scen" --allocation chicago=300000 --allocation chicago=150000,kansas_city=150000 --pooled \
  --replications 200 "${q[@]}" -o "$work/compare"
"$bin" budget "$scen" --releases 50 --prob 0.8 --replications 200 "${q[@]}" -o "$work/budget"
"$bin" fit "$src/scenarios/data/synthetic_bonds.csv" --column bond_usd "${q[@]}" -o "$work/fit"

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile" --enable-logging=stderr --v=0)
fail=0
for out in optimize simulate sweep_budget sweep_param sweep_tornado compare budget fit; do
  dir="$work/$out" report="$work/$out/report.html" dom="$work/$out.dom" log="$work/$out.log"
  [ -s "$report" ] || { echo "$out: no report.html"; fail=1; continue; }
  timeout 120 chromium "${flags[@]}" --dump-dom "file://$report" 2>"$log" >"$dom" || true
  [ -s "$dom" ] || { echo "$out: chromium could not load the page"; fail=1; continue; }
  if grep -q ':CONSOLE' "$log"; then
    echo "$out: console messages:"; grep ':CONSOLE' "$log" | head -5; fail=1
  fi
  # charts: each figure's markup, up to its caption, holds an <svg> with drawn paths
  figures=$(grep -o '<figure id="[a-z_]*"' "$dom" | sed 's/.*id="//; s/"//' || true)
  nfig=$(echo "$figures" | grep -c . || true)
  for f in $figures; do
    body=$(awk -v id="<figure id=\"$f\">" 'index($0, id) {on=1} on {print} on && /<\/figure>/ {exit}' "$dom")
    if ! grep -q '<svg' <<<"$body" || ! grep -q '<path' <<<"$body"; then
      echo "$out: chart $f: no rendered SVG in the page"; fail=1
    fi
    if grep -q 'Chart not drawn' <<<"$body"; then echo "$out: chart $f: not drawn"; fail=1; fi
    png="$dir/$f.png"
    if [ ! -s "$png" ] || [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
      echo "$out: chart $f: $f.png missing or not a PNG"; fail=1
    fi
  done
  [ "$nfig" -ge 1 ] || { echo "$out: no chart in the report"; fail=1; }
  # the text a reader sees (styles and tags removed): no nan or inf word
  text=$(sed -e 's/<style>.*<\/style>//' -e 's/<[^>]*>/ /g' "$dom")
  if grep -qiwE -- '-?(nan|inf|infinity)' <<<"$text"; then
    echo "$out: the page shows nan or inf:"; grep -oiwE -- '.{0,40}-?(nan|inf|infinity).{0,20}' <<<"$text" | head -3
    fail=1
  fi
  if grep -qE '<td>(&ndash;|–)</td>' "$dom"; then echo "$out: a cell holds only a dash"; fail=1; fi
  # the brief comes before any table
  brief_line=$(grep -n 'id="brief"' "$dom" | head -1 | cut -d: -f1 || true)
  table_line=$(grep -n '<table' "$dom" | head -1 | cut -d: -f1 || true)
  if [ -z "$brief_line" ]; then echo "$out: no brief"; fail=1
  elif [ -n "$table_line" ] && [ "$table_line" -lt "$brief_line" ]; then echo "$out: a table before the brief"; fail=1
  fi
  # the file list equals the directory's files (dot files, the results marker, excluded)
  listed=$(grep -o '<p id="files">.*</p>' "$dom" | grep -o 'href="[^"]*"' | sed 's/href="//; s/"//' | sort || true)
  present=$(ls "$dir" | sort)
  if [ "$listed" != "$present" ]; then
    echo "$out: file list differs from the directory:"; diff <(echo "$listed") <(echo "$present") | head -5 || true; fail=1
  fi
  echo "$out: report.html: $nfig charts: $(echo $figures)"
done
# sweep --budget: every budget point in its table, and not the scenario's budget line
for x in 150,000 300,000 450,000 600,000; do
  grep -q "<tr><td>$x</td>" "$work/sweep_budget.dom" || { echo "sweep_budget: no row for $x"; fail=1; }
done
if grep -q 'Budget USD 300' "$work/sweep_budget.dom"; then echo "sweep_budget: names the scenario's budget"; fail=1; fi
# optimize draws at least five charts, and the page renders to an image
nopt=$(grep -c '<figure id=' "$work/optimize.dom" || true)
[ "$nopt" -ge 5 ] || { echo "optimize: expected at least 5 charts, found $nopt"; fail=1; }
timeout 120 chromium "${flags[@]}" --window-size=1100,4000 --screenshot="$work/shot.png" "file://$work/optimize/report.html" \
  >/dev/null 2>&1 || true
[ -s "$work/shot.png" ] || { echo "chromium could not render the optimize page"; fail=1; }
exit $fail
