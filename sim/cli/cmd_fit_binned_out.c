/* cmd_fit_binned_out: what `fianza fit --bins` writes and prints
 * (cmd_fit_binned.h): summary.json, fit_bins.csv, the fit_bins chart and the
 * ranked table with every bin's observed and fitted share. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fit_binned.h"
#include "cmd_fit_util.h"
#include "plot.h"
#include "summary.h"

static double observed_share(const binned_run *r, size_t j) { return r->bins[j].count / r->total; }

static double fitted_share(const fit_result *f, const fit_bin *b) { return fit_binned_prob(f, b->lo, b->hi); }

/* The largest |observed - fitted| share of a bin: a measure of misfit that,
 * unlike chi-square, does not grow with N. */
static double share_gap(const binned_run *r, const fit_result *f)
{
    double g = 0;
    for (size_t j = 0; j < r->nbins; j++)
        g = fmax(g, fabs(observed_share(r, j) - fitted_share(f, &r->bins[j])));
    return g;
}

/* The bin holding the observed median: the first whose cumulative share reaches 1/2. */
static size_t median_bin(const binned_run *r)
{
    double cum = 0;
    for (size_t j = 0; j < r->nbins; j++)
        if ((cum += observed_share(r, j)) >= 0.5)
            return j;
    return r->nbins - 1;
}

/* "bond_usd = " when the table is about bonds (its file or columns say "bond"). */
static const char *key_prefix(const binned_run *r)
{
    const char *names[] = {r->path, r->low_col, r->high_col, r->count_col};
    for (size_t i = 0; i < 4; i++)
        if (strstr(names[i], "bond"))
            return "bond_usd = ";
    return "";
}

static void bin_text(char *buf, size_t size, const fit_bin *b)
{
    if (isfinite(b->hi))
        snprintf(buf, size, "[%.10g, %.10g)", b->lo, b->hi);
    else
        snprintf(buf, size, "[%.10g, inf)", b->lo);
}

static const char *range_text(const binned_run *r, char *buf, size_t size)
{
    return cmd_fit_range_text(&r->opt, buf, size);
}

json_t *binned_json(const binned_run *r)
{
    json_t *doc = json_object(), *fits = json_array(), *skipped = json_array();
    size_t m = median_bin(r);
    json_object_set_new(doc, "command", json_string("fit"));
    json_object_set_new(doc, "mode", json_string("binned"));
    json_object_set_new(doc, "data", json_string(r->path));
    json_object_set_new(doc, "bins", json_pack("{s:s, s:s}", "low_column", r->low_col, "high_column", r->high_col));
    json_object_set_new(doc, r->shares ? "shares_column" : "counts_column", json_string(r->count_col));
    json_object_set_new(doc, "n", r->shares ? json_integer((json_int_t)r->n_given) : json_null());
    json_object_set_new(doc, "standard_errors_depend_on_n", json_boolean(r->shares));
    json_object_set_new(doc, "rows", json_integer((json_int_t)r->nrows));
    json_object_set_new(doc, "bins_used", json_integer((json_int_t)r->nbins));
    json_object_set_new(doc, "total_count", json_guard_num_or_null(r->total));
    json_object_set_new(
        doc, "left_out",
        json_pack("{s:I, s:o, s:I, s:o, s:I, s:o}", "point_masses", (json_int_t)r->n_point, "point_mass_count",
                  json_guard_num_or_null(r->c_point), "below_min", (json_int_t)r->n_below, "below_min_count",
                  json_guard_num_or_null(r->c_below), "above_max", (json_int_t)r->n_above, "above_max_count",
                  json_guard_num_or_null(r->c_above)));
    json_object_set_new(doc, "whole_unit_upper_edges", json_boolean(r->closed_edges));
    json_object_set_new(
        doc, "truncation",
        json_pack("{s:o, s:o}", "min", json_guard_num_or_null(r->opt.lo), "max", json_guard_num_or_null(r->opt.hi)));
    json_object_set_new(doc, "observed_median_bin",
                        json_pack("{s:o, s:o, s:I}", "low", json_guard_num_or_null(r->bins[m].lo), "high",
                                  json_guard_num_or_null(r->bins[m].hi), "line", (json_int_t)r->line[m]));
    json_object_set_new(doc, "ranking", json_string("aic"));
    for (size_t i = 0; i < FIT_NFAMILIES; i++) {
        const fit_binned *b = &r->res[i];
        const fit_result *f = &b->fit;
        if (!f->ok) {
            json_array_append_new(skipped, cmd_fit_skipped_json(f));
            continue;
        }
        json_t *par, *se;
        cmd_fit_params_json(f, &par, &se);
        json_t *e = json_pack(
            "{s:I, s:s, s:o, s:o, s:b, s:i, s:o, s:o, s:o, s:o, s:{s:o, s:i, s:i, s:o}, s:o, s:o, s:s}", "rank",
            (json_int_t)i + 1, "family", fit_family_name(f->family), "parameters", par, "standard_errors", se,
            "converged", f->converged, "iterations", f->iterations, "loglik", json_guard_num_or_null(f->loglik), "aic",
            json_guard_num_or_null(f->aic), "delta_aic", json_guard_num_or_null(f->aic - r->res[0].fit.aic), "bic",
            json_guard_num_or_null(f->bic), "chi_square", "statistic", json_guard_num_or_null(b->chi2), "df",
            b->chi2_df, "groups", b->chi2_groups, "p_value", json_guard_num_or_null(b->chi2_p), "max_share_gap",
            json_guard_num_or_null(share_gap(r, f)), "fitted_median", json_guard_num_or_null(fit_quantile(f, 0.5)),
            "scenario", r->text[i]);
        if (r->unusable[i][0])
            json_object_set_new(e, "scenario_rejected", json_string(r->unusable[i]));
        json_array_append_new(fits, e);
    }
    cmd_fit_json_end(doc, fits, skipped, r->best >= 0 ? &r->res[r->best].fit : NULL, key_prefix(r),
                     r->best >= 0 ? r->text[r->best] : NULL);
    return doc;
}

