# regions.gp: the regions side by side, each figure with its 95% confidence
# interval.  Data: regions.csv (label, then mean, low, high for releases per
# USD 10,000 allocated, cost per release, fundable cases, days to release).
load 'theme.gp'
set datafile commentschars ''  # labels are data: a label may start with '#'
chart_title = @TITLE@
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set termoption noenhanced  # tick labels come from regions.csv: any text, shown as is
    set output 'regions.'.fmt
    set multiplot layout 2,2 title chart_title noenhanced
    set style fill solid 0.6 border -1
    set boxwidth 0.6
    set yrange [0:*]
    set xrange [-0.6:@N@ - 0.4]
    set key off
    array heads[4] = ['releases per USD 10,000 allocated', 'cost per release (USD)', \
                      'fundable cases per replication', 'days from arrival to release']
    do for [p=0:3] {
        set title heads[p + 1] noenhanced
        plot 'regions.csv' skip 1 using 0:(column(2 + 3*p)):xtic(1) with boxes lt 1, \
             '' skip 1 using 0:(column(2 + 3*p)):(column(3 + 3*p)):(column(4 + 3*p)) with yerrorbars lt 2 pt -1 lw 2
    }
    unset multiplot
    set output
}
