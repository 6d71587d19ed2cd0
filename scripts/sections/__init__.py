"""sections - report sections that live in modules of their own.

A module scripts/sections/<name>.py that defines

    ORDER = 50                       # where it goes: lower first
    def lines(results, report_dir):  # -> list of Markdown lines, [] if no data
    def plots(results, plots_dir):   # optional: draws its PNG + SVG plots

is picked up by report.py (after the workload sections) and by plots.py,
with no change to either. `results` is scripts/results.py's Results.
"""
import importlib
import os
import pkgutil


def modules():
    here = os.path.dirname(os.path.abspath(__file__))
    found = [importlib.import_module(f"sections.{info.name}")
             for info in pkgutil.iter_modules([here]) if not info.name.startswith("_")]
    return sorted(found, key=lambda module: (getattr(module, "ORDER", 50), module.__name__))
