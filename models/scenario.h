/* Folder models/ (library fz_models): inputs and models.  Errors, bounded
 * input files, random streams, distributions, the scenario, CSV columns,
 * fitting and the GLPK split model.  It includes nothing from sim/: the
 * engine and everything after it sit downstream (README "Map").
 *
 * scenario: a scenario file (DESIGN §4) loaded, defaulted and validated.
 *
 * scenario_load reads the INI file, applies `--set section.key=value`
 * overrides on top of it, fills every documented default and checks every
 * value; any problem is an FZ_EINPUT error naming file:line (or the --set
 * option) and what was expected.  The result is plain data that the engine
 * reads and never changes.
 *
 * scenario_copy_set makes a variant in memory (sweeps, the tornado chart):
 * the scenario keeps the entries it was made from, so a copy with one more
 * override is checked exactly as scenario_load would check it, without
 * reading any file again.
 *
 * Ownership: scenario_load returns a new scenario released with
 * scenario_free (NULL allowed); it owns its regions, strings and dists.  A
 * copy from scenario_copy_set shares the distributions it leaves unchanged
 * with the scenario it was copied from: free it first. */
#ifndef FZ_SCENARIO_H
#define FZ_SCENARIO_H

#include <stdint.h>
#include <stdio.h>

#include "dist.h"
#include "fz_error.h"

typedef enum scenario_policy { POLICY_CHEAPEST_FIRST, POLICY_FIRST_COME } scenario_policy;
typedef enum scenario_objective { OBJ_RELEASES, OBJ_FREEDOM_DAYS, OBJ_CVAR, OBJ_TARGET_PROB } scenario_objective;
typedef enum scenario_queue { QUEUE_SKIP, QUEUE_WAIT } scenario_queue;       /* [fund] queue (DESIGN §7) */
typedef enum scenario_posting { POSTING_ALL, POSTING_WEEKDAYS } scenario_posting; /* [fund] posting_days */
typedef enum scenario_pooling { POOLING_SPLIT, POOLING_POOLED } scenario_pooling; /* [fund] pooling (§8) */

/* Limits past which a scenario is rejected (docs/limits.md). */
#define SCENARIO_MAX_REGIONS 64
#define SCENARIO_MAX_REPLICATIONS 100000000L
#define SCENARIO_MAX_GRID 100000     /* budget_usd / granularity_usd */
#define SCENARIO_MAX_PEOPLE_MEAN 1e6 /* expected people per region and replication */
/* Bytes of a label as check prints it: "label = " and the label fill a
 * scenario line (198); a label that check must quote counts its quotes and
 * one more byte per '"' or '\'. */
#define SCENARIO_MAX_LABEL 190
#define SCENARIO_MAX_REGIMES 64

/* The parameters a [regime.NAME] section can change (DESIGN §7), as bits of
 * scenario_regime.set. */
enum {
    REGIME_ARRIVALS = 1 << 0,   /* arrivals_per_day, by arrival time */
    REGIME_GRANT = 1 << 1,      /* bond_grant_prob, by decision time (so are the rest) */
    REGIME_BOND = 1 << 2,       /* bond_usd */
    REGIME_FAMILY = 1 << 3,     /* family_pays_prob */
    REGIME_MAX_BOND = 1 << 4,   /* max_bond_paid_usd */
    REGIME_STAY = 1 << 5        /* stay_prob */
};

/* One [regime.NAME] section as written (check prints it back). */
typedef struct scenario_regime {
    char *name;
    double start_day;  /* required */
    double end_day;    /* INFINITY when not given: the horizon */
    uint64_t regions;  /* bit c: applies to region c (all bits when not given) */
    unsigned set;      /* REGIME_* bits of the keys the section sets */
    double arrivals_per_day, bond_grant_prob, family_pays_prob, max_bond_paid_usd, stay_prob;
    dist *bond_usd;    /* NULL unless REGIME_BOND */
} scenario_regime;

/* The parameters of a region in force on [start, end): the region's own
 * values with the regimes that cover the interval applied in file order
 * (the later section wins for each key it sets).  A region's phases cover
 * [0, horizon_days) without gaps; a region without regimes has one. */
typedef struct scenario_phase {
    double start, end;
    double arrivals_per_day, bond_grant_prob, family_pays_prob, max_bond_paid_usd, stay_prob;
    const dist *bond_usd; /* borrowed from the region or a regime */
} scenario_phase;

typedef struct scenario_region {
    char *name;  /* from [region.NAME] */
    char *label; /* for people: "Kansas City" */
    long initial_detained;
    double arrivals_per_day;
    double bond_grant_prob;
    dist *bond_usd;
    double max_bond_paid_usd; /* INFINITY when unlimited */
    double case_cost_usd;
    dist *hearing_delay_days;
    dist *release_delay_days;
    double removal_hazard_per_day;
    double family_pays_prob;
    double min_share, max_share;
    /* DESIGN §7: the fund over time (defaults leave §1 unchanged) */
    double stay_prob;            /* 0 */
    dist *stay_days;             /* fixed(0) */
    double stay_revoke_prob;     /* 0 */
    dist *copay_usd;             /* fixed(0) */
    double refund_prob;          /* 0 */
    dist *case_duration_days;    /* fixed(0) */
    dist *refund_lag_days;       /* fixed(0) */
    double max_payments_per_day; /* INFINITY when unlimited, else a whole number >= 0 */
    size_t nphases;              /* >= 1: the regimes that apply, as phases of [0, H) */
    scenario_phase *phases;
} scenario_region;