int write_bins_csv(outdir *dir, const binned_run *r, fz_error *err)
{
    FILE *f = outdir_open(dir, "fit_bins.csv", err);
    if (!f)
        return FZ_ERUNTIME;
    fprintf(f, "family_rank,family,bin,bin_label,data_line,bin_low_usd,bin_high_usd,observed_count,observed_share,"
               "fitted_share,expected_count\n");
    for (size_t i = 0; i < r->nfit; i++) {
        const fit_result *x = &r->res[i].fit;
        for (size_t j = 0; j < r->nbins; j++) {
            const fit_bin *b = &r->bins[j];
            double p = fitted_share(x, b);
            char label[64];
            if (isfinite(b->hi))
                snprintf(label, sizeof label, "%.10g-%.10g", b->lo, b->hi);
            else
                snprintf(label, sizeof label, "%.10g+", b->lo);
            fprintf(f, "%zu,%s,%zu,%s,%ld", i + 1, fit_family_name(x->family), j + 1, label, r->line[j]);
            cmd_fit_csv_num(f, "%.10g", b->lo);
            cmd_fit_csv_num(f, "%.10g", b->hi); /* empty: the open top bin */
            cmd_fit_csv_num(f, "%.10g", b->count);
            cmd_fit_csv_num(f, "%.8g", observed_share(r, j));
            cmd_fit_csv_num(f, "%.8g", p);
            cmd_fit_csv_num(f, "%.10g", p * r->total);
            fputc('\n', f);
        }
    }
    return outdir_close(f, "fit_bins.csv", err);
}

int write_bins_chart(outdir *dir, const binned_run *r, charts_list *charts, fz_error *err)
{
    const char *base = strrchr(r->path, '/') ? strrchr(r->path, '/') + 1 : r->path;
    char t[600], xl[700], rg[96], nbuf[16], nb[16], labels[512] = "";
    snprintf(t, sizeof t, "%s: observed and fitted share of each bin (N = %.10g, fitted on %s)", base, r->total,
             range_text(r, rg, sizeof rg));
    snprintf(xl, sizeof xl, "bin (%s to %s, the table's unit)", r->low_col, r->high_col);
    snprintf(nbuf, sizeof nbuf, "%zu", r->nfit);
    snprintf(nb, sizeof nb, "%zu", r->nbins);
    for (size_t i = 0; i < r->nfit; i++)
        cmd_fit_label_add(labels, sizeof labels, i, &r->res[i].fit);
    char *qt = plot_quote(t), *qx = plot_quote(xl);
    int rc = 0;
    if (!qt || !qx)
        rc = fz_fail(err, FZ_ERUNTIME, "out of memory");
    else {
        plot_var v[] = {{"TITLE", qt}, {"N", nbuf}, {"NB", nb}, {"LABELS", labels}, {"XLABEL", qx}};
        if (!(rc = plot_script(dir, "fit_bins", v, 5, err)))
            charts->names[charts->n++] = "fit_bins";
    }
    free(qt);
    free(qx);
    return rc;
}

/* The header lines: what was read, left out and assumed. */
static void print_head(FILE *out, const binned_run *r)
{
    char rg[96];
    fprintf(out, "fianza fit: %s, bins %s to %s, %s %s", r->path, r->low_col, r->high_col,
            r->shares ? "shares" : "counts", r->count_col);
    if (r->shares)
        fprintf(out, " of N = %ld (--n)", r->n_given);
    fprintf(out, "\n%zu rows: %zu bins fitted (%.10g observations)", r->nrows, r->nbins, r->total);
    if (r->n_point)
        fprintf(out, "; left out: %zu zero-width bin%s (first: line %ld, at %g; %.10g observations): a point mass no "
                     "continuous family gives probability", r->n_point, r->n_point == 1 ? "" : "s", r->point_line,
                r->point_at, r->c_point);
    if (r->n_below || r->n_above)
        fprintf(out, "; left out: %zu bins below --min (%.10g observations), %zu above --max (%.10g)", r->n_below,
                r->c_below, r->n_above, r->c_above);
    fprintf(out, "\n");
    if (r->closed_edges)
        fprintf(out, "upper edges written inclusively in whole units (2499, then 2500) are read as the next bin's "
                     "lower edge\n");
    if (r->opt.lo > 0 || isfinite(r->opt.hi))
        fprintf(out,
                "truncated likelihood: each family conditioned on %s (not shifted), so the parameters\n"
                "describe the whole population, of which only values in that range were recorded\n",
                range_text(r, rg, sizeof rg));
    else
        fprintf(out, "fitted on %s: ranges no bin covers count as observed empty\n", range_text(r, rg, sizeof rg));
    if (r->shares)
        fprintf(out, "standard errors and the chi-square test take N = %ld from --n: SEs scale as 1/sqrt(N) and "
                     "chi-square as N,\nso they are only as good as N\n", r->n_given);
}

