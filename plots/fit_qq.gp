# fit_qq.gp: quantile-quantile plots, one panel per fitted family in rank
# order (best by AIC first): the data's quantile against the fitted one, on
# the natural scale (on log-log axes every family looked alike) and the same
# range in every panel; points on the dashed line y = x mean a good fit.
# Data: fit_qq.csv (probability, data quantile, one fitted-quantile column
# per family, in rank order).
load 'theme.gp'
chart_title = @TITLE@
n = @N@
array labels[@N@] = [@LABELS@]
rows = n <= 3 ? 1 : 2
cols = n <= 3 ? n : 3
# one range for every panel and both axes: the data's and every fit's quantiles
stats 'fit_qq.csv' skip 1 using 2 nooutput
qlo = STATS_min; qhi = STATS_max
do for [i=1:n] {
    stats 'fit_qq.csv' skip 1 using (column(i + 2)) nooutput
    qlo = STATS_min < qlo ? STATS_min : qlo
    qhi = STATS_max > qhi ? STATS_max : qhi
}
qlo = qlo > 0 ? 0 : qlo  # from 0 for positive data: where a fit departs is read against the origin
if (qhi <= qlo) { qhi = qlo + 1 }
# about three ticks at a round step (1, 2 or 5 times a power of ten), the range ending on one
qr = (qhi - qlo) / 3; qe = 10**floor(log10(qr)); qm = qr / qe
qstep = (qm <= 1 ? 1 : qm <= 2 ? 2 : qm <= 5 ? 5 : 10) * qe
qlo = floor(qlo / qstep) * qstep; qhi = ceil(qhi / qstep) * qstep
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'fit_qq.'.fmt
    set multiplot layout rows, cols title "Which distribution fits: data quantiles against each fit's (on the dashed line: a good fit)\n" \
        .chart_title noenhanced
    set key off
    set xlabel @XLABEL@ noenhanced
    set ylabel @YLABEL@ noenhanced
    set xrange [qlo:qhi]
    set yrange [qlo:qhi]
    set size ratio -1       # square panels: y = x at 45 degrees
    set format xy '%.0f'    # whole numbers, never 1e+04
    set xtics rotate by -30 offset -0.5, 0
    set xtics qstep         # few labelled ticks: long numbers do not run into each other
    set ytics qstep
    set mxtics 2
    set rmargin 4           # the last tick label is not cut at the right edge
    set bmargin 4
    do for [i=1:n] {
        set title sprintf('%d. %s', i, labels[i]) noenhanced
        plot 'fit_qq.csv' skip 1 using (column(i+2)):2 with points lt i pt 7 ps 0.5, \
             x with lines dt 2 lw 1.5 lc rgb '#4d4d4d'
    }
    unset multiplot
    set output
}
