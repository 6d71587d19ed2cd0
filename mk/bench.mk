# mk/bench.mk - the benchmark's extra targets (included by the Makefile).
#
#   make bench [QUICK=1] [PIN=1]   build, check, time, plot, report (scripts/bench.sh)
#   make bench-run [QUICK=1]       the same on the variants already built
#   make compare A=dir B=dir       per variant: faster, slower or no difference (Mann-Whitney U), ratio with its interval

# `make bench QUICK=1` sets make variables; the driver reads the environment.
export QUICK PIN

.PHONY: bench-run compare print-build-flags

bench-run:
	@scripts/bench.sh

compare:
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make compare A=results/dir B=results/dir" >&2; exit 2; }
	@/usr/bin/python3 scripts/compare.py "$(A)" "$(B)"

# What the benchmark records in machine.json.
print-build-flags:
	@echo "$(CC) $(CFLAGS) $(LDLIBS)"

# `make bench OUT=dir` times the variants built in dir/bin.
export BENCH_BIN_DIR ?= $(abspath $(BIN))

# The noise guard's calibration (scripts/tools/calibrate.c), run by scripts/bench.sh.
$(BIN)/tools/calibrate: scripts/tools/calibrate.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -pthread
EXTRA_PROGRAMS += $(BIN)/tools/calibrate
