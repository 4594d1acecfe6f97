# regions.gp: the regions side by side, each figure with its 95% confidence
# interval.  Data: regions.csv (region id, then mean, low, high for releases
# per USD 10,000 allocated, cost per release, fundable cases, days in detention,
# then the label; an empty cell, undefined, draws no bar: docs/csv.md).  The
# tick labels come from the array below, not from the file: gnuplot cannot
# read a CSV field with a doubled quote back.
load 'theme.gp'
set datafile commentschars ''  # no line of regions.csv is a comment
chart_title = @TITLE@
array labels[@N@] = [@LABELS@]
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set termoption noenhanced  # tick labels are region labels: any text, shown as is
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
        plot 'regions.csv' skip 1 using 0:(column(2 + 3*p)):xtic(labels[int($0) + 1]) with boxes lt 1, \
             '' skip 1 using 0:(column(2 + 3*p)):(column(3 + 3*p)):(column(4 + 3*p)) with yerrorbars lt 2 pt -1 lw 2
    }
    unset multiplot
    set output
}
