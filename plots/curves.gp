# curves.gp: each region's mean release curve R_c(x) on the allocation grid
# (optimize stream), with the chosen allocation marked.
# Data: curves.csv (region, allocation_usd, releases_mean, ...), chosen.csv.
load 'theme.gp'
chart_title = @TITLE@
n = @N@
array names[@N@] = [@NAMES@]
array labels[@N@] = [@LABELS@]
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'curves.'.fmt
    set title chart_title noenhanced
    set xlabel 'money allocated to the region (thousand USD)'
    set ylabel @YLABEL@ noenhanced
    set yrange [0:*]
    set key top left
    plot for [i=1:n] 'curves.csv' skip 1 using ($2/1000):(strcol(1) eq names[i] ? column(@YCOL@) : NaN) \
             with lines lt i title labels[i], \
         for [i=1:n] 'chosen.csv' skip 1 using ($2/1000):(strcol(1) eq names[i] ? $3 : NaN) \
             with points lt i pt 7 ps 2 title sprintf('%s: chosen', labels[i])
    set output
}
