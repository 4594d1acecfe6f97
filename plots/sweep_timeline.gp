# sweep_timeline.gp: the fund over time (DESIGN §7) at a few points of a
# sweep: the mean cumulative releases and the mean money the fund holds
# (every region's account plus the reserve), one line per point, for the
# optimal allocation at that point.  Data: timeline.csv (the swept value,
# day, releases_cum_mean, ..., balance_usd_mean, ...); the points drawn are
# listed below as they are written in its first column.
load 'theme.gp'
set encoding utf8
set datafile commentschars ''  # no line of timeline.csv is a comment
chart_title = @TITLE@
array xs[@K@] = [@XS@]
array shown[@K@] = [@SHOWN@]
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'sweep_timeline.'.fmt
    set multiplot layout 2,1 title chart_title.sprintf("\n%d points of the sweep, one line each (dashed differently: equal lines overlap)", @K@) noenhanced
    set xlabel 'days since the start of the horizon'
    set xrange [0:*]
    set autoscale xfixmax
    set yrange [0:*]
    set key outside right center vertical reverse Left noenhanced
    set title 'How soon: mean cumulative releases' noenhanced
    set ylabel 'people released so far'
    plot for [i=1:@K@] 'timeline.csv' skip 1 using 2:(strcol(1) eq xs[i] ? column(3) : NaN) \
         with lines lt i dt i title shown[i]
    set title 'When does the money run out — and come back (mean)' noenhanced
    set ylabel 'money in the fund (thousand USD)'
    plot for [i=1:@K@] 'timeline.csv' skip 1 using 2:(strcol(1) eq xs[i] ? column(7)/1000 : NaN) \
         with lines lt i dt i title shown[i]
    unset multiplot
    set output
}
