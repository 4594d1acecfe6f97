# fit_hist.gp: the data as a density histogram with the fitted (truncated)
# densities overlaid, best fit by AIC first.
# Data: fit_hist.csv (bin centre, density), fit_density.csv (x, one density
# column per fitted family, in rank order).
load 'theme.gp'
chart_title = @TITLE@
n = @N@
array labels[@N@] = [@LABELS@]
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'fit_hist.'.fmt
    set title "Which distribution fits: the data's histogram and each fitted density (best by AIC first)\n".chart_title noenhanced
    set xlabel @XLABEL@ noenhanced
    set ylabel 'density (share of the values per unit on the x axis)'
    set format y '%g'  # 5e-05, not 5x10^-5: the theme's text is plain
    set yrange [0:*]
    set key top right
    set style fill solid 0.35 border lc rgb '#8d96a3'
    set boxwidth @BOXWIDTH@ absolute
    plot 'fit_hist.csv' skip 1 using 1:2 with boxes lc rgb '#8d96a3' title 'data', \
         for [i=1:n] 'fit_density.csv' skip 1 using 1:(column(i+1)) with lines lt i lw (i == 1 ? 3 : 2) title labels[i]
    set output
}
