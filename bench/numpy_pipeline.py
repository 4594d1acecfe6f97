#!/usr/bin/python3
"""numpy_pipeline.py: DESIGN §1-2 written the way a researcher would in numpy + scipy.

The comparison for fianza_bench (bench/run.sh): the same scenario file, the same model, an
independent implementation.  Replications are processed in chunks; within a chunk everything is
vectorised over people:

  1. people per replication: initial_detained + Poisson(arrivals_per_day * H) arrivals;
  2. per person: arrival, grant, family pays, hearing delay, bond, release delay, removal;
  3. fundable filter (granted, not family-paid, bond <= max paid, d < H, not removed before d + r);
  4. cheapest_first: sort the fundable costs within each replication (np.lexsort), cumulative
     sums per replication; the number paid with x USD is #{k : cumsum_k <= x}, so the mean
     release curve on the grid is a cumulative histogram of ceil(cumsum / granularity);
  5. the multiple-choice knapsack over the mean curves with scipy.optimize.milp (HiGHS).

Only what bench/bench.ini uses is supported: the cheapest_first policy, the releases objective,
and the families fixed(v), uniform(min, max), lognormal(median|mean, sigma|sd, min, max),
gamma(mean, sd) / gamma(shape, scale) (untruncated) and exponential(mean).

  /usr/bin/python3 bench/numpy_pipeline.py bench/bench.ini --replications 100000 [--json OUT]
  ... --check [--other north=150000,south=150000]   (run.sh: standard errors and the paired
                                                    difference with fianza's allocation)
"""
import argparse
import configparser
import json
import math
import re
import resource
import sys
import time

import numpy as np
from scipy import optimize, sparse, special


# ---------------------------------------------------------------- scenario
def parse_dist(text):
    m = re.fullmatch(r"\s*([a-z]+)\s*\((.*)\)\s*", text)
    if not m:
        raise ValueError(f"cannot read distribution {text!r}")
    fam, body = m.group(1), m.group(2).strip()
    if fam == "fixed" and "=" not in body:
        return {"family": "fixed", "value": float(body)}
    args = {}
    for part in body.split(","):
        k, v = part.split("=")
        args[k.strip()] = float(v)
    d = {"family": fam, "min": args.pop("min", None), "max": args.pop("max", None)}
    if fam == "fixed":
        d["value"] = args["value"]
    elif fam == "uniform":
        d["lo"], d["hi"] = d.pop("min"), d.pop("max")
    elif fam == "lognormal":
        if "median" in args:
            d["mu"], d["sigma"] = math.log(args["median"]), args["sigma"]
        else:
            mean, sd = args["mean"], args["sd"]
            s2 = math.log1p((sd / mean) ** 2)
            d["mu"], d["sigma"] = math.log(mean) - s2 / 2, math.sqrt(s2)
    elif fam == "gamma":
        if "mean" in args:
            mean, sd = args["mean"], args["sd"]
            d["shape"], d["scale"] = (mean / sd) ** 2, sd * sd / mean
        else:
            d["shape"], d["scale"] = args["shape"], args["scale"]
        if d["min"] is not None or d["max"] is not None:
            raise ValueError("numpy_pipeline: truncated gamma is not supported")
    elif fam == "exponential":
        d["mean"] = args["mean"]
        if d["min"] is not None or d["max"] is not None:
            raise ValueError("numpy_pipeline: truncated exponential is not supported")
    else:
        raise ValueError(f"numpy_pipeline: distribution family {fam!r} is not supported")
    return d


def sample(rng, d, n):
    fam = d["family"]
    if fam == "fixed":
        return np.full(n, d["value"])
    if fam == "uniform":
        return rng.uniform(d["lo"], d["hi"], n)
    if fam == "gamma":
        return rng.gamma(d["shape"], d["scale"], n)
    if fam == "exponential":
        return rng.exponential(d["mean"], n)
    if fam == "lognormal":  # truncated by inversion: u uniform on [F(lo), F(hi)]
        mu, s = d["mu"], d["sigma"]
        if d["min"] is None and d["max"] is None:
            return rng.lognormal(mu, s, n)
        plo = special.ndtr((math.log(d["min"]) - mu) / s) if d["min"] else 0.0
        phi = special.ndtr((math.log(d["max"]) - mu) / s) if d["max"] is not None else 1.0
        return np.exp(mu + s * special.ndtri(rng.uniform(plo, phi, n)))
    raise ValueError(fam)


