# allocations.gp: the optimal split of the budget next to the baselines.
# Data: allocations.csv (allocation name, USD per region, then feasible: 0
# for a baseline that breaks a share bound, marked "infeasible" under its bar).
load 'theme.gp'
chart_title = @TITLE@
n = @N@
array labels[@N@] = [@LABELS@]
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'allocations.'.fmt
    set title chart_title noenhanced
    set ylabel 'allocated to the region (thousand USD)'
    set xlabel "allocation rule: optimal (fianza's choice), equal_split (the same to every region),\nproportional (to expected fundable cases), expected_value (best for the average future)"
    set yrange [0:*]
    set xtics noenhanced  # allocation names hold underscores
    set bmargin 6         # room for an infeasible baseline's second line and the two-line x label
    set style data histograms
    set style histogram clustered gap 1
    set style fill solid 0.75 border -1
    set key top right
    plot for [c=1:n] 'allocations.csv' skip 1 \
         using (column(c + 1)/1000):xtic(strcol(1).(column(n + 2) == 0 ? "\n(infeasible)" : "")) \
         lt c title labels[c]
    set output
}
