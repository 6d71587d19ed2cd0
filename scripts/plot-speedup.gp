# plot-speedup.gp - speedup against workers, points where measured (lines join
# neighbouring worker counts only), log x; the ideal line (no better than the
# number of cores) and the Amdahl curve for the serial fraction measured with
# Karp-Flatt. The caller sets models (words), colours (#RRGGBB words), count,
# cores, maxworkers, fraction (serial fraction) and fitted (its model).
load 'scripts/plot-common.gp'
set xlabel "workers (-j), log scale"
set ylabel "speedup against serial (median times; bars: 95 % interval)"
set logscale x 2
set xrange [0.8:maxworkers * 1.4]
set format x "%g"
set yrange [0:*]
ideal(p) = p < cores ? p : cores
amdahl(p) = 1 / (fraction + (1 - fraction) / ideal(p))
set samples 400
plot ideal(x) with lines dt 2 lc rgb "#888888" lw 1.5 title sprintf("ideal (%d cores)", cores), \
     (fraction >= 0 ? amdahl(x) : NaN) with lines dt 3 lc rgb "#000000" lw 1.5 \
         title sprintf("Amdahl, serial fraction %.3f (Karp-Flatt, %s)", fraction, fitted), \
     for [i=1:count] data index (i-1) using 1:2 with lines lc rgb word(colours, i) lw 2 dt dash(i) notitle, \
     for [i=1:count] data index (i-1) using 1:2:3:4 with yerrorbars lc rgb word(colours, i) pt 7 ps 0.8 title word(models, i)
set terminal svg size 960,600 font "sans,11" noenhanced
set output out.'.svg'
replot