/* One row of the share table: the cell (a gap no bin covers: "no bin"), its
 * observed share and each family's. */
static void print_share_row(FILE *out, const binned_run *r, const fit_bin *b, const char *mark, double observed,
                            int gap)
{
    char bt[64], cell[80];
    bin_text(bt, sizeof bt, b);
    snprintf(cell, sizeof cell, "%s%s", bt, gap ? " no bin" : "");
    fprintf(out, "%-26s%s %8.4f", cell, mark, observed);
    for (size_t i = 0; i < r->nfit; i++)
        fprintf(out, " %11.4f", fitted_share(&r->res[i].fit, b));
    fprintf(out, "\n");
}

void print_binned(FILE *out, const binned_run *r, const char *dirname)
{
    print_head(out, r);
    fprintf(out, "\n%-4s %-11s %-42s %10s %10s %6s %10s %8s %3s %8s %6s %8s %4s\n", "rank", "family",
            "parameters (standard errors)", "log-lik", "AIC", "dAIC", "BIC", "chi2", "df", "p", "gap", "median",
            "conv");
    for (size_t i = 0; i < r->nfit; i++) {
        const fit_binned *b = &r->res[i];
        char par[160], p[16] = "n/a";
        cmd_fit_param_text(&b->fit, par, sizeof par);
        if (isfinite(b->chi2_p))
            snprintf(p, sizeof p, "%.2g", b->chi2_p);
        fprintf(out, "%-4zu %-11s %-42s %10.1f %10.1f %6.1f %10.1f %8.1f %3d %8s %6.3f %8.0f %4s\n", i + 1,
                fit_family_name(b->fit.family), par, b->fit.loglik, b->fit.aic, b->fit.aic - r->res[0].fit.aic,
                b->fit.bic, b->chi2, b->chi2_df, p, share_gap(r, &b->fit), fit_quantile(&b->fit, 0.5),
                b->fit.converged ? "yes" : "no");
    }
    for (size_t i = r->nfit; i < FIT_NFAMILIES; i++)
        fprintf(out, "-    %-11s skipped: %s\n", fit_family_name(r->res[i].fit.family), r->res[i].fit.reason);
    fprintf(out, "\n%-28s %8s", "bin", "observed");
    for (size_t i = 0; i < r->nfit; i++)
        fprintf(out, " %11s", fit_family_name(r->res[i].fit.family));
    fprintf(out, "\n");
    size_t m = median_bin(r);
    double cur = r->opt.lo;
    for (size_t j = 0; j <= r->nbins; j++) {
        /* the range before bin j (above the last bin for j = nbins) that no bin covers, observed empty */
        fit_bin gap = {cur, j < r->nbins ? r->bins[j].lo : r->opt.hi, 0};
        if (gap.hi > gap.lo)
            print_share_row(out, r, &gap, "  ", 0, 1);
        if (j < r->nbins) {
            print_share_row(out, r, &r->bins[j], j == m ? " *" : "  ", observed_share(r, j), 0);
            cur = r->bins[j].hi;
        }
    }
    fprintf(out,
            "(* the bin holding the observed median; 'no bin': a range the table does not cover, observed empty)\n\n"
            "Ranked by AIC = 2k - 2 log-lik (smaller is better; dAIC above 10: essentially no support);\n"
            "BIC = k ln N - 2 log-lik.  chi2: Pearson's over the bins and the empty ranges beside them,\n"
            "grouped until each expects at least 5, df = groups - 1 - parameters.  gap: the largest\n"
            "|observed - fitted| share of a bin.  median: of the fitted (truncated) distribution.\n");
    for (size_t i = 0; i < r->nfit; i++) {
        const fit_result *f = &r->res[i].fit;
        if (!f->converged)
            fprintf(out, "%s: the optimiser did not converge; no standard errors\n", fit_family_name(f->family));
        else if (!isfinite(f->se[0]))
            fprintf(out, "%s: the observed information is not positive definite; no standard errors\n",
                    fit_family_name(f->family));
        if (r->unusable[i][0])
            fprintf(out, "%s: not usable in a scenario: %s\n", fit_family_name(f->family), r->unusable[i]);
    }
    cmd_fit_print_line(out, key_prefix(r), r->best >= 0 ? r->text[r->best] : NULL, dirname);
}
