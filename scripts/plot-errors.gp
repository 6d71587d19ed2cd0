# plot-errors.gp - the fraction of flags that failed under the ERROR server,
# per model, with its 95 % interval, against the configured error rate.
# data columns: position, model, fraction, low, high, colour (0xRRGGBB), count text.
load 'scripts/plot-common.gp'
set ylabel "failed flags / all flags (bars: 95 % Clopper-Pearson interval)"
set xtics rotate by -30 left
set style fill solid 0.5 border -1
set boxwidth 0.6
set key below
set yrange [0:1]
set xrange [-0.6:last + 0.6]
plot data using 1:3:6 with boxes lc rgb variable notitle, \
     '' using 1:3:4:5 with yerrorbars lc rgb "black" pt 0 notitle, \
     '' using 1:5:7 with labels offset 0,0.8 font ",9" notitle, \
     '' using 1:(NaN):xtic(2) notitle, \
     rate with lines dt 2 lc rgb "#888888" lw 1.5 title sprintf("configured error rate (%g)", rate)
set terminal svg size 960,600 font "sans,11" noenhanced
set output out.'.svg'
replot
