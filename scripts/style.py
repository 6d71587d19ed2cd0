"""style.py - one colour per model, the same in every plot (issue 12).

Every plot script takes a model's colour from here, so that pthread is the
same blue in the speedup plot, the memory plot and the servers' plots. A
model that is not listed gets a grey, never a colour another model owns.
"""

# Colour-blind-safe hues (Okabe-Ito first, then Tableau), C models and their
# Python counterparts in related shades.
PALETTE = {
    "serial": "#000000",
    "pthread": "#0072B2",
    "fork": "#D55E00",
    "openmp": "#009E73",
    "eventloop": "#CC79A7",
    "coroutine": "#E69F00",
    "mpi": "#56B4E9",
    "mpi-openmp": "#117733",
    "qsort": "#7F7F7F",
    "gnu-parallel": "#BCBD22",
    "py-serial": "#555555",
    "py-threads": "#6CA6D9",
    "py-processes": "#F0A070",
    "py-asyncio": "#E6B0D4",
    "py-gevent": "#F5CC66",
    "py-celery": "#8C564B",
    # servers (issue 17): the server models share the client models' hues
    "iterative": "#000000",
    "prefork": "#AA3377",
    "pool": "#332288",
    "nginx": "#999933",
}
OTHER = "#AAAAAA"


def colour(model):
    """The model's colour as #RRGGBB (gnuplot: lc rgb '<colour>')."""
    return PALETTE.get(model, OTHER)
