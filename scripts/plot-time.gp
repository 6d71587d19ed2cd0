# plot-time.gp - median wall time per model, with min..max bars.
# data columns: position, label, median, min, max, colour; set logscale by the caller (logy=1).
load 'scripts/plot-common.gp'
set ylabel "wall time, s (median; bars: min..max)"
set xtics rotate by -30 left
set style fill solid 0.75 border -1
set boxwidth 0.7
set key off
set yrange [0:*]
if (logy) { set logscale y; set yrange [*:*]; set format y "%g" }
set xrange [-0.6:*]
plot data using 1:3:6 with boxes lc variable, \
     '' using 1:3:4:5 with yerrorbars lc rgb "black" pt 0, \
     '' using 1:3:(sprintf("%.3g", $3)) with labels offset 0,0.8 font ",9", \
     '' using 1:(NaN):xtic(2) notitle
set terminal svg size 960,600 font "sans,11" noenhanced
set output out.'.svg'
replot
