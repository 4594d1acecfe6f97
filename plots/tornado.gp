# tornado.gp: how much the optimal value moves when each parameter is moved
# down and up by the same percentage, largest effect on top.
# Data: tornado.csv (parameter, base, low, high, value_low, value_high,
# base_value, low_valid, high_valid), sorted by the width of the effect.  A
# move to an invalid value has an empty value cell (no bar) and 0 in its
# valid column; its tick label says so.
load 'theme.gp'
chart_title = @TITLE@
base = @BASE@
n = @N@
tick(name, lv, hv) = name.(lv && hv ? '' : lv ? ' (raised: invalid)' : hv ? ' (lowered: invalid)' : ' (both moves invalid)')
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'tornado.'.fmt
    set title "What moves the answer most: the optimum when each parameter is lowered or raised\n".chart_title noenhanced
    set xlabel @XLABEL@ noenhanced
    set ytics noenhanced
    set yrange [-0.7:n - 0.3]
    set grid xtics ytics
    set key bottom right
    set style fill solid 0.7 border -1
    set ylabel 'parameter (region.key)'
    unset arrow
    set arrow 1 from first base, graph 0 to first base, graph 1 nohead front dt 2 lw 1.5 lc rgb '#4d4d4d'
    plot 'tornado.csv' skip 1 using (base):(n - 1 - $0):ytic(tick(strcol(1), int($8), int($9))) with points ps 0 notitle, \
         '' skip 1 using (($5 + base)/2):(n - 1 - $0):(abs($5 - base)/2):(0.35) \
             with boxxyerror lt 2 title 'parameter lowered', \
         '' skip 1 using (($6 + base)/2):(n - 1 - $0):(abs($6 - base)/2):(0.35) with boxxyerror lt 1 title 'parameter raised', \
         NaN with lines dt 2 lw 1.5 lc rgb '#4d4d4d' title sprintf('as given: %.4g', base)
    set output
}
