# compare.gp: variants evaluated on the same replications.  Left: mean total
# releases with 95% CIs; right: paired difference to the first variant.
# Data: compare.csv (variant, mean, lo, hi, diff, diff_lo, diff_hi).
load 'theme.gp'
chart_title = @TITLE@
# identical variants have all differences 0: give that panel a visible range
stats 'compare.csv' skip 1 using 5 nooutput
dlo = STATS_min == STATS_max ? STATS_min - 1 : NaN
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'compare.'.fmt
    set multiplot layout 1,2 title chart_title noenhanced
    set style fill solid 0.6 border -1
    set boxwidth 0.6
    set xrange [-0.6:@N@ - 0.4]
    set xtics rotate by -20 noenhanced
    set key off
    set title 'mean total releases (95% CI)'
    set yrange [0:*]
    plot 'compare.csv' skip 1 using 0:2:xtic(1) with boxes lt 1, \
         '' skip 1 using 0:2:3:4 with yerrorbars lt 2 pt -1 lw 2
    set title 'difference to the first variant (paired, 95% CI)'
    if (dlo == dlo) { set yrange [dlo:dlo + 2] } else { set yrange [*:*] }
    set xzeroaxis lt -1
    plot 'compare.csv' skip 1 using 0:5:xtic(1) with boxes lt 3, \
         '' skip 1 using 0:5:6:7 with yerrorbars lt 2 pt -1 lw 2
    unset multiplot
    set output
}
