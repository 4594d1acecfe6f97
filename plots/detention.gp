# detention.gp: distribution (CDF) of days from arrival to release for the
# people the fund frees, by region.  Data: detention.csv (region, days, cdf).
load 'theme.gp'
chart_title = @TITLE@
n = @N@
array names[@N@] = [@NAMES@]
array labels[@N@] = [@LABELS@]
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'detention.'.fmt
    set title "How long people wait: share of the fund's releases out within a given number of days\n".chart_title noenhanced
    set xlabel 'days in detention (arrival to release)'
    set ylabel 'share of releases out by then (cumulative)'
    set yrange [0:1]
    set key bottom right
    # an empty cdf (nobody released in that region) draws nothing; the point
    # (0, 0) keeps the axes defined when no region released anyone
    plot for [i=1:n] 'detention.csv' skip 1 using 2:(strcol(1) eq names[i] ? $3 : NaN) with steps lt i title labels[i], \
         '+' using (0):(0) with points pt -1 notitle
    set output
}
