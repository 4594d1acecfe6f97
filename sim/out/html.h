/* html: report.html, one self-contained page per run (no network): the key
 * numbers of summary.json as tables and every chart, its SVG inlined (or a
 * note pointing at the .gp script when gnuplot was missing). */
#ifndef FZ_HTML_H
#define FZ_HTML_H

#include <jansson.h>

#include "charts.h"
#include "outdir.h"
#include "scenario.h"

int html_report(outdir *o, const scenario *s, const json_t *summary, const charts_list *charts, fz_error *err);

/* report.html of `fianza fit`, from its summary.json (no scenario). */
int html_fit_report(outdir *o, const json_t *summary, const charts_list *charts, fz_error *err);

#endif