typedef struct scenario {
    char *path;    /* as given */
    char *name;    /* file name without directory and .ini */
    char *basedir; /* directory of the file: empirical paths are relative to it */
    double budget_usd;
    double horizon_days;
    double granularity_usd;
    scenario_policy policy;
    scenario_objective objective;
    double cvar_alpha;
    double target_releases;
    double min_target_prob; /* DESIGN §8: 0 (none); > 0 needs target_releases > 0 */
    /* DESIGN §7 */
    double donations_usd_per_month; /* 0; credited at t = 30, 60, ... < H */
    scenario_queue queue;           /* skip */
    double max_wait_days;           /* INFINITY when unlimited */
    scenario_posting posting_days;  /* all */
    int start_weekday;              /* 0 = Monday */
    scenario_pooling pooling;       /* DESIGN §8: split (accounts per region) or pooled */
    double reallocate_every_days;   /* DESIGN §8: K, re-split at K, 2K, ... < H; 0: never */
    long replications;
    uint64_t seed;
    size_t nregions;
    scenario_region *regions;       /* in file order */
    size_t nregimes;
    scenario_regime *regimes;       /* in file order */
    struct scenario_source *source; /* private (scenario.c): its entries, for scenario_copy_set */
} scenario;

int scenario_load(scenario **out, const char *path, const char *const *sets, size_t nsets, fz_error *err);
void scenario_free(scenario *s);

/* scenario_load whose messages name override i after origins[i] ("--seed 5":
 * "--seed 5: seed = '5x': expected ..."); origins, or one of them, NULL:
 * "--set SET". */
int scenario_load_named(scenario **out, const char *path, const char *const *sets, const char *const *origins,
                        size_t nsets, fz_error *err);

/* *out = s with one more override "section.key=value" on top of its own (or
 * "region.R.key.arg=value"), as scenario_load would give it: same values,
 * same checks.  Every error starts with origin (NULL: "--set SET"): an error
 * in the override names it as its source; one that the override causes
 * elsewhere (the grid limit at the file's granularity_usd line) is
 * prefixed with it.  *out shares distributions with s: free it before s. */
int scenario_copy_set(scenario **out, const scenario *s, const char *set, const char *origin, fz_error *err);

/* Writes the scenario as an INI file with every default filled in; the
 * text loads back to the same scenario and prints the same again (labels
 * are quoted and escaped when needed, every line fits the line limit). */
void scenario_print(FILE *f, const scenario *s);

/* A numeric parameter that sweeps and the tornado chart can vary, named as
 * --set takes it: "region.chicago.arrivals_per_day" or, for an argument of
 * a distribution, "region.chicago.bond_usd.median". */
typedef struct scenario_param {
    char name[128];
    double value;
    double lo, hi; /* valid range */
    int integer;
} scenario_param;

/* Lists the numeric parameters into a malloc'd array: the regions' (not
 * labels or share bounds), the fund's DESIGN §7 numbers
 * (donations_usd_per_month, max_wait_days, start_weekday) and each regime's
 * ("regime.NAME.start_day", end_day when given, the keys it sets); values
 * that are not finite (unlimited) are left out.  Returns 0 or FZ_ERUNTIME. */
int scenario_params(scenario_param **out, size_t *n, const scenario *s, fz_error *err);

/* Whether a --set name ("fund.budget_usd", "region.R.bond_grant_prob",
 * "region.R.bond_usd.median", "regime.G.start_day") holds a number that a
 * sweep can vary: 1 for a numeric key or a distribution argument, 0 for a
 * known key holding text (label, policy, objective, queue, posting_days, a
 * regime's regions) or a whole distribution, -1 when no such key exists
 * (scenario_load then says why). */
int scenario_key_numeric(const char *name);

/* The allocation grid: g * granularity_usd for g = 0 .. budget_usd /
 * granularity_usd.  Quotients of amounts in USD are rounded down unless
 * within SCENARIO_GRID_EPS (absolute, in grid steps) of the integer above:
 * 0.3 / 0.1 = 2.9999999999999996 is 3 steps, not 2.  Every count of grid
 * steps (budget, share bounds, expected-value curves) uses this slack. */
#define SCENARIO_GRID_EPS 1e-9
size_t scenario_grid_points(const scenario *s);

/* Whether region c needs the event-driven ledger (DESIGN §7): refunds,
 * donations, a daily capacity, weekday posting or a waiting queue.  Without
 * them a region is §1's one pass over the cases in policy order (stays,
 * copays and regimes change only who is fundable and when). */
int scenario_uses_ledger(const scenario *s, size_t c);

/* Region g's phases and their count in *n: its own, or, for a region built
 * without phases, *one filled with its values on [0, horizon) (owned by the
 * caller, which must outlive the returned pointer). */
const scenario_phase *scenario_region_phases(const scenario_region *g, double horizon, scenario_phase *one,
                                             size_t *n);

/* Index of the region called name, or -1. */
int scenario_region_index(const scenario *s, const char *name);

const char *scenario_policy_name(scenario_policy p);
const char *scenario_objective_name(scenario_objective o);

/* Parses "cheapest_first"/"first_come"; returns 0 or -1. */
int scenario_parse_policy(const char *text, scenario_policy *out);

#endif
