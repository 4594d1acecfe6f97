#!/usr/bin/env bash
# Headless-browser check of report.html: run fianza optimize on a shipped
# scenario, open the report in Debian's chromium, and require every chart
# figure to hold a rendered SVG (and its PNG to exist and be a PNG).
# Exit 77 (ctest: skipped) when chromium is not installed.
#   tests/browser_report.sh FIANZA_BIN SOURCE_DIR
set -euo pipefail
bin=$1 src=$2
command -v chromium >/dev/null || { echo "chromium not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" optimize "$src/scenarios/seed-2025.ini" --replications 300 --gap-batches 2 --quiet -o "$work/out"
report="$work/out/report.html"
[ -s "$report" ] || { echo "no report.html"; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile")
timeout 120 chromium "${flags[@]}" --dump-dom "file://$report" 2>/dev/null > "$work/dom.html"
figures=$(grep -o '<figure id="[a-z_]*"' "$work/dom.html" | sed 's/.*id="//; s/"//')
nfig=$(echo "$figures" | grep -c . || true)
[ "$nfig" -ge 5 ] || { echo "expected at least 5 charts in the report, found $nfig"; exit 1; }
fail=0
for f in $figures; do
  # the figure's markup, up to its caption, must contain an <svg> with drawn paths
  body=$(awk -v id="<figure id=\"$f\">" 'index($0, id) {on=1} on {print} on && /<\/figure>/ {exit}' "$work/dom.html")
  if ! grep -q '<svg' <<<"$body" || ! grep -q '<path' <<<"$body"; then
    echo "chart $f: no rendered SVG in the page"; fail=1
  fi
  if grep -q 'Chart not drawn' <<<"$body"; then echo "chart $f: not drawn"; fail=1; fi
  png="$work/out/$f.png"
  if [ ! -s "$png" ] || [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
    echo "chart $f: $f.png missing or not a PNG"; fail=1
  fi
done
timeout 120 chromium "${flags[@]}" --window-size=1100,4000 --screenshot="$work/shot.png" "file://$report" >/dev/null 2>&1
[ -s "$work/shot.png" ] || { echo "chromium could not render the page"; exit 1; }
[ $fail = 0 ] && echo "report.html: $nfig charts rendered: $(echo $figures)"
exit $fail
