#!/usr/bin/env python3
"""csv_pandas: every CSV of every command loads in pandas as documented.

Issue 14 items 2 and 3 (docs/csv.md).  Runs optimize, simulate, sweep
--budget, sweep --tornado, sweep --param, compare, budget and fit (on
tests/data/amounts.csv) on small replications into a temporary directory,
loads EVERY *.csv found with pandas.read_csv and checks, for each file:
unique snake_case column names, no "nan"/"inf"/"null" text, numeric columns
parsed as numbers (not object), no infinite value, the region id on every
per-region file (with region_label).  For the files of docs/csv.md it also
checks the exact column list, and values: an unfunded region's cost per
release, releases per USD 10,000 and days in detention are empty (NaN in
pandas), never 0; the money left unallocated is budget - sum(allocation)
in allocation.csv, allocations.csv, summary.json, the console table,
sweep.csv and budget.csv (optimize on seed-2025 at USD 450,000 leaves
some unallocated).

compare.csv and compare_regions.csv go through the generic checks (their
columns are h14-compare's, docs/csv.md).

Usage: csv_pandas.py FIANZA_BINARY SOURCE_DIR.  Exit 0 pass, 1 fail, 77 skip
(no pandas in this interpreter: ctest's SKIP_RETURN_CODE).
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile

try:
    import pandas as pd
    from pandas.api import types as pdt
except ImportError:
    print("csv_pandas: skipped: no pandas for %s (apt-get install python3-pandas)" % sys.executable)
    sys.exit(77)

FZ, SRC = sys.argv[1], sys.argv[2]
SEED = os.path.join(SRC, "scenarios", "seed-2025.ini")
AMOUNTS = os.path.join(SRC, "tests", "data", "amounts.csv")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
BAD_TEXT = re.compile(r"(^|,)\s*(-?nan|-?inf|-?infinity|null|none|na)\s*(,|$)", re.IGNORECASE)
REGIONS = ["chicago", "kansas_city"]
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


def run(name, args, tmp):
    out = os.path.join(tmp, name)
    cmd = [FZ] + args + ["-o", out]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        fail("%s: exit %d\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    return out, p.stdout


# Exact column lists (docs/csv.md); {R} expands to one column per region.
COLUMNS = {
    "allocation.csv": ["region", "region_label", "allocated_usd", "share"],
    "allocations.csv": ["allocation", "{R}_usd", "feasible", "unallocated_usd"],
    "chosen.csv": ["region", "allocated_usd", "value_at_allocation", "region_label"],
    "curves.csv": ["region", "allocation_usd", "releases_mean", "freedom_days_mean", "expected_value_objective",
                   "region_label"],
    "detention.csv": ["region", "days", "cdf", "region_label"],
    "regions.csv": ["region"] + [c + s for c in ("releases_per_10k_usd", "cost_per_release_usd", "fundable_mean",
                                                  "days_in_detention_mean")
                                 for s in ("", "_ci95_lo", "_ci95_hi")] + ["region_label"],
    "releases_hist.csv": ["releases", "share"],
    "replications.csv": ["replication", "allocation", "region", "allocated_usd", "releases", "spent_usd", "fundable",
                         "days_in_detention_mean", "freedom_days", "region_label"],
    "timeline.csv": ["day"] + ["%s_%s" % (q, s) for q in ("releases_cum", "balance_usd")
                               for s in ("mean", "p05", "p50", "p95")],
    "budget.csv": ["budget_usd", "{R}_usd", "p_in_sample", "p_in_sample_ci95_lo", "p_in_sample_ci95_hi",
                   "p_out_of_sample", "p_out_of_sample_ci95_lo", "p_out_of_sample_ci95_hi", "answer",
                   "unallocated_usd"],
    "sweep.csv": ["{X}", "{R}_usd", "in_sample_value", "value_mean", "value_ci95_lo", "value_ci95_hi",
                  "releases_mean", "releases_ci95_lo", "releases_ci95_hi", "marginal_objective_per_1000_usd",
                  "paid_usd_mean", "refunded_usd_mean", "balance_end_usd_mean", "unpaid_fundable_mean",
                  "days_waited_mean", "p_target", "p_target_ci95_lo", "p_target_ci95_hi", "cost_per_release_usd",
                  "cost_per_release_usd_ci95_lo", "cost_per_release_usd_ci95_hi", "spent_usd_mean",
                  "spent_usd_ci95_lo", "spent_usd_ci95_hi", "unallocated_usd"],
    "tornado.csv": ["parameter", "base", "low", "high", "value_low", "value_high", "base_value", "low_valid",
                    "high_valid"],
    "fit.csv": ["rank", "family", "param1", "value1", "se1", "param2", "value2", "se2", "loglik", "aic",
                "delta_aic", "bic", "ks", "ks_p", "ad", "converged", "scenario", "note"],
    "fit_hist.csv": ["x", "density"],
}
# Text columns: everything else must parse as numbers.
TEXT = {"region", "region_label", "allocation", "parameter", "family", "param1", "param2", "scenario", "note",
        "variant", "variant_name", "variant_label", "label", "policy"}
# Files keyed by region (docs/csv.md): the id and its label.
PER_REGION = {"allocation.csv", "chosen.csv", "curves.csv", "detention.csv", "regions.csv", "replications.csv",
              "compare.csv", "compare_regions.csv"}


def expected_columns(name, x):
    cols = [x] if name == "timeline.csv" and x else []  # sweep's timeline: the swept value first
    for c in COLUMNS[name]:
        if c == "{R}_usd":
            cols += [r + "_usd" for r in REGIONS]
        elif c == "{X}":
            cols.append(x)
        else:
            cols.append(c)
    return cols


def load_all(out, x=None):
    """Every CSV of a results directory through the generic checks; {name: DataFrame}."""
    frames = {}
    for name in sorted(os.listdir(out)):
        if not name.endswith(".csv"):
            continue
        path = os.path.join(out, name)
        where = "%s/%s" % (os.path.basename(out), name)
        with open(path, newline="") as f:
            text = f.read()
        for i, line in enumerate(text.splitlines()[1:], 2):
            # labels are quoted; drop quoted fields before looking for nan text
            bare = re.sub(r'"(?:[^"]|"")*"', '""', line)
            check(not BAD_TEXT.search(bare), "%s line %d: an undefined value written as text: %s" % (where, i, line))
        df = pd.read_csv(path, keep_default_na=True)
        cols = list(df.columns)
        check(len(cols) == len(set(cols)), "%s: repeated column names %s" % (where, cols))
        for c in cols:
            # a region id or a swept parameter enters some names as the scenario spells it
            check(SNAKE.match(c) is not None, "%s: column %r is not snake_case" % (where, c))
        for c in cols:
            if c in TEXT:
                continue
            s = df[c]
            if not check(pdt.is_numeric_dtype(s), "%s: column %s is %s, not numeric" % (where, c, s.dtype)):
                continue
            vals = s.dropna().astype(float)
            check(all(math.isfinite(v) for v in vals), "%s: column %s holds an infinite value" % (where, c))
        if name in PER_REGION:
            check("region" in cols and "region_label" in cols, "%s: no region/region_label columns" % where)
        if name in COLUMNS:
            check(cols == expected_columns(name, x), "%s: columns\n  %s\nexpected\n  %s" %
                  (where, cols, expected_columns(name, x)))
        frames[name] = df
    check(frames, "%s: no CSV at all" % out)
    return frames


def near(a, b, tol=0.01):
    return abs(a - b) <= tol


def main():
    tmp = tempfile.mkdtemp(prefix="fz_csv_pandas_")
    reps = ["--replications", "40", "--quiet"]

    # optimize at USD 450,000: the grid split leaves money unallocated (item 2)
    out, console = run("optimize", ["optimize", SEED, "--set", "fund.budget_usd=450000", "--replications", "60"], tmp)
    f = load_all(out)
    doc = json.load(open(os.path.join(out, "summary.json")))
    budget = 450000.0
    alloc = doc["allocation"]
    left = budget - sum(alloc.values())
    check(left > 0, "optimize at 450000: expected money left unallocated, allocation %s" % alloc)
    check(near(doc["unallocated_usd"], left), "summary.json unallocated_usd %s != %s" % (doc["unallocated_usd"], left))
    check(near(doc["optimal"]["unallocated_usd"], left), "summary.json optimal.unallocated_usd")
    for k, b in doc["baselines"].items():
        check(near(b["unallocated_usd"], max(0.0, budget - sum(b["allocation"].values()))),
              "summary.json baselines.%s.unallocated_usd" % k)
    a = f["allocation.csv"].set_index("region")
    check(list(a.index) == REGIONS + ["unallocated"], "allocation.csv rows %s" % list(a.index))
    check(near(a.loc["unallocated", "allocated_usd"], left), "allocation.csv unallocated row")
    check(near(a["allocated_usd"].sum(), budget), "allocation.csv: allocated_usd sums to %s" % a["allocated_usd"].sum())
    check(near(a["share"].sum(), 1.0, 1e-5), "allocation.csv: shares sum to %s" % a["share"].sum())
    for r in REGIONS:
        check(near(a.loc[r, "allocated_usd"], alloc[r]), "allocation.csv %s vs summary.json" % r)
    al = f["allocations.csv"].set_index("allocation")
    for k, row in al.iterrows():
        s = sum(row[r + "_usd"] for r in REGIONS)
        check(near(row["unallocated_usd"], max(0.0, budget - s)), "allocations.csv %s: unallocated_usd" % k)
    check(near(al.loc["optimal", "unallocated_usd"], left), "allocations.csv optimal unallocated_usd")
    m = re.search(r"^unallocated\s+(\d+)\s", console, re.M)
    check(m and near(float(m.group(1)), left, 0.5), "optimize console: no 'unallocated %.0f' line" % left)
    m = re.search(r"^optimal\s+(\d+)\s+(\d+)\s+(\d+)\s", console, re.M)
    check(m and near(float(m.group(3)), left, 0.5), "optimize console: allocation table's unallocated column")
    check(set(f["regions.csv"]["region"]) == set(REGIONS), "regions.csv keyed by region id")
    for name in ("chosen.csv", "curves.csv", "detention.csv", "replications.csv"):
        check(set(f[name]["region"]) == set(REGIONS), "%s keyed by region id" % name)

    # simulate with an unfunded region: undefined figures are empty (NaN), not 0
    out, console = run("simulate", ["simulate", SEED, "--allocation", "chicago=250000,kansas_city=0"] + reps, tmp)
    f = load_all(out)
    g = f["regions.csv"].set_index("region")
    for c in ("cost_per_release_usd", "releases_per_10k_usd", "days_in_detention_mean"):
        for s in ("", "_ci95_lo", "_ci95_hi"):
            check(pd.isna(g.loc["kansas_city", c + s]), "regions.csv: unfunded kansas_city %s%s = %r, expected empty"
                  % (c, s, g.loc["kansas_city", c + s]))
            check(pd.notna(g.loc["chicago", c + s]) and g.loc["chicago", c + s] > 0, "regions.csv chicago %s%s" % (c, s))
    check(g.loc["kansas_city", "fundable_mean"] > 0, "regions.csv: fundable_mean is defined for an unfunded region")
    check(g.loc["kansas_city", "region_label"] == "Kansas City", "regions.csv region_label")
    d = f["detention.csv"]
    kc = d[d.region == "kansas_city"]
    check(len(kc) == 1 and pd.isna(kc.iloc[0]["cdf"]), "detention.csv: nobody released in kansas_city: empty cdf")
    rp = f["replications.csv"]
    kc = rp[rp.region == "kansas_city"]
    check(kc["days_in_detention_mean"].isna().all(), "replications.csv: no release, days_in_detention_mean empty")
    a = f["allocation.csv"].set_index("region")
    check(near(a.loc["unallocated", "allocated_usd"], 50000), "simulate allocation.csv unallocated 50000")
    doc = json.load(open(os.path.join(out, "summary.json")))
    check(near(doc["unallocated_usd"], 50000), "simulate summary.json unallocated_usd")
    check(doc["regions"]["kansas_city"]["cost_per_release_usd"] is None, "summary.json: null cost per release")

    # simulate with the whole budget allocated: the row is there with 0
    out, console = run("simulate_full", ["simulate", SEED, "--allocation", "chicago=200000,kansas_city=100000"]
                       + reps, tmp)
    a = load_all(out)["allocation.csv"].set_index("region")
    check(a.loc["unallocated", "allocated_usd"] == 0 and a.loc["unallocated", "share"] == 0,
          "allocation.csv: nothing unallocated is a 0 row")

    # the pooled fund: no split, region cells empty, nothing unallocated
    out, _ = run("pooled", ["simulate", SEED, "--set", "fund.pooling=pooled"] + reps, tmp)
    a = load_all(out)["allocation.csv"].set_index("region")
    check(a.loc[REGIONS, "allocated_usd"].isna().all(), "pooled allocation.csv: region cells empty")
    check(a.loc["unallocated", "allocated_usd"] == 0, "pooled allocation.csv: nothing unallocated")

    # sweep --budget: unallocated_usd = budget - sum(allocation) at each point
    out, _ = run("sweep_budget", ["sweep", SEED, "--budget", "150000:450000:150000"] + reps, tmp)
    f = load_all(out, "budget_usd")
    sw = f["sweep.csv"]
    doc = json.load(open(os.path.join(out, "summary.json")))
    for i, row in sw.iterrows():
        s = sum(row[r + "_usd"] for r in REGIONS)
        check(near(row["unallocated_usd"], max(0.0, row["budget_usd"] - s)), "sweep.csv point %d unallocated" % i)
        check(near(doc["sweep"]["points"][i]["unallocated_usd"], row["unallocated_usd"]), "sweep summary point %d" % i)
    check(set(f["timeline.csv"].columns[:2]) == {"budget_usd", "day"}, "sweep timeline.csv first columns")

    # sweep --param: the swept key's column is snake_case
    out, _ = run("sweep_param", ["sweep", SEED, "--param", "region.kansas_city.bond_usd.median=1500:2500:500"]
                 + reps, tmp)
    f = load_all(out, "region_kansas_city_bond_usd_median")
    check(list(f["timeline.csv"].columns[:2]) == ["region_kansas_city_bond_usd_median", "day"],
          "sweep --param timeline.csv columns %s" % list(f["timeline.csv"].columns[:2]))

    out, _ = run("tornado", ["sweep", SEED, "--tornado", "20"] + reps, tmp)
    load_all(out)

    out, _ = run("compare", ["compare", SEED, "--allocation", "chicago=300000", "--allocation",
                             "chicago=150000,kansas_city=150000"] + reps, tmp)
    f = load_all(out)
    c = f["compare.csv"]
    tot = c[c.region == "total"]
    for _, row in tot.iterrows():  # the total row states the money left unallocated
        check(near(row["allocated_usd"] + row["unallocated_usd"], 300000), "compare.csv %s: allocated + unallocated"
              % row["variant_name"])
    out, _ = run("compare_regions", ["compare", SEED, "--regions"] + reps, tmp)
    check("compare_regions.csv" in load_all(out), "compare --regions: no compare_regions.csv")

    # budget: unallocated at each budget tried
    out, _ = run("budget", ["budget", SEED, "--releases", "20", "--prob", "0.5", "--set", "fund.budget_usd=200000"]
                 + reps, tmp)
    f = load_all(out)
    for i, row in f["budget.csv"].iterrows():
        s = sum(row[r + "_usd"] for r in REGIONS)
        check(near(row["unallocated_usd"], max(0.0, row["budget_usd"] - s)), "budget.csv row %d unallocated" % i)
    doc = json.load(open(os.path.join(out, "summary.json")))
    ans = doc["budget"]["answer"]
    if check(ans is not None, "budget: no answer"):
        a = f["allocation.csv"].set_index("region")
        check(near(a["allocated_usd"].sum(), ans["budget_usd"]), "budget allocation.csv sums to the answer's budget")
        check(near(a.loc["unallocated", "allocated_usd"], ans["unallocated_usd"]), "budget allocation.csv unallocated")
        check(near(doc["unallocated_usd"], ans["unallocated_usd"]), "budget summary.json unallocated_usd")

    out, _ = run("fit", ["fit", AMOUNTS, "--column", "amount", "--quiet"], tmp)
    f = load_all(out)
    for name in ("fit.csv", "fit_hist.csv", "fit_density.csv", "fit_qq.csv"):
        check(name in f, "fit: no %s" % name)
    # censored durations from a fund's ledger (synthetic sample): KM and fitted survival
    ledger = os.path.join(SRC, "tests", "data", "ledger_synthetic.csv")
    out, _ = run("fit_ledger", ["fit", ledger, "--posted", "Date Posted", "--returned", "Date Returned",
                                "--as-of", "2026-11-30", "--quiet"], tmp)
    f = load_all(out)
    for name in ("fit_censored.csv", "fit_km.csv", "fit_km_fitted.csv"):
        check(name in f, "fit --posted: no %s" % name)
    if "fit_km.csv" in f:
        km = f["fit_km.csv"]
        check(((km["survival"] >= 0) & (km["survival"] <= 1)).all(), "fit_km.csv: survival outside [0, 1]")

    if failures:
        print("csv_pandas: %d failure(s); outputs kept in %s" % (len(failures), tmp))
        return 1
    subprocess.run(["rm", "-rf", tmp])
    print("csv_pandas: every CSV of every command loads and checks out")
    return 0


if __name__ == "__main__":
    sys.exit(main())
