# plot-time.gp - wall time per model at one size: a box from the first to the
# third quartile, the median as a thick line across it (the model's colour), whiskers min..max (a row
# with fewer than 10 runs: just its median and min..max).
# data columns: position, label, median, min, max, colour (0xRRGGBB), q1, q3;
# the caller sets logy=1 for a log scale.
load 'scripts/plot-common.gp'
set ylabel "wall time, s (box: quartiles, line: median, whiskers: min..max)"
set xtics rotate by -30 left
set style fill solid 0.5 border -1
set boxwidth 0.6
set key off
set yrange [0:*]
if (logy) { set logscale y; set yrange [*:*]; set format y "%g" }
set xrange [-0.6:last + 0.6]
plot data using 1:7:4:5:8:6 with candlesticks lc rgb variable whiskerbars 0.5, \
     '' using 1:3:3:3:3:6 with candlesticks lc rgb variable lw 4 notitle, \
     '' using 1:5:(sprintf("%.3g", $3)) with labels offset 0,0.8 font ",9", \
     '' using 1:(NaN):xtic(2) notitle
set terminal svg size 960,600 font "sans,11" noenhanced
set output out.'.svg'
replot
