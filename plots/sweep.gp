# sweep.gp: the optimal value along a budget or parameter range, evaluated
# out of sample with a 95% band (common random numbers at every point); for
# budget sweeps, the marginal value of money on the right axis.  With a
# target (target_releases > 0), a second panel below: P(releases >= target)
# of each point's optimal split, out of sample, with its Wilson 95% band.
# Data: sweep.csv (x, ..., value, lo, hi, ..., marginal_per_1000, ...,
# p_target, p_target_ci95_lo, p_target_ci95_hi, ...).
load 'theme.gp'
chart_title = @TITLE@
# the objective's name as an axis label with its unit
unit_label(o) = o eq 'releases' ? 'releases (people, mean over the horizon)' \
              : o eq 'freedom_days' ? 'days of freedom (person-days, mean)' \
              : o eq 'cvar' ? 'CVaR of releases (people, mean of the worst futures)' \
              : o eq 'target_prob' ? 'P(releases >= target)' : o
# the points of the sweep: the lines join them straight, so the title says
# how many there are and each is marked (a knee between two points is not seen)
stats 'sweep.csv' skip 1 using 1 nooutput
npts = STATS_records
what = @MARGINAL@ ? 'budget levels' : 'values'
chart_title = chart_title.sprintf("\n%d %s computed (markers); the lines between them are straight, not computed", npts, what)
# two panels need a taller page: theme.gp's height (620) becomes 940
tall(t) = strstrt(t, ',620 ') ? t[1:strstrt(t, ',620 ')].'940 '.t[strstrt(t, ',620 ') + 5:] : t
do for [fmt in "png svg"] {
    term = fmt eq 'png' ? PNG : SVG
    eval('set terminal '.(@PTARGET@ ? tall(term) : term))
    set output 'sweep.'.fmt
    if (@PTARGET@) {
        set multiplot layout 2,1 title chart_title noenhanced
        unset title
        set lmargin 10  # the same margins in both panels: their x axes line up
        set rmargin 12
    } else {
        set title chart_title noenhanced
    }
    set xlabel @XLABEL@ noenhanced
    set ylabel unit_label(@YLABEL@) noenhanced
    set key outside below center horizontal  # under the panel: the curves can fill any corner
    set yrange [0:*]  # from 0: a change is seen at its true size
    if (@MARGINAL@) {
        set y2label 'marginal value per extra USD 1,000' noenhanced
        set y2tics nomirror
        set ytics nomirror
    }
    plot 'sweep.csv' skip 1 using ($1/@XSCALE@):(column(@VCOL@ + 1)):(column(@VCOL@ + 2)) with filledcurves \
             fc rgb '#1b6ca8' fs transparent solid 0.2 noborder title '95% confidence band', \
         '' skip 1 using ($1/@XSCALE@):(column(@VCOL@)) with linespoints lt 1 title 'optimal value (out of sample)', \
         @MARGINAL_PLOT@
    if (@PTARGET@) {
        unset y2label
        unset y2tics
        set ylabel @PLABEL@ noenhanced
        set yrange [0:1.05]
        plot 'sweep.csv' skip 1 using ($1/@XSCALE@):(column(@PCOL@ + 1)):(column(@PCOL@ + 2)) with filledcurves \
                 fc rgb '#d1495b' fs transparent solid 0.2 noborder title 'Wilson 95% interval', \
             '' skip 1 using ($1/@XSCALE@):(column(@PCOL@)) with linespoints lt 2 \
                 title 'P(releases >= target) of the optimal split (out of sample)'
        set autoscale y
        unset multiplot
    }
    set output
}
