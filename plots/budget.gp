# budget.gp: `fianza budget` (DESIGN §8): P(releases >= N) of the best split
# at every budget tried, in sample (stream "optimize", the P the search
# used; line and Wilson 95% band) and out of sample (stream "evaluate",
# points with Wilson 95% bars); the probability asked for as a dashed
# horizontal line, and the answer (the smallest budget that reaches it in
# sample) as a vertical line.
# Data: budget.csv (budget_usd, REGION_usd..., p_in_sample, lo, hi,
# p_out_of_sample, lo, hi, answer).
load 'theme.gp'
chart_title = @TITLE@
answer = @ANSWER@
do for [fmt in "png svg"] {
    eval('set terminal '.(fmt eq 'png' ? PNG : SVG))
    set output 'budget.'.fmt
    set title "How much money is needed: the chance of reaching the target at each budget tried (markers)\n".chart_title noenhanced
    set xlabel 'budget (thousand USD)'
    set ylabel 'probability of reaching the target: P(releases >= target)'
    set yrange [0:1.05]
    set xrange [0:*]
    set key bottom right
    unset arrow
    unset label
    set arrow 1 from graph 0, first @PROB@ to graph 1, first @PROB@ nohead lc rgb '#4d4d4d' dt 2
    if (answer == answer) {  # NaN when not reachable: no mark
        set arrow 2 from first answer, graph 0 to first answer, graph 1 nohead lc rgb '#00798c' lw 2
    }
    set label 1 @LABEL@ at graph 0.02, graph 0.95 noenhanced
    plot 'budget.csv' skip 1 using ($1/1000):(column(@PCOL@ + 1)):(column(@PCOL@ + 2)) with filledcurves \
             fc rgb '#1b6ca8' fs transparent solid 0.2 noborder title 'in sample: Wilson 95% band', \
         '' skip 1 using ($1/1000):(column(@PCOL@)) with linespoints lt 1 title 'in sample (optimize stream)', \
         '' skip 1 using ($1/1000):(column(@PCOL@ + 3)):(column(@PCOL@ + 4)):(column(@PCOL@ + 5)) \
             with yerrorbars lt 2 title 'out of sample (evaluate stream), 95% interval', \
         NaN with lines lc rgb '#4d4d4d' dt 2 title sprintf('probability asked for: %g', @PROB@)
    set output
}