def load(path):
    cp = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), comment_prefixes=(";", "#"))
    with open(path) as f:
        cp.read_file(f)
    fund = cp["fund"] if cp.has_section("fund") else {}
    sim = cp["simulation"] if cp.has_section("simulation") else {}
    sc = {
        "budget": float(fund.get("budget_usd", 300000)),
        "H": float(fund.get("horizon_days", 90)),
        "step": float(fund.get("granularity_usd", 500)),
        "policy": fund.get("policy", "cheapest_first"),
        "objective": fund.get("objective", "releases"),
        "replications": int(sim.get("replications", 10000)),
        "seed": int(sim.get("seed", 1)),
        "regions": [],
    }
    if sc["policy"] != "cheapest_first" or sc["objective"] != "releases":
        raise ValueError("numpy_pipeline: only policy cheapest_first and objective releases")
    for name in cp.sections():
        if not name.startswith("region."):
            continue
        g = cp[name]
        sc["regions"].append({
            "name": name[len("region."):],
            "n0": int(g.get("initial_detained", 0)),
            "rate": float(g.get("arrivals_per_day", 0)),
            "grant": float(g.get("bond_grant_prob", 1)),
            "bond": parse_dist(g.get("bond_usd", "fixed(1500)")),
            "max_paid": float(g.get("max_bond_paid_usd", "unlimited").replace("unlimited", "inf")),
            "case_cost": float(g.get("case_cost_usd", 0)),
            "hearing": parse_dist(g.get("hearing_delay_days", "fixed(0)")),
            "release": parse_dist(g.get("release_delay_days", "fixed(0)")),
            "hazard": float(g.get("removal_hazard_per_day", 0)),
            "family": float(g.get("family_pays_prob", 0)),
            "min_share": float(g.get("min_share", 0)),
            "max_share": float(g.get("max_share", 1)),
        })
    return sc


# ---------------------------------------------------------------- DESIGN §1, vectorised
def draw_region(rng, sc, g, R):
    """Fundable cases of R replications of one region, sorted by (replication, cost).

    Returns (rep, within-replication cumulative cost, people drawn)."""
    H = sc["H"]
    arrivals = rng.poisson(g["rate"] * H, R) if g["rate"] > 0 else np.zeros(R, dtype=np.int64)
    n_arr = int(arrivals.sum())
    rep = np.concatenate([np.repeat(np.arange(R), g["n0"]), np.repeat(np.arange(R), arrivals)])
    a = np.concatenate([np.zeros(R * g["n0"]), rng.uniform(0, H, n_arr)])
    n = a.size
    d = a + sample(rng, g["hearing"], n)
    b = sample(rng, g["bond"], n)
    rel = d + sample(rng, g["release"], n)
    ok = (rng.random(n) < g["grant"]) & (rng.random(n) >= g["family"]) & (b <= g["max_paid"]) & (d < H)
    if g["hazard"] > 0:
        ok &= a + rng.exponential(1 / g["hazard"], n) > rel
    cost, rep = b[ok] + g["case_cost"], rep[ok]
    order = np.lexsort((cost, rep))
    cost, rep = cost[order], rep[order]
    cum = np.cumsum(cost)
    counts = np.bincount(rep, minlength=R)
    starts = np.cumsum(counts) - counts
    within = cum - np.repeat(np.concatenate([[0.0], cum])[starts], counts)
    return rep, within, n


def chunks(sc, stream, nreps, chunk):
    """(replication offset, size, generator) per chunk, reproducible per (seed, stream, chunk)."""
    for k, first in enumerate(range(0, nreps, chunk)):
        yield first, min(chunk, nreps - first), np.random.default_rng([sc["seed"], stream, k])


def curves(sc, nreps, chunk, stream=1):
    G = int(math.floor(sc["budget"] / sc["step"] + 1e-9)) + 1
    C = len(sc["regions"])
    hist = np.zeros((C, G + 1))
    fundable = np.zeros(C)
    people = 0
    for _, R, rng in chunks(sc, stream, nreps, chunk):
        for c, g in enumerate(sc["regions"]):
            rep, within, n = draw_region(rng, sc, g, R)
            people += n
            fundable[c] += within.size
            k = np.minimum(np.ceil(within / sc["step"]).astype(np.int64), G)
            hist[c] += np.bincount(k, minlength=G + 1)
    return np.cumsum(hist[:, :G], axis=1) / nreps, fundable / nreps, people


