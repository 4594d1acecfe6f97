# releases_hist.gp: distribution of total releases over the evaluation
# replications, with the mean, its 95% confidence interval and the 5th/95th
# percentiles.  Data: releases_hist.csv (releases, share of replications).
load 'theme.gp'
chart_title = @TITLE@
nreps = @NREPS@
mean = @MEAN@; lo = @LO@; hi = @HI@; p05 = @P05@; p95 = @P95@
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'releases_hist.'.fmt
    set title sprintf("How many people the fund frees: total releases in each of %d simulated futures\n", nreps) \
              .chart_title noenhanced
    set xlabel 'total releases in one simulated future (people)'
    set ylabel 'share of simulated futures'
    set yrange [0:*]
    # below the plot area, in one row: it covers neither the bars nor the mean line
    set key outside below center horizontal maxcols 3 height 1
    set style fill solid 0.55 border -1
    set boxwidth @BOXWIDTH@ absolute
    if (lo == lo) {  # lo is NaN when the CI is undefined (1 replication)
        set object 1 rect from lo, graph 0 to hi, graph 1 front fc rgb '#d1495b' fs transparent solid 0.25 noborder
    }
    # in front of the bars: the mean and percentiles stay visible where bars are tall
    set arrow 1 from mean, graph 0 to mean, graph 1 nohead front lw 2.5 lc rgb '#d1495b'
    set arrow 2 from p05, graph 0 to p05, graph 1 nohead front dt 2 lw 1.5 lc rgb '#4d4d4d'
    set arrow 3 from p95, graph 0 to p95, graph 1 nohead front dt 2 lw 1.5 lc rgb '#4d4d4d'
    plot 'releases_hist.csv' skip 1 using 1:2 with boxes lt 1 title 'share of futures', \
         NaN with lines lt 2 lw 2.5 title (lo == lo ? sprintf('mean %.1f, 95%% CI [%.1f, %.1f]', mean, lo, hi) \
                                                    : sprintf('mean %.1f (95%% CI n/a: 1 replication)', mean)), \
         NaN with lines dt 2 lc rgb '#4d4d4d' title sprintf('5th-95th percentile: %g to %g', p05, p95)
    set output
}
