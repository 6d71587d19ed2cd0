# plot-clusters.gp - grouped bars: one group per model, one bar per column.
# data: a header line of column names, then model, values... (errorbars=1:
# each value is followed by its min and max). The caller sets columns (how
# many bar columns), ylabel_text, logy, stacked (1: stack the bars).
load 'scripts/plot-common.gp'
set ylabel ylabel_text
set style fill solid 0.75 border -1
set style data histograms
set xtics rotate by -30 left
set yrange [0:*]
if (logy) { set logscale y; set yrange [*:*]; set format y "%g" }
if (stacked) {
    set style histogram rowstacked
    set boxwidth 0.6
    stack_colours = "#2ca02c #1f77b4 #d62728"
    plot for [i=2:columns+1] data using i:xtic(1) title columnheader(i) lc rgb word(stack_colours, i - 1)
} else { if (errorbars) {
    set style histogram errorbars gap 1 lw 1
    plot for [i=0:columns-1] data using 2+3*i:3+3*i:4+3*i:xtic(1) title columnheader(2+3*i)
} else {
    set style histogram clustered gap 1
    plot for [i=2:columns+1] data using i:xtic(1) title columnheader(i)
} }
set terminal svg size 960,600 font "sans,11" noenhanced
set output out.'.svg'
replot
