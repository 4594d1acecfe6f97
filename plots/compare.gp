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
            unset xzeroaxis
        }
        c = cols[p]
        plot 'compare.csv' skip 1 using ($1 - 1):(tot(column(c))) with boxes lt (p == 2 ? 3 : 1), \
             '' skip 1 using ($1 - 1):(tot(column(c))):(tot(column(c + 1))):(tot(column(c + 2))) \
                with yerrorbars lc rgb '#222222' pt 7 ps 0.5 lw 2
    }
    unset multiplot
    set output
}
