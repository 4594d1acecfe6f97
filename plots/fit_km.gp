# fit_km.gp: the Kaplan-Meier estimate of the survival function of the
# durations (step function, with its 95% log-log interval dashed) and each
# fitted family's survival function, best fit by AIC first.
# Data: fit_km.csv (time_days, at_risk, events, censored, survival,
# survival_ci95_lo, survival_ci95_hi) and fit_km_fitted.csv (rank, family,
# time_days, survival; long form).
load 'theme.gp'
chart_title = @TITLE@
n = @N@
array labels[@N@] = [@LABELS@]
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'fit_km.'.fmt
    set title chart_title noenhanced
    set xlabel 'days' noenhanced
    set ylabel 'share still running, P(duration > days)' noenhanced
    set yrange [0:1.02]
    set xrange [0:*]
    set key top right noenhanced
    plot 'fit_km.csv' skip 1 using 1:5 with steps lw 3 lc rgb '#4d4d4d' title 'Kaplan-Meier', \
         '' skip 1 using 1:6 with steps dt 2 lw 1 lc rgb '#4d4d4d' title '95% interval', \
         '' skip 1 using 1:7 with steps dt 2 lw 1 lc rgb '#4d4d4d' notitle, \
         for [i=1:n] 'fit_km_fitted.csv' skip 1 using 3:(column(1) == i ? column(4) : NaN) with lines lt i lw (i == 1 ? 3 : 2) title labels[i]
    set output
}
