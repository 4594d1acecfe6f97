/* progress: the progress bar, plain lines and the ETA of a run (progress.h). */
#include "progress.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fz_util.h"

#define BAR_WIDTH 20
#define LINE_MAX_CHARS 79 /* one terminal line: \r redraws it */
#define DRAW_EVERY 0.1    /* seconds between redraws of the bar */
#define RATE_WINDOW 2.0   /* seconds of samples the rate is measured over, once there are that many */
#define DRAW_TICK 0.5     /* seconds between redraws of a solve's elapsed time */

/* ---- the ETA model (pure arithmetic: tested with made-up costs) ---- */

static double work(const progress_model *m, const progress_stage_plan *s)
{
    return s->units * m->unit_cost[s->kind] + s->solves * m->solve_cost;
}

double progress_model_stage(const progress_model *m, size_t i) { return i < m->n ? work(m, &m->st[i]) : 0; }

double progress_model_total(const progress_model *m)
{
    double t = 0;
    for (size_t i = 0; i < m->n; i++)
        t += work(m, &m->st[i]);
    return t;
}

/* Solves finished when `done` replications of the stage are: the solve of
 * a batch ends before the next batch's first replications are counted. */
static double solves_done(const progress_stage_plan *s, double done)
{
    if (s->solves <= 0 || s->units <= 0 || done <= 0)
        return 0;
    double k = floor((done - 1) / (s->units / s->solves));
    return k < 0 ? 0 : k > s->solves ? s->solves : k;
}

double progress_model_left(const progress_model *m, size_t cur, double done, double elapsed, double since)
{
    if (cur >= m->n)
        return NAN;
    const progress_stage_plan *s = &m->st[cur];
    double whole = work(m, s), pace = 1, left;
    if (s->units <= 0) { /* solves alone: the model's time, less what has passed */
        left = whole - elapsed - since > 0 ? whole - elapsed - since : 0;
    } else {
        double solved = solves_done(s, done), did = done * m->unit_cost[s->kind] + solved * m->solve_cost;
        if (did > 0 && elapsed > 0)
            pace = elapsed / did; /* measured over modelled, in this stage, at the last count */
        left = did > 0 ? pace * (whole - did) : whole - elapsed;
        /* since the last count: a batch's solve runs (its modelled time
         * passes, no further) or the next replications do */
        double per = s->solves > 0 ? s->units / s->solves : 0, b = per > 0 ? done / per : 0;
        int solving = done > 0 && per > 0 && b == floor(b) && solved < b;
        double running = solving ? pace * m->solve_cost : left;
        left -= since < running ? since : running;
        if (left < 0)
            left = 0;
    }
    for (size_t j = cur + 1; j < m->n; j++) {
        const progress_stage_plan *t = &m->st[j];
        double unit = m->unit_cost[t->kind] * (t->kind == s->kind && s->units > 0 ? pace : 1);
        left += t->units * unit + t->solves * m->solve_cost;
    }
    return left;
}

void progress_model_learn(progress_model *m, size_t i, double seconds)
{
    if (i >= m->n || !(seconds >= 0))
        return;
    const progress_stage_plan *s = &m->st[i];
    if (s->units > 0) {
        double c = (seconds - s->solves * m->solve_cost) / s->units;
        if (c > 0)
            m->unit_cost[s->kind] = c;
    } else if (s->solves > 0) {
        m->solve_cost = seconds / s->solves;
    }
}

/* ---- formatting ---- */

const char *progress_secs(char *buf, size_t size, double s)
{
    if (!isfinite(s) || s < 0)
        snprintf(buf, size, "?");
    else if (s < 10)
        snprintf(buf, size, "%.1f s", s);
    else if (s < 90)
        snprintf(buf, size, "%.0f s", s);
    else if (s < 5400)
        snprintf(buf, size, "%.1f min", s / 60);
    else
        snprintf(buf, size, "%.1f h", s / 3600);
    return buf;
}

static const char *rate_text(char *buf, size_t size, double r)
{
    if (!(r > 0) || !isfinite(r))
        snprintf(buf, size, "-");
    else if (r >= 1e4)
        snprintf(buf, size, "%.1fk", r / 1e3);
    else if (r >= 10)
        snprintf(buf, size, "%.0f", r);
    else
        snprintf(buf, size, "%.2g", r);
    return buf;
}

