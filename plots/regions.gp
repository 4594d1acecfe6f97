# regions.gp: the regions side by side, each figure with its 95% confidence
# interval: black capped bars (vectors: gnuplot 5.4's yerrorbars paint a white
# disc on each mean, the "invisible white dots" of issue 14), and the numbers
# above each bar (a narrow interval is shorter than a bar's outline).
# Data: regions.csv (region id, then mean, low, high for releases per USD
# 10,000 allocated, cost per release, fundable cases, days in detention, then
# the label; an empty cell, undefined, draws no bar: docs/csv.md).  The tick
# labels come from the array below, not from the file: gnuplot cannot read a
# CSV field with a doubled quote back.
load 'theme.gp'
set datafile commentschars ''  # no line of regions.csv is a comment
chart_title = @TITLE@
array labels[@N@] = [@LABELS@]
# a cell as a number (NaN when empty: no bar, no error bar), and the text
# "mean [low, high]" above each bar ("mean" alone when the CI is undefined,
# "n/a" on the axis when the mean is: an unfunded region has no cost per release)
num(c) = strcol(c) eq '' ? NaN : strcol(c) + 0
# decimals from the mean: 0 from 100 up, 1 from 10, else 2 (0.79 [0.78, 0.80])
dec(x) = sprintf('%%.%df', abs(x) >= 100 ? 0 : abs(x) >= 10 ? 1 : 2)
ci(m) = strcol(m) eq '' ? 'n/a' : strcol(m + 1) eq '' ? sprintf(dec(num(m)), num(m)) \
        : sprintf(dec(num(m)).' ['.dec(num(m)).', '.dec(num(m)).']', num(m), num(m + 1), num(m + 2))
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'regions.'.fmt
    set multiplot layout 2,2 title "How the regions compare: means with 95% confidence intervals\n".chart_title noenhanced
    set style fill solid 0.6 border -1
    set boxwidth 0.6
    set yrange [0:*]
    set offsets 0, 0, graph 0.45, 0  # headroom for the numbers and, above them, the key
    set xrange [-0.6:@N@ - 0.4]
    set key top right samplen 2
    array heads[4] = ['releases per USD 10,000 allocated', 'cost per release (USD spent per person freed)', \
                      'fundable cases (bond granted, nobody else pays)', 'days from arrival to release']
    array units[4] = ['releases', 'USD', 'cases (mean per future)', 'days']
    do for [p=0:3] {
        set title heads[p + 1] noenhanced
        set ylabel units[p + 1] noenhanced
        m = 2 + 3*p
        plot 'regions.csv' skip 1 using 0:(num(m)):xtic(labels[int($0) + 1]) with boxes lt 1 notitle, \
             '' skip 1 using 0:(num(m + 1)):(0):(num(m + 2) - num(m + 1)) \
                 with vectors heads size screen 0.012,90 lc rgb '#1a1a1a' lw 2 title '95% CI', \
             '' skip 1 using 0:(strcol(m) eq '' ? 0 : num(m)):(ci(m)) with labels offset 0, 1.1 tc rgb '#1a1a1a' notitle
    }
    unset multiplot
    set output
}
