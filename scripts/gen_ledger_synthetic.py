#!/usr/bin/env python3
# Writes tests/data/ledger_synthetic.csv: a SYNTHETIC bond-fund ledger (no
# real person or bond), shaped like the Bail Fund App export (columns Date
# Posted, Date Returned, Bail Status, plus an amount), for
#   fianza fit tests/data/ledger_synthetic.csv --posted "Date Posted" \
#       --returned "Date Returned" --as-of 11/30/2026
# Known truth: 600 bonds posted on days uniform over 2023-01-01 .. 2026-11-29;
# days from posting to the refund ~ weibull(shape=1.4, scale=700); a bond whose
# refund would fall after the export date 2026-11-30 is still out (Date
# Returned empty, Bail Status "Open": right-censored at 2026-11-30).  Amounts
# ~ lognormal(median=5000, sigma=0.6) rounded to USD 500 (not used by the fit).
# Dates are written M/D/YYYY, as a US spreadsheet export writes them.
# Python's random (Mersenne Twister) with a fixed seed: the same file on every
# run.  Usage: scripts/gen_ledger_synthetic.py > tests/data/ledger_synthetic.csv
import datetime, math, random, sys

SHAPE, SCALE, N, SEED = 1.4, 700.0, 600, 20261130
start, as_of = datetime.date(2023, 1, 1), datetime.date(2026, 11, 30)
rng = random.Random(SEED)
rows = []
for i in range(N):
    posted = start + datetime.timedelta(days=rng.randrange((as_of - start).days))
    days = math.ceil(rng.weibullvariate(SCALE, SHAPE))  # whole days, >= 1
    amount = max(1500, round(5000 * math.exp(0.6 * rng.gauss(0, 1)) / 500) * 500)
    back = posted + datetime.timedelta(days=days)
    rows.append((posted, back if back <= as_of else None, amount))
rows.sort(key=lambda r: r[0])
us = lambda d: f"{d.month}/{d.day}/{d.year}"
out = sys.stdout
out.write("Case ID,Date Posted,Bail Amount,Date Returned,Bail Status\n")
for i, (p, b, a) in enumerate(rows):
    out.write(f"SYN-{i + 1:04d},{us(p)},\"${a:,}\",{us(b) if b else ''},{'Returned' if b else 'Open'}\n")
