# fit_bins.gp: a binned table's observed share of each bin (bars) with each
# fitted family's share of the same bin (points joined by lines), best fit
# by AIC first (drawn thickest).  Shares are of the observations inside the
# fitted range; the x axis lists the bins in order (the top one open).
# Data: fit_bins.csv (one row per family and bin: families in rank order,
# NB bins each; column 3 bin, 4 bin_label, 9 observed_share, 10 fitted_share).
load 'theme.gp'
chart_title = @TITLE@
n = @N@
nb = @NB@
array labels[@N@] = [@LABELS@]
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'fit_bins.'.fmt
    set title chart_title noenhanced
    set xlabel @XLABEL@ noenhanced
    set ylabel 'share of observations in the bin' noenhanced
    set yrange [0:*]
    set xrange [0.3:nb + 0.7]
    set xtics rotate by -30 noenhanced
    set key top right noenhanced
    set style fill solid 0.35 border lc rgb '#8d96a3'
    set boxwidth 0.8 absolute
    plot 'fit_bins.csv' skip 1 every ::0::(nb - 1) using 3:9:xtic(4) with boxes lc rgb '#8d96a3' title 'observed', \
         for [i=1:n] 'fit_bins.csv' skip 1 every ::((i - 1) * nb)::(i * nb - 1) using 3:10 with linespoints lt i lw (i == 1 ? 3 : 2) title labels[i]
    set output
}
