#!/usr/bin/env bash
# MPI builds (-DFIANZA_MPI=ON): summary.json must be byte-identical for any
# number of ranks.  simulate, compare, optimize (two gap batches) and
# sweep --budget on seed-2025, simulate and optimize on midwest-3y (the §7
# ledger and its timeline), and re-allocation, the pooled fund, target_prob
# and budget (§8), run with --threads 1 in one process, then under
# mpirun -np 1, 2, 3 (replications span several blocks, so ranks share them
# unevenly); every summary.json is compared with the single-process one, and
# exactly one results directory (rank 0's) must exist.  Last, a refused -o
# must fail with status 2 on every rank count, without hanging.
#   tests/mpi_equivalence.sh FIANZA_BIN SOURCE_DIR
set -uo pipefail
bin=$1 src=$2
seed=$src/scenarios/seed-2025.ini
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mpi=(mpirun --allow-run-as-root --oversubscribe)
fail=0

cases=(
  "simulate|simulate --allocation chicago=120000,kansas_city=60000 --replications 2500"
  "compare|compare --allocation chicago=150000 --allocation kansas_city=150000 --replications 2100"
  "optimize|optimize --replications 1500 --gap-batches 2"
  "sweep|sweep --budget 100000:300000:100000 --replications 700"
  # the ledger of DESIGN §7 (refunds, weekdays, capacity, a waiting list, regimes) and its timeline
  "ledger-simulate|simulate --allocation chicago=200000,kansas_city=100000 --replications 2100 @midwest"
  "ledger-optimize|optimize --replications 300 --gap-batches 2 --set fund.granularity_usd=10000 @midwest"
  # DESIGN §8: re-allocation, the pooled fund, the chance objective and the budget search
  "realloc|optimize --replications 600 --gap-batches 2 --set fund.policy=first_come --set fund.reallocate_every_days=30"
  "pooled|compare --allocation chicago=150000,kansas_city=150000 --pooled --replications 2100"
  "target|optimize --replications 1100 --gap-batches 2 --set fund.objective=target_prob --set fund.target_releases=55"
  "budget|budget --releases 40 --prob 0.8 --replications 1100"
)
midwest=$src/scenarios/midwest-3y.ini
for c in "${cases[@]}"; do
  name=${c%%|*} args=${c#*|}
  scen=$seed
  if [[ $args == *" @midwest" ]]; then
    args=${args% @midwest}
    scen=$midwest
  fi
  # shellcheck disable=SC2086
  if ! "$bin" $args --threads 1 --quiet --no-plots -o "$work/$name-t1" "$scen" >/dev/null; then
    echo "FAILED: $name: single process"
    fail=1
    continue
  fi
  for np in 1 2 3; do
    out=$work/$name-np$np
    # shellcheck disable=SC2086
    if ! timeout 600 "${mpi[@]}" -np "$np" "$bin" $args --quiet -o "$out" "$scen" >/dev/null; then
      echo "FAILED: $name: mpirun -np $np exited with an error"
      fail=1
    elif ! cmp -s "$work/$name-t1/summary.json" "$out/summary.json"; then
      echo "FAILED: $name: summary.json differs between --threads 1 and mpirun -np $np"
      diff "$work/$name-t1/summary.json" "$out/summary.json" | head -20
      fail=1
    else
      echo "ok: $name, mpirun -np $np: summary.json identical"
    fi
  done
done
# one results directory per run, and no temporary leftovers
extra=$(find "$work" -mindepth 1 -maxdepth 1 -name '*.tmp-*' -o -mindepth 1 -maxdepth 1 -name '*.old-*')
if [ -n "$extra" ]; then
  echo "FAILED: leftover directories: $extra"
  fail=1
fi

touch "$work/file"
for np in 1 3; do
  timeout 120 "${mpi[@]}" -np "$np" "$bin" simulate --allocation chicago=1000 --replications 100 --quiet \
    -o "$work/file/sub" "$seed" 2>"$work/err"
  rc=$?
  if [ "$rc" -ne 2 ]; then
    echo "FAILED: refused -o under mpirun -np $np: exit $rc, expected 2"
    cat "$work/err"
    fail=1
  else
    echo "ok: refused -o under mpirun -np $np: exit 2"
  fi
done
exit $fail