/* ---- state ---- */

int cli_progress_mode(const struct cli_opts *o)
{
    if (o && o->quiet)
        return PROGRESS_OFF;
    const char *e = getenv("FIANZA_PROGRESS");
    if (e && !strcmp(e, "off"))
        return PROGRESS_OFF;
    if (e && !strcmp(e, "bar"))
        return PROGRESS_BAR;
    if (e && !strcmp(e, "plain"))
        return PROGRESS_PLAIN;
    return isatty(STDERR_FILENO) ? PROGRESS_BAR : PROGRESS_PLAIN; /* auto */
}

void cli_progress_start(cli_progress *p, int mode, FILE *out, double (*clock)(void), const char *what)
{
    memset(p, 0, sizeof *p);
    p->mode = mode;
    p->out = out;
    p->clock = clock ? clock : fz_seconds;
    p->start = p->clock();
    p->cur = SIZE_MAX;
    p->last_draw = -1e300;
    p->name = what;
}

void cli_progress_init(cli_progress *p, const struct cli_opts *o, const char *what)
{
    cli_progress_start(p, cli_progress_mode(o), stderr, fz_seconds, what);
}

void cli_progress_plan(cli_progress *p, const progress_model *m)
{
    p->model = *m;
    p->planned = 1;
}

/* Replications per second of the current stage: over the samples of the
 * last RATE_WINDOW seconds when they span that long, else since it began. */
static double stage_rate(const cli_progress *p, double now)
{
    for (int k = p->win_n; k > 0; k--) { /* oldest first */
        int i = (p->win_next - k + 8) % 8;
        double dt = now - p->win_t[i];
        if (dt >= RATE_WINDOW && p->done > p->win_done[i])
            return (double)(p->done - p->win_done[i]) / dt;
    }
    double el = now - p->stage_start;
    return el > 0 && p->done > 0 ? (double)p->done / el : NAN;
}

static void sample(cli_progress *p, double now)
{
    int last = (p->win_next + 7) % 8;
    if (p->win_n && now - p->win_t[last] < RATE_WINDOW / 8)
        return;
    p->win_t[p->win_next] = now;
    p->win_done[p->win_next] = p->done;
    p->win_next = (p->win_next + 1) % 8;
    if (p->win_n < 8)
        p->win_n++;
}

/* Seconds left in the whole run, NAN if unknown. */
static double eta(const cli_progress *p, double now)
{
    if (p->outer) { /* outer steps at their measured pace */
        if (!p->outer_done)
            return NAN;
        double per = (p->outer_step - p->outer_start) / (double)p->outer_done;
        double left = per * (double)(p->outer_total - p->outer_done) - (now - p->outer_step);
        return left > 0 ? left : 0;
    }
    if (p->planned && p->cur != SIZE_MAX)
        return progress_model_left(&p->model, p->cur, (double)p->done, p->last_count - p->stage_start,
                                   now - p->last_count);
    double r = stage_rate(p, now);
    return p->total && r > 0 ? (double)(p->total - p->done) / r : NAN;
}

/* "gap batch 3/10" for a planned stage of several solves. */
static void stage_label(const cli_progress *p, char *buf, size_t size)
{
    const progress_stage_plan *s = p->planned && p->cur != SIZE_MAX ? &p->model.st[p->cur] : NULL;
    if (s && s->solves > 1 && s->units > 0) {
        double per = s->units / s->solves, b = (double)p->done / per, k = floor(b) + 1;
        if (p->done > 0 && b == floor(b)) /* a batch's replications are done: its solve runs */
            snprintf(buf, size, "%s batch %.0f/%.0f solving", p->what, b, s->solves);
        else
            snprintf(buf, size, "%s batch %.0f/%.0f", p->what, k > s->solves ? s->solves : k, s->solves);
    } else {
        snprintf(buf, size, "%s", p->what ? p->what : "");
    }
}

