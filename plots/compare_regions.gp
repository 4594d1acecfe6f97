# compare_regions.gp: `compare --regions`, the regions side by side for the
# same money (the whole budget to each region in turn, common random
# numbers), each figure with its 95% CI.  Data: compare_regions.csv
# (docs/csv.md): per region USD per release (column 10), releases per USD
# 10,000 (16), days in detention per release (22), fundable cases per month
# of @MONTH@ days (28), each followed by its CI bounds; the label is last.
# Tick labels come from the array below (any text, shown as is).
load 'theme.gp'
set datafile commentschars ''  # no line of compare_regions.csv is a comment
chart_title = @TITLE@
array labels[@N@] = [@LABELS@]
# as regions.gp: a cell as a number (NaN when empty), and "mean [low, high]"
# written above each bar, because a narrow interval is shorter than a bar's
# outline; the CI itself as a black capped bar (vectors: gnuplot 5.4's
# yerrorbars paint a white disc on each mean)
num(c) = strcol(c) eq '' ? NaN : strcol(c) + 0
dec(x) = sprintf('%%.%df', abs(x) >= 100 ? 0 : abs(x) >= 10 ? 1 : 2)
ci(m) = strcol(m) eq '' ? 'n/a' : strcol(m + 1) eq '' ? sprintf(dec(num(m)), num(m)) \
        : sprintf(dec(num(m)).' ['.dec(num(m)).', '.dec(num(m)).']', num(m), num(m + 1), num(m + 2))
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set termoption noenhanced
    set output 'compare_regions.'.fmt
    set multiplot layout 2,2 title chart_title noenhanced
    set style fill solid 0.6 border -1
    set boxwidth 0.6
    set yrange [0:*]
    set offsets 0, 0, graph 0.2, 0  # headroom for the numbers above the bars
    set xrange [-0.6:@N@ - 0.4]
    set key off
    array heads[4] = ['USD per release (95% CI)', 'releases per USD 10,000 (95% CI)', \
                      'days in detention per release (95% CI)', 'fundable cases per month of @MONTH@ days (95% CI)']
    array ylabels[4] = ['USD', 'releases', 'days', 'cases']
    array cols[4] = [10, 16, 22, 28]
    do for [p=1:4] {
        set title heads[p] noenhanced
        set ylabel ylabels[p]
        c = cols[p]
        plot 'compare_regions.csv' skip 1 using 0:(num(c)):xtic(labels[int($0) + 1]) with boxes lt 1, \
             '' skip 1 using 0:(num(c + 1)):(0):(num(c + 2) - num(c + 1)) \
                 with vectors heads size screen 0.012,90 lc rgb '#1a1a1a' lw 2, \
             '' skip 1 using 0:(strcol(c) eq '' ? 0 : num(c)):(ci(c)) with labels offset 0, 1.1 tc rgb '#1a1a1a'
    }
    unset multiplot
    set output
}
