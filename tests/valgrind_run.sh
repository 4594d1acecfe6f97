#!/usr/bin/env bash
# Memcheck of fianza itself on small runs: optimize (two threads, two gap
# batches), fit, sweep --budget, and one refused input (the error path must
# free what it took too).  Any memory error or definite leak makes valgrind
# exit 99 and fails the test; so does an unexpected exit status.
# Exit 77 (ctest: skipped) when valgrind is not installed.
#   tests/valgrind_run.sh FIANZA_BIN SOURCE_DIR
set -uo pipefail
bin=$1 src=$2
command -v valgrind >/dev/null || { echo "valgrind not installed: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vg=(valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --error-exitcode=99)
fail=0

# run NAME EXPECTED_STATUS ARGS...: fianza under memcheck
run() {
  local name=$1 want=$2
  shift 2
  echo "== $name: fianza $*"
  "${vg[@]}" "$bin" "$@"
  local rc=$?
  if [ "$rc" -eq 99 ]; then
    echo "FAILED: $name: memcheck found errors or definite leaks (see above)"
    fail=1
  elif [ "$rc" -ne "$want" ]; then
    echo "FAILED: $name: exit $rc, expected $want"
    fail=1
  fi
}

seed=$src/scenarios/seed-2025.ini
run optimize 0 optimize "$seed" --replications 200 --gap-batches 2 --threads 2 --quiet -o "$work/optimize"
run fit 0 fit "$src/scenarios/data/synthetic_bonds.csv" --column bond_usd --min 1500 --quiet -o "$work/fit"
run sweep 0 sweep --budget 100000:300000:100000 "$seed" --replications 100 --threads 2 --quiet -o "$work/sweep"
run bad_param 2 sweep --param region.chicago.bond_grant_prob=0.5:1.5:0.5 "$seed" --quiet -o "$work/bad"

for d in optimize fit sweep; do
  [ -s "$work/$d/summary.json" ] || { echo "FAILED: $d: no summary.json in $work/$d"; fail=1; }
done
[ ! -e "$work/bad" ] || { echo "FAILED: bad_param left $work/bad behind"; fail=1; }
exit $fail