static void draw(cli_progress *p, double now)
{
    char line[256], label[64], rate[32], left[32], el[32];
    int n = 0;
    if (p->outer)
        n = snprintf(line, sizeof line, "%s %zu/%zu: ", p->outer, p->outer_done, p->outer_total);
    stage_label(p, label, sizeof label);
    if (!p->what) {
        n += snprintf(line + n, sizeof line - (size_t)n, "starting");
    } else if (p->total) {
        int fill = (int)((double)BAR_WIDTH * (double)p->done / (double)p->total);
        n += snprintf(line + n, sizeof line - (size_t)n, "%s [%.*s%*s] %zu/%zu %s/s", label, fill,
                      "####################", BAR_WIDTH - fill, "", p->done, p->total,
                      rate_text(rate, sizeof rate, stage_rate(p, now)));
    } else if (p->planned && p->cur != SIZE_MAX && p->model.st[p->cur].units <= 0) {
        char x[32];
        n += snprintf(line + n, sizeof line - (size_t)n, "%s solving %s (expected %s)", label,
                      progress_secs(el, sizeof el, now - p->stage_start),
                      progress_secs(x, sizeof x, progress_model_stage(&p->model, p->cur)));
    } else {
        n += snprintf(line + n, sizeof line - (size_t)n, "%s solving %s", label,
                      progress_secs(el, sizeof el, now - p->stage_start));
    }
    double e = eta(p, now);
    if (isfinite(e) && n < (int)sizeof line)
        snprintf(line + n, sizeof line - (size_t)n, "  %s left", progress_secs(left, sizeof left, e));
    fprintf(p->out, "\r%-*.*s", LINE_MAX_CHARS, LINE_MAX_CHARS, line);
    fflush(p->out);
    p->drawn = 1;
    p->last_draw = now;
}

/* The stage that is ending: its plain line, and what it cost. */
static void finish_stage(cli_progress *p, double now)
{
    if (!p->what)
        return;
    double el = now - p->stage_start;
    if (p->planned && p->cur != SIZE_MAX)
        progress_model_learn(&p->model, p->cur, el);
    if (p->mode == PROGRESS_PLAIN && !p->outer) {
        char t[32], r[32], left[32] = "", label[64];
        stage_label(p, label, sizeof label);
        const progress_stage_plan *s = p->planned && p->cur != SIZE_MAX ? &p->model.st[p->cur] : NULL;
        if (s && s->solves > 1)
            snprintf(label, sizeof label, "%s (%.0f batches)", p->what, s->solves);
        if (p->planned && p->cur != SIZE_MAX && p->cur + 1 < p->model.n) {
            double e = progress_model_left(&p->model, p->cur + 1, 0, 0, 0);
            snprintf(left, sizeof left, "; about %s left", progress_secs(t, sizeof t, e));
        }
        if (p->total)
            fprintf(p->out, "fianza: %s: %zu/%zu replications in %s (%s replications/s)%s\n", label, p->done, p->total,
                    progress_secs(t, sizeof t, el), rate_text(r, sizeof r, el > 0 ? (double)p->done / el : NAN), left);
        else
            fprintf(p->out, "fianza: %s: done in %s%s\n", label, progress_secs(t, sizeof t, el), left);
        fflush(p->out);
    }
    p->what = NULL;
}

static void begin_stage(cli_progress *p, const char *stage, double now)
{
    finish_stage(p, now);
    p->what = stage;
    p->stage_start = now;
    p->done = p->total = 0;
    p->win_n = p->win_next = 0;
    if (p->planned) { /* the plan's stages come in order: search from the last one */
        size_t from = p->cur == SIZE_MAX ? 0 : p->cur, i;
        for (i = from; i < p->model.n && strcmp(p->model.st[i].name, stage); i++)
            ;
        p->cur = i < p->model.n ? i : SIZE_MAX;
    }
}

static void lock(cli_progress *p)
{
    if (p->ticking)
        pthread_mutex_lock(&p->lock);
}

static void unlock(cli_progress *p)
{
    if (p->ticking)
        pthread_mutex_unlock(&p->lock);
}

