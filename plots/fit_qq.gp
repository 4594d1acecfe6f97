# fit_qq.gp: quantile-quantile plots, one panel per fitted family in rank
# order (best by AIC first): fitted quantile against the data's; points on
# the dashed line y = x mean a good fit.
# Data: fit_qq.csv (probability, data quantile, one fitted-quantile column
# per family, in rank order).
load 'theme.gp'
chart_title = @TITLE@
n = @N@
array labels[@N@] = [@LABELS@]
rows = n <= 3 ? 1 : 2
cols = n <= 3 ? n : 3
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'fit_qq.'.fmt
    set multiplot layout rows, cols title chart_title noenhanced
    set key off
    set xlabel 'fitted quantile' noenhanced
    set ylabel @YLABEL@ noenhanced
    set xtics rotate by -30
    if (@LOG@) { set logscale xy }
    do for [i=1:n] {
        set title sprintf('%d. %s', i, labels[i]) noenhanced
        plot 'fit_qq.csv' skip 1 using (column(i+2)):2 with points lt i pt 7 ps 0.5, \
             '' skip 1 using 2:2 with lines dt 2 lw 1.5 lc rgb '#4d4d4d'
    }
    unset multiplot
    set output
}
