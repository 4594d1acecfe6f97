# tornado.gp: how much the optimal value moves when each parameter is moved
# down and up by the same percentage, largest effect on top.
# Data: tornado.csv (parameter, base, low, high, value_low, value_high, base_value),
# sorted by the width of the effect.
load 'theme.gp'
chart_title = @TITLE@
base = @BASE@
n = @N@
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'tornado.'.fmt
    set title chart_title noenhanced
    set xlabel @XLABEL@ noenhanced
    set ytics noenhanced
    set yrange [-0.7:n - 0.3]
    set grid xtics ytics
    set key bottom right
    set style fill solid 0.7 border -1
    plot 'tornado.csv' skip 1 using (($5 + base)/2):(n - 1 - $0):(abs($5 - base)/2):(0.35):ytic(1) \
             with boxxyerror lt 2 title 'parameter lowered', \
         '' skip 1 using (($6 + base)/2):(n - 1 - $0):(abs($6 - base)/2):(0.35) with boxxyerror lt 1 title 'parameter raised'
    set output
}