/* The ticker: while the current stage is a solve, its elapsed time. */
static void *tick(void *ctx)
{
    cli_progress *p = ctx;
    pthread_mutex_lock(&p->lock);
    while (!p->stop) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        t.tv_nsec += (long)(DRAW_TICK * 1e9);
        t.tv_sec += t.tv_nsec / 1000000000L;
        t.tv_nsec %= 1000000000L;
        pthread_cond_timedwait(&p->wake, &p->lock, &t);
        double now = p->clock();
        if (!p->stop && (p->what || p->outer) && now - p->last_draw >= DRAW_TICK)
            draw(p, now);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void start_ticker(cli_progress *p)
{
    if (pthread_mutex_init(&p->lock, NULL))
        return;
    if (pthread_cond_init(&p->wake, NULL)) {
        pthread_mutex_destroy(&p->lock);
        return;
    }
    p->stop = 0;
    if (pthread_create(&p->ticker, NULL, tick, p)) { /* no ticker: the bar still moves with the work */
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
        return;
    }
    p->ticking = 1;
}

static void stop_ticker(cli_progress *p)
{
    if (!p->ticking)
        return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->ticker, NULL);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    p->ticking = 0;
}

static void stage_locked(cli_progress *p, const char *stage, size_t done, size_t total);

void cli_progress_stage(void *ctx, const char *stage, size_t done, size_t total)
{
    cli_progress *p = ctx;
    if (p->mode == PROGRESS_OFF)
        return;
    if (p->mode == PROGRESS_BAR && !p->ticking)
        start_ticker(p);
    lock(p);
    stage_locked(p, stage, done, total);
    unlock(p);
}

static void stage_locked(cli_progress *p, const char *stage, size_t done, size_t total)
{
    double now = p->clock();
    int fresh = !p->what || strcmp(p->what, stage) != 0;
    if (fresh)
        begin_stage(p, stage, now);
    p->done = done;
    p->total = total;
    p->last_count = now;
    sample(p, now);
    if (p->mode == PROGRESS_BAR && (fresh || done == total || now - p->last_draw >= DRAW_EVERY))
        draw(p, now);
}

void cli_progress_update(void *ctx, size_t done, size_t total)
{
    cli_progress *p = ctx;
    cli_progress_stage(p, p->what ? p->what : p->name ? p->name : "replications", done, total);
}

static void outer_locked(cli_progress *p, const char *what, size_t done, size_t total);

void cli_progress_outer(void *ctx, const char *what, size_t done, size_t total)
{
    cli_progress *p = ctx;
    if (p->mode == PROGRESS_OFF)
        return;
    if (p->mode == PROGRESS_BAR && !p->ticking)
        start_ticker(p);
    lock(p);
    outer_locked(p, what, done, total);
    unlock(p);
}

static void outer_locked(cli_progress *p, const char *what, size_t done, size_t total)
{
    double now = p->clock();
    if (!p->outer || strcmp(p->outer, what)) { /* a new loop: its pace starts now */
        finish_stage(p, now);
        p->outer = what;
        p->outer_done = p->outer_line = 0;
        p->outer_start = p->outer_step = p->outer_line_at = now;
    }
    if (done > p->outer_done) {
        p->outer_done = done;
        p->outer_step = now;
        /* for logs: a line per tenth of the steps, or after 10 s without one, and the last */
        int tenth = total && done * 10 / total > p->outer_line * 10 / total;
        if (p->mode == PROGRESS_PLAIN && (tenth || done >= total || now - p->outer_line_at >= 10)) {
            p->outer_line = done;
            p->outer_line_at = now;
            char t[32], per[32], left[32] = "", e[32];
            double el = now - p->outer_start, x = eta(p, now);
            if (isfinite(x) && done < total)
                snprintf(left, sizeof left, "; about %s left", progress_secs(e, sizeof e, x));
            fprintf(p->out, "fianza: %s: %zu/%zu in %s (%s each)%s\n", what, done, total,
                    progress_secs(t, sizeof t, el), progress_secs(per, sizeof per, el / (double)done), left);
            fflush(p->out);
        }
    }
    p->outer_total = total;
    if (p->mode == PROGRESS_BAR)
        draw(p, now);
}

void cli_progress_break(cli_progress *p)
{
    lock(p);
    if (p->drawn) {
        fputc('\n', p->out);
        p->drawn = 0;
    }
    p->last_draw = p->clock(); /* the ticker leaves the message alone for a while */
    unlock(p);
}

void cli_progress_done(cli_progress *p)
{
    if (p->mode == PROGRESS_OFF)
        return;
    stop_ticker(p);
    finish_stage(p, p->clock());
    if (p->drawn) {
        fprintf(p->out, "\r%*s\r", LINE_MAX_CHARS, "");
        fflush(p->out);
        p->drawn = 0;
    }
}
