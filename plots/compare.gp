# compare.gp: variants evaluated on the same replications, side by side
# (their totals over every region): mean releases, the paired difference to
# the first variant, cost per release and days in detention, each with its
# 95% CI.  Data: compare.csv (docs/csv.md), one row per variant and region
# with the total last; the chart reads the total rows (every ROWS-th row).
# Tick labels are the variant names, from the array below, shown as typed.
load 'theme.gp'
set datafile commentschars ''  # no line of compare.csv is a comment
chart_title = @TITLE@
rows = @ROWS@
array names[@N@] = [@NAMES@]
tot(x) = (int(column(0)) % rows == rows - 1) ? x : NaN  # only the variant's total row
# as regions.gp: "mean [low, high]" above each bar (a narrow interval is
# shorter than a bar's outline), the CI as a black capped bar (vectors:
# gnuplot 5.4's yerrorbars paint a white disc on each mean)
num(c) = strcol(c) eq '' ? NaN : strcol(c) + 0
dec(x) = sprintf('%%.%df', abs(x) >= 100 ? 0 : abs(x) >= 10 ? 1 : 2)
ci(m) = strcol(m) eq '' ? 'n/a' : strcol(m + 1) eq '' ? sprintf(dec(num(m)), num(m)) \
        : sprintf(dec(num(m)).' ['.dec(num(m)).', '.dec(num(m)).']', num(m), num(m + 1), num(m + 2))
# identical variants have all differences 0: give that panel a visible range
stats 'compare.csv' skip 1 using (tot($11)) nooutput
dlo = STATS_min == STATS_max ? STATS_min - 1 : NaN
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set termoption noenhanced  # variant names hold underscores: shown as typed, not as subscripts
    set output 'compare.'.fmt
    set multiplot layout 2,2 title chart_title noenhanced
    set style fill solid 0.6 border -1
    set boxwidth 0.6
    set xrange [-0.6:@N@ - 0.4]
    set xtics () rotate by 25 right noenhanced  # long names run down-left, inside the chart
    do for [i=1:@N@] { set xtics add (names[i] i - 1) }
    set key off
    array heads[4] = ['mean total releases (95% CI)', 'releases minus the first variant (paired 95% CI)', \
                      'cost per release, USD (95% CI)', 'days in detention per release (95% CI)']
    array ylabels[4] = ['releases', 'difference in releases', 'USD per release', 'days']
    array cols[4] = [8, 11, 17, 23]
    do for [p=1:4] {
        set title heads[p] noenhanced
        set ylabel ylabels[p] noenhanced
        if (p == 2) {
            if (dlo == dlo) { set yrange [dlo:dlo + 2] } else { set yrange [*:*] }
            set xzeroaxis lt -1
        } else {
            set yrange [0:*]
            set offsets 0, 0, graph 0.2, 0  # headroom for the numbers above the bars
            unset xzeroaxis
        }
        c = cols[p]
        plot 'compare.csv' skip 1 using ($1 - 1):(tot(column(c))) with boxes lt (p == 2 ? 3 : 1), \
             '' skip 1 using ($1 - 1):(tot(num(c + 1))):(0):(tot(num(c + 2)) - tot(num(c + 1))) \
                with vectors heads size screen 0.012,90 lc rgb '#1a1a1a' lw 2, \
             '' skip 1 using ($1 - 1):(tot(strcol(c) eq '' ? 0 : num(c))):(ci(c)) with labels offset 0, 1.1 tc rgb '#1a1a1a'
    }
    unset multiplot
    set output
}
