# plot-costs.gp - one family of costs: a horizontal bar per figure on a log
# scale, its 95 % interval as an error bar, coloured by model (scripts/style.py).
# data: label, median, low, high, colour (0xRRGGBB), tab-separated; the caller
# sets xmin (the left edge of the log axis, below every low end).
load 'scripts/plot-common.gp'
set xlabel ylabel_text
set logscale x
set format x "%g"
set xrange [xmin:*]
set grid xtics lc rgb "#dddddd"
set yrange [-0.7:*] reverse
set ytics font ",9"
set lmargin 52
set style fill solid 0.8 border -1
unset key
plot data using (xmin):0:(xmin):2:($0 - 0.32):($0 + 0.32):5:ytic(1) with boxxyerror lc rgb variable, \
     data using 2:0:3:4 with xerrorbars lc rgb "#333333" pt 7 ps 0.4
set terminal svg size 960,600 font "sans,11" noenhanced
set output out.'.svg'
replot
