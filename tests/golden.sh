#!/usr/bin/env bash
# golden.sh FIANZA SRC [--update]: results stay bit-identical across
# restructurings.  Runs optimize (curves, MIP, baselines, evaluation,
# wait-and-see, gap) on every shipped scenario at a small size, plus a budget
# sweep and a compare on seed-2025, and compares each summary.json byte for
# byte with tests/data/golden/.  A change that alters results on purpose (a
# new sampler) regenerates them with --update and says so in its commit.
set -euo pipefail
bin=$1 src=$2 update=${3:-}
golden=$src/tests/data/golden
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { # name, then fianza's arguments
    local name=$1; shift
    "$bin" "$@" --replications 300 --no-plots --quiet -o "$work/$name" >/dev/null
    if [ "$update" = --update ]; then
        cp "$work/$name/summary.json" "$golden/$name.json"
    elif ! cmp -s "$work/$name/summary.json" "$golden/$name.json"; then
        echo "golden: $name: summary.json differs from tests/data/golden/$name.json" >&2
        diff "$golden/$name.json" "$work/$name/summary.json" | head -20 >&2
        exit 1
    fi
}
for s in "$src"/scenarios/*.ini; do
    name=$(basename "$s" .ini)
    run "optimize-$name" optimize --gap mmw --gap-batches 2 "$s"
done
run sweep-budget sweep --budget 150000:450000:150000 "$src/scenarios/seed-2025.ini"
run compare compare --allocation chicago=150000,kansas_city=150000 --allocation chicago=250000,kansas_city=50000 \
    --policy cheapest_first --policy first_come "$src/scenarios/seed-2025.ini"
echo "golden: every summary.json is byte-identical to tests/data/golden/"
