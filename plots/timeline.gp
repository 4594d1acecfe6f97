# timeline.gp: the fund over time (DESIGN §7), as two fan charts over the
# horizon: cumulative releases, and the money the fund holds (every region's
# account plus the reserve).  Each shows the mean (solid), the median
# (dashed) and the band holding the middle 90% of the replications (5th to
# 95th percentile).  Data: timeline.csv (day, releases_cum_mean, _p05, _p50,
# _p95, balance_usd_mean, _p05, _p50, _p95); an empty cell is undefined.
load 'theme.gp'
set encoding utf8
chart_title = @TITLE@
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'timeline.'.fmt
    set multiplot layout 2,1 title chart_title noenhanced
    set xlabel 'days since the start of the horizon'
    set xrange [0:*]
    set autoscale xfixmax  # the axis ends at the horizon, not at the next tic
    set yrange [0:*]
    set key outside right center vertical reverse Left  # beside each panel: the band can fill any corner
    set style fill transparent solid 0.25 noborder
    set title 'How soon: cumulative releases' noenhanced
    set ylabel 'people released so far'
    plot 'timeline.csv' skip 1 using 1:3:5 with filledcurves lc rgb '#1b6ca8' title '5-95% of futures', \
         '' skip 1 using 1:2 with lines lt 1 title 'mean', \
         '' skip 1 using 1:4 with lines dt 2 lw 1.5 lc rgb '#4d4d4d' title 'median'
    set title 'When does the money run out — and come back' noenhanced
    set ylabel 'money in the fund (thousand USD)'
    plot 'timeline.csv' skip 1 using 1:($7/1000):($9/1000) with filledcurves lc rgb '#d1495b' \
             title '5-95% of futures', \
         '' skip 1 using 1:($6/1000) with lines lt 2 title 'mean', \
         '' skip 1 using 1:($8/1000) with lines dt 2 lw 1.5 lc rgb '#4d4d4d' title 'median'
    unset multiplot
    set output
}
