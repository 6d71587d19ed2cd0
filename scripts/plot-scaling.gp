# plot-scaling.gp - a quantity against number of tasks (or requests in
# flight), log-log, one line per model in its own colour. The caller sets
# models, colours, count, xlabel_text, ylabel_text and ideal (a horizontal
# line at that value, such as one sleep duration; <= 0: none); idealdata
# (a file of x, y points, such as ceil(N/c) x delay; "" for none) and
# idealtitle.
load 'scripts/plot-common.gp'
set xlabel xlabel_text
set ylabel ylabel_text
set logscale xy
set format x "%g"
set format y "%g"
if (!exists("idealdata")) idealdata = ""
if (!exists("idealtitle")) idealtitle = "ideal"
if (ideal > 0) {
    plot ideal with lines dt 2 lc rgb "#888888" lw 1.5 title sprintf("ideal: one duration (%g s)", ideal), \
         for [i=1:count] data index (i-1) using 1:2 with linespoints lc rgb word(colours, i) lw 2 pt 7 dt dash(i) title word(models, i)
} else { if (strlen(idealdata) > 0) {
    plot idealdata using 1:2 with linespoints dt 2 lc rgb "#888888" lw 1.5 pt 1 title idealtitle, \
         for [i=1:count] data index (i-1) using 1:2 with linespoints lc rgb word(colours, i) lw 2 pt 7 dt dash(i) title word(models, i)
} else {
    plot for [i=1:count] data index (i-1) using 1:2 with linespoints lc rgb word(colours, i) lw 2 pt 7 dt dash(i) title word(models, i)
} }
set terminal svg size 960,600 font "sans,11" noenhanced
set output out.'.svg'
replot