# ---------------------------------------------------------------- DESIGN §2: the MIP
def solve(sc, R):
    C, G = R.shape
    steps = sc["budget"] / sc["step"]
    budget_steps = math.floor(steps + 1e-9)
    gg = np.arange(G)
    A_choice = sparse.kron(sparse.eye(C), np.ones((1, G)))
    A_budget = sparse.csr_matrix(np.tile(gg, C)[None, :].astype(float))
    A = sparse.vstack([A_choice, A_budget]).tocsr()
    lb = np.concatenate([np.ones(C), [-np.inf]])
    ub = np.concatenate([np.ones(C), [budget_steps]])
    upper = np.ones(C * G)
    for c, g in enumerate(sc["regions"]):
        lo = math.ceil(g["min_share"] * steps - 1e-9)
        hi = min(math.floor(g["max_share"] * steps + 1e-9), budget_steps)
        upper[c * G:(c + 1) * G][(gg < lo) | (gg > hi)] = 0
    res = optimize.milp(-R.ravel(), constraints=optimize.LinearConstraint(A, lb, ub),
                        integrality=np.ones(C * G), bounds=optimize.Bounds(0, upper))
    if res.status != 0:
        raise RuntimeError(f"milp: {res.message}")
    y = res.x.reshape(C, G)
    return np.argmax(y, axis=1), -res.fun


# ---------------------------------------------------------------- checks (not timed)
def totals_at(sc, stream, nreps, chunk, allocs):
    """Total releases of every replication at each allocation (USD per region)."""
    out = np.zeros((len(allocs), nreps))
    for first, R, rng in chunks(sc, stream, nreps, chunk):
        for c, g in enumerate(sc["regions"]):
            rep, within, _ = draw_region(rng, sc, g, R)
            for j, x in enumerate(allocs):
                out[j, first:first + R] += np.bincount(rep[within <= x[c]], minlength=R)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--replications", type=float)
    ap.add_argument("--chunk", type=int, default=0, help="replications per chunk (default: ~2M people)")
    ap.add_argument("--json")
    ap.add_argument("--check", action="store_true", help="standard errors and paired differences")
    ap.add_argument("--other", help="REGION=USD,... to compare with on fresh replications")
    a = ap.parse_args()
    sc = load(a.scenario)
    S = int(a.replications) if a.replications else sc["replications"]
    mean_people = sum(g["n0"] + g["rate"] * sc["H"] for g in sc["regions"]) / max(1, len(sc["regions"]))
    chunk = a.chunk or max(1, int(2e6 // max(1.0, mean_people)))
    names = [g["name"] for g in sc["regions"]]

    t0, c0 = time.perf_counter(), time.process_time()
    R, fundable, people = curves(sc, S, chunk)
    t1 = time.perf_counter()
    steps, value = solve(sc, R)
    t2, c2 = time.perf_counter(), time.process_time()
    alloc = steps * sc["step"]
    out = {
        "implementation": "numpy/scipy", "numpy": np.__version__,
        "scipy": __import__("scipy").__version__, "replications": S, "chunk": chunk,
        "seconds": t2 - t0, "cpu_seconds": c2 - c0, "curves_seconds": t1 - t0, "mip_seconds": t2 - t1,
        "people": people, "reps_per_second": S / (t2 - t0), "people_per_second": people / (t2 - t0),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "allocation": dict(zip(names, map(float, alloc))), "value": float(value),
        "fundable_mean": dict(zip(names, map(float, fundable))), "people_mean": people / S,
        "curves": {n: list(map(float, R[c])) for c, n in enumerate(names)},
    }
    if a.check:
        t = totals_at(sc, 1, S, chunk, [alloc])[0]
        out["value_eval"] = float(t.mean())
        out["se"] = float(t.std(ddof=1) / math.sqrt(S))
        if a.other:
            kv = dict(p.split("=") for p in a.other.split(","))
            other = np.array([float(kv[n]) for n in names])
            tt = totals_at(sc, 2, S, chunk, [alloc, other])  # fresh replications (stream 2)
            d = tt[1] - tt[0]
            out["other"] = {"allocation": dict(zip(names, map(float, other))),
                            "diff_mean": float(d.mean()), "diff_se": float(d.std(ddof=1) / math.sqrt(S))}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)
    else:
        out.pop("curves")
        json.dump(out, sys.stdout, indent=1)
        print()


if __name__ == "__main__":
    main()
