# theme.gp: the look shared by every fianza chart.  Edit it, then re-run
# `gnuplot CHART.gp` in the results directory to restyle every chart.
# Every text is shown as written (noenhanced): region labels, allocation and
# column names hold '_' and '^', which enhanced text would make sub- and
# superscripts (equal_split drawn as "equal" with a subscript "split").
PNG = "pngcairo size 1000,620 noenhanced font 'DejaVu Sans,11' background rgb 'white'"
SVG = "svg size 1000,620 dynamic noenhanced font 'DejaVu Sans,11' background rgb 'white'"
set datafile separator ','
set border 3 lw 1 lc rgb '#4d4d4d'
set tics nomirror out
set grid ytics lc rgb '#e3e3e3' lw 1
set key noenhanced top left
set linetype 1 lc rgb '#1b6ca8' lw 2 pt 7 ps 1.3
set linetype 2 lc rgb '#d1495b' lw 2 pt 5 ps 1.3
set linetype 3 lc rgb '#edae49' lw 2 pt 9 ps 1.3
set linetype 4 lc rgb '#00798c' lw 2 pt 11 ps 1.3
set linetype 5 lc rgb '#66a182' lw 2 pt 13 ps 1.3
set linetype 6 lc rgb '#8d96a3' lw 2 pt 15 ps 1.3
set linetype cycle 6
