# plot-common.gp - loaded by every plot-*.gp: one look for all the plots.
# The caller sets: data (file), out (path without extension), heading (title).
set terminal pngcairo size 960,600 font "sans,11" noenhanced
set output out.'.png'
set title heading
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror
set key below noenhanced
set datafile separator "\t"
# Models keep their colour in every plot; Python rows (py-*) are dashed.
dash(i) = strstrt(word(models, i), "py-") == 1 ? 4 : 1
set linetype 1 lc rgb "#444444" lw 2 pt 7
set linetype 2 lc rgb "#1f77b4" lw 2 pt 5
set linetype 3 lc rgb "#d62728" lw 2 pt 9
set linetype 4 lc rgb "#2ca02c" lw 2 pt 11
set linetype 5 lc rgb "#9467bd" lw 2 pt 13
set linetype 6 lc rgb "#ff7f0e" lw 2 pt 4
set linetype 7 lc rgb "#8c564b" lw 2 pt 6
set linetype 8 lc rgb "#e377c2" lw 2 pt 8
set linetype 9 lc rgb "#17becf" lw 2 pt 10
set linetype 10 lc rgb "#bcbd22" lw 2 pt 12
