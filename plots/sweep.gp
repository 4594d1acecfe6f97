# sweep.gp: the optimal value along a budget or parameter range, evaluated
# out of sample with a 95% band (common random numbers at every point); for
# budget sweeps, the marginal value of money on the right axis.
# Data: sweep.csv (x, ..., value, lo, hi, ..., marginal_per_1000).
load 'theme.gp'
chart_title = @TITLE@
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'sweep.'.fmt
    set title chart_title noenhanced
    set xlabel @XLABEL@ noenhanced
    set ylabel @YLABEL@ noenhanced
    set key top left
    if (@MARGINAL@) {
        set y2label 'marginal value per extra USD 1,000' noenhanced
        set y2tics nomirror
        set ytics nomirror
    }
    plot 'sweep.csv' skip 1 using ($1/@XSCALE@):(column(@VCOL@ + 1)):(column(@VCOL@ + 2)) with filledcurves \
             fc rgb '#1b6ca8' fs transparent solid 0.2 noborder title '95% confidence band', \
         '' skip 1 using ($1/@XSCALE@):(column(@VCOL@)) with linespoints lt 1 title 'optimal value (out of sample)', \
         @MARGINAL_PLOT@
    set output
}
